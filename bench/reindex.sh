#!/usr/bin/env bash
# Search index rebuild time: fills a fresh SQLite data directory with N realistic demo items
# (`gongkai demo-data`, the gongkai-demo generator: titles, summaries, bodies, 文号 of a 街道's
# year of 主动公开), then times `gongkai reindex` (read every published item from the database,
# tokenise with jieba + bigrams, one commit) and prints items, seconds, items/s, index size and
# peak RSS. Needs GNU time (/usr/bin/time, Debian "time").
# Usage: bench/reindex.sh [N]   (default 100000; KEEP=1 keeps the data directory)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-100000}"
cargo build --release -p gongkai --quiet
bin="${CARGO_TARGET_DIR:-target}/release/gongkai"
[ -x /usr/bin/time ] || { echo "需要 GNU time：apt-get install time" >&2; exit 2; }

work=$(mktemp -d)
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$work"' EXIT
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo "data dir: $work"

t0=$(date +%s.%N)
"$bin" --data-dir "$work" demo-data --items "$n" --organs 10 >/dev/null
t1=$(date +%s.%N)
printf 'demo-data: %d items in %.1f s\n' "$n" "$(echo "$t1 - $t0" | bc)"

/usr/bin/time -f '%e %M' -o "$work/time.txt" "$bin" --data-dir "$work" reindex | tail -1
read -r secs rss_kb < "$work/time.txt"
size=$(du -sm "$work/search" | cut -f1)
printf '%-8s %10s %10s %14s %12s\n' items seconds items/s index_MB peak_RSS_MB
printf '%-8s %10.1f %10.0f %14s %12.0f\n' "$n" "$secs" "$(echo "$n / $secs" | bc -l)" "$size" \
  "$(echo "$rss_kb / 1024" | bc -l)"
