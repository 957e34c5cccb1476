#!/usr/bin/env bash
# Load test of the web server with wrk (Debian package `wrk`): starts `gongkai serve --demo` on a
# throw-away data directory, measures the portal home, a 指南 page and the login page, and the
# server's memory (RSS) at idle and under load; stops the server. Traffic stays on 127.0.0.1.
#
# Usage: bench/load-portal.sh [DURATION=30s] [CONNECTIONS=50] [THREADS=2]
#   GONGKAI_BIN=target/release/gongkai to skip the release build.
set -euo pipefail
cd "$(dirname "$0")/.."

duration="${1:-30s}"
connections="${2:-50}"
threads="${3:-2}"
port="${GONGKAI_LOAD_PORT:-18181}"

command -v wrk >/dev/null || { echo "需要 wrk：apt-get install wrk" >&2; exit 2; }
bin="${GONGKAI_BIN:-}"
if [ -z "$bin" ]; then
  cargo build --release -p gongkai --quiet
  bin="${CARGO_TARGET_DIR:-target}/release/gongkai"
fi

data="$(mktemp -d)"
"$bin" --data-dir "$data" serve --demo --bind "127.0.0.1:$port" --log-format json >"$data/serve.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$data"' EXIT

for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null

rss_mb() { awk '/VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$pid/status"; }
peak_mb() { awk '/VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$pid/status"; }

# The 街道's id in the demo data: the first organ link on the home page other than the root.
organ=$(curl -fsS "http://127.0.0.1:$port/" | grep -o '/organs/[0-9]*' | sort -u | tail -n 1)
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(uname -srm)"
echo "== idle RSS: $(rss_mb) MB"
for path in / "$organ/guide" /admin/login; do
  echo "== GET $path ($duration, $connections connections, $threads threads)"
  wrk -t"$threads" -c"$connections" -d"$duration" --latency "http://127.0.0.1:$port$path"
  echo "   RSS after this run: $(rss_mb) MB"
done
echo "== peak RSS under load: $(peak_mb) MB"
