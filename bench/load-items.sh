#!/usr/bin/env bash
# Load test of the public column with a realistic database (issue 5): fills a fresh SQLite
# database with N published items (`gongkai demo-data --items N`), starts `gongkai serve`, waits
# for the search index, then measures with wrk at C connections:
#   - the item page /items/{id} (random ids), list pages /organs/{id}/items?page=… (random pages),
#     search /search?q=… (realistic Chinese queries);
#   - the same item page saved as a static file and served by nginx (Debian package), same wrk
#     settings, in the same run: the ratio shows what the dynamic page costs.
# Also times `gongkai reindex` of the whole database.
#
# Usage: bench/load-items.sh [ITEMS=100000] [DURATION=30s] [CONNECTIONS=50] [THREADS=2]
#   GONGKAI_BIN=target/release/gongkai to skip the release build; KEEP_DATA=dir to reuse a filled
#   data directory between runs.
set -euo pipefail
cd "$(dirname "$0")/.."

items="${1:-100000}"
duration="${2:-30s}"
connections="${3:-50}"
threads="${4:-2}"
port="${GONGKAI_LOAD_PORT:-18182}"
nginx_port="${GONGKAI_NGINX_PORT:-18183}"

command -v wrk >/dev/null || { echo "需要 wrk：apt-get install wrk" >&2; exit 2; }
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { echo "需要 nginx：apt-get install nginx-light" >&2; exit 2; }
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"
bin="${GONGKAI_BIN:-}"
if [ -z "$bin" ]; then
  cargo build --release -p gongkai --quiet
  bin="${CARGO_TARGET_DIR:-target}/release/gongkai"
fi

data="${KEEP_DATA:-$(mktemp -d)}"
mkdir -p "$data"
cleanup() {
  [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  [ -n "${nginx_pid:-}" ] && kill "$nginx_pid" 2>/dev/null
  [ -z "${KEEP_DATA:-}" ] && rm -rf "$data"
  return 0
}
trap cleanup EXIT

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(uname -srm)"
if [ ! -f "$data/gongkai.db" ]; then
  echo "== filling $items items"
  /usr/bin/time -f "   %e s, peak RSS %M KB" "$bin" --data-dir "$data" demo-data --items "$items"
fi

echo "== reindex"
/usr/bin/time -f "   %e s wall, peak RSS %M KB" "$bin" --data-dir "$data" reindex

"$bin" --data-dir "$data" serve --bind "127.0.0.1:$port" --log-format json >"$data/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done
base="http://127.0.0.1:$port"

# Ids and organs from the database itself.
db="$data/gongkai.db"
read -r min_id max_id < <(sqlite3 -separator ' ' "$db" "SELECT MIN(id), MAX(id) FROM items WHERE state = 'published'")
organ=$(sqlite3 "$db" "SELECT organ_id FROM items GROUP BY organ_id ORDER BY COUNT(*) DESC LIMIT 1")
per_organ=$(sqlite3 "$db" "SELECT COUNT(*) FROM items WHERE organ_id = $organ AND state = 'published'")
pages=$(( (per_organ + 19) / 20 ))
echo "== $(sqlite3 "$db" "SELECT COUNT(*) FROM items WHERE state = 'published'") published items; organ $organ has $per_organ ($pages list pages)"

queries="$data/queries.txt"
: >"$queries"
for q in 老旧小区改造 人居环境整治 安全隐患排查 五星支部 燃气安全 养老服务 就业援助 "\"文明实践\"" 防汛 垃圾分类 退役军人 民法典宣传; do
  printf '/search?q=%s\n' "$(python3 -c 'import sys,urllib.parse;print(urllib.parse.quote(sys.argv[1]))' "$q")" >>"$queries"
done

# Distinct queries, so that the server's result cache (hot queries) mostly misses: pairs of words
# and pages 1-3 — 3,000+ different requests.
cold="$data/queries-cold.txt"
python3 - "$cold" <<'PY'
import sys, urllib.parse, itertools
words = ["老旧小区改造", "人居环境", "安全隐患", "五星支部", "燃气", "养老", "就业", "文明实践", "防汛",
         "垃圾分类", "退役军人", "民法典", "消防", "疫苗", "反诈", "创城", "志愿服务", "低保", "社区",
         "网格"]
with open(sys.argv[1], "w") as f:
    for a, b in itertools.permutations(words, 2):
        for page in (1, 2, 3):
            f.write("/search?q=%s&page=%d\n" % (urllib.parse.quote(a + " " + b), page))
    for a in words:
        for year in range(2019, 2026):
            f.write("/search?q=%s&year=%d\n" % (urllib.parse.quote(a), year))
PY

run() { # name, then env for the lua script
  local name="$1"; shift
  echo "== $name ($duration, $connections connections, $threads threads)"
  env "$@" wrk -t"$threads" -c"$connections" -d"$duration" -s bench/lua/random-path.lua "$base" | grep -E '^   (requests|p[0-9])'
}

rss_mb() { awk '/VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$pid/status"; }
run "item page /items/{random}" GONGKAI_PATH="/items/{n}" GONGKAI_MIN="$min_id" GONGKAI_MAX="$max_id"
run "list page /organs/$organ/items?page={random}" GONGKAI_PATH="/organs/$organ/items?page={n}" GONGKAI_MIN=1 GONGKAI_MAX="$pages"
run "search /search?q=… (12 hot queries: served from the result cache after the first)" GONGKAI_PATHS="$queries"
run "search, $(wc -l <"$cold") distinct queries (cache mostly missing)" GONGKAI_PATHS="$cold"
echo "   server RSS: $(rss_mb) MB"

# nginx serving the same item page as a static file.
static="$data/static"
mkdir -p "$static/items"
curl -fsS "$base/items/$min_id" >"$static/items/$min_id.html"
cat >"$data/nginx.conf" <<CONF
worker_processes $(nproc);
pid $data/nginx.pid;
error_log $data/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  default_type text/html;
  server {
    listen 127.0.0.1:$nginx_port;
    root $static;
    location / { try_files \$uri.html =404; }
  }
}
CONF
"$nginx_bin" -c "$data/nginx.conf" -g 'daemon off;' &
nginx_pid=$!
sleep 0.5
echo "== nginx: the same item page as a static file"
GONGKAI_PATH="/items/$min_id" wrk -t"$threads" -c"$connections" -d"$duration" -s bench/lua/random-path.lua "http://127.0.0.1:$nginx_port" | grep -E '^   (requests|p[0-9])'
echo "== gongkai: the same single item page"
GONGKAI_PATH="/items/$min_id" wrk -t"$threads" -c"$connections" -d"$duration" -s bench/lua/random-path.lua "$base" | grep -E '^   (requests|p[0-9])'
