#!/usr/bin/env bash
# Batch audit throughput and peak memory: audits N copies of the corpus reports (a mix of TXT,
# HTML, DOCX and PDF, or one kind with KIND=txt|html|docx|pdf) with the release binary, for several
# batch sizes, and prints reports/s and peak RSS. Needs GNU time (/usr/bin/time, Debian "time").
# Usage: bench/audit-batch.sh [SIZES...]   (default: 10 100 1000)
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-10 100 1000}")
[ $# -gt 0 ] || sizes=(10 100 1000)
kind="${KIND:-mixed}"
corpus=../shared/corpus
cargo build --release -p gongkai --quiet
bin="${CARGO_TARGET_DIR:-target}/release/gongkai"
[ -x /usr/bin/time ] || { echo "需要 GNU time：apt-get install time" >&2; exit 2; }

case "$kind" in
  mixed) sources=("$corpus"/*.txt "$corpus"/*.html "$corpus"/*.docx "$corpus"/*.pdf) ;;
  *) sources=("$corpus"/*."$kind") ;;
esac

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '%-6s %-8s %10s %12s %12s\n' kind reports seconds reports/s peak_RSS_MB
for n in "${sizes[@]}"; do
  dir="$work/batch-$n"
  mkdir -p "$dir"
  for ((i = 0; i < n; i++)); do
    src="${sources[$((i % ${#sources[@]}))]}"
    ln -s "$(realpath "$src")" "$dir/$(printf '%05d' "$i")-$(basename "$src")"
  done
  # Exit code 1 (error findings in some reports) is expected.
  /usr/bin/time -f '%e %M' -o "$work/time" "$bin" audit "$dir" --format json >/dev/null 2>&1 || true
  read -r secs kb < <(tail -n 1 "$work/time")
  awk -v k="$kind" -v n="$n" -v s="$secs" -v kb="$kb" \
    'BEGIN { printf "%-6s %-8d %10.2f %12.0f %12.1f\n", k, n, s, (s > 0 ? n / s : 0), kb / 1024 }'
done
