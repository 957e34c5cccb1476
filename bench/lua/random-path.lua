-- wrk script: each request GETs a path built from a template with a random number in
-- [GONGKAI_MIN, GONGKAI_MAX] put in place of "{n}" (e.g. /items/{n}), or a random line of the file
-- GONGKAI_PATHS (one path per line, e.g. search queries).
local template = os.getenv("GONGKAI_PATH") or "/items/{n}"
local lo = tonumber(os.getenv("GONGKAI_MIN") or "1")
local hi = tonumber(os.getenv("GONGKAI_MAX") or "1")
local paths = {}
local file = os.getenv("GONGKAI_PATHS")
if file then
  for line in io.lines(file) do
    if #line > 0 then paths[#paths + 1] = line end
  end
end

local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("seed", counter)
end

function init(args)
  math.randomseed(os.time() + (seed or 0) * 7919)
end

request = function()
  local path
  if #paths > 0 then
    path = paths[math.random(1, #paths)]
  else
    path = template:gsub("{n}", tostring(math.random(lo, hi)))
  end
  return wrk.format("GET", path)
end

-- Print p50/p95/p99 in milliseconds on one line each, for docs/performance.md.
done = function(summary, latency, requests)
  io.write(string.format("   requests %d, errors %d (status %d, timeout %d), %.0f req/s\n",
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout,
    summary.errors.status, summary.errors.timeout,
    summary.requests / (summary.duration / 1e6)))
  for _, p in ipairs({ 50, 95, 99 }) do
    io.write(string.format("   p%d %.2f ms\n", p, latency:percentile(p) / 1000))
  end
end
