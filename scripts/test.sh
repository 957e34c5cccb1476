#!/usr/bin/env bash
# The whole test suite of gongkai: formatting, lints, and every test.
# Usage: scripts/test.sh        (set GONGKAI_TEST_DATABASE_URL=postgres://… to add the PostgreSQL leg)
set -euo pipefail
cd "$(dirname "$0")/.."

echo "==> cargo fmt --check"
cargo fmt --all -- --check

echo "==> cargo clippy -D warnings"
cargo clippy --workspace --all-targets --locked -- -D warnings

# The calendar is checked day by day against an independent source, the PyPI package
# chinesecalendar, installed into a throwaway virtualenv (nothing is installed system-wide).
target_dir="${CARGO_TARGET_DIR:-target}"
venv="$target_dir/chinesecalendar-venv"
dump="$target_dir/chinesecalendar-days.tsv"
if [ ! -s "$dump" ]; then
  echo "==> chinesecalendar (PyPI) for the calendar cross-check"
  mkdir -p "$target_dir"
  if python3 -m venv "$venv" >/dev/null 2>&1; then
    "$venv/bin/pip" install --quiet --disable-pip-version-check chinesecalendar==1.11.0
    "$venv/bin/python" scripts/chinesecalendar_dump.py "$dump.tmp"
  else
    # Debian without python3-venv: install into a private folder instead.
    python3 -m pip install --quiet --disable-pip-version-check --target "$venv/site" chinesecalendar==1.11.0
    PYTHONPATH="$venv/site" python3 scripts/chinesecalendar_dump.py "$dump.tmp"
  fi
  mv "$dump.tmp" "$dump"
fi
export GONGKAI_CHINESECALENDAR_DUMP="$(cd "$(dirname "$dump")" && pwd)/$(basename "$dump")"

echo "==> cargo test"
cargo test --workspace --locked
