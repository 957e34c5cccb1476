#!/usr/bin/env bash
# Fuzzes the document readers and the table finder for a bounded time (default 60 s).
# Usage: scripts/fuzz.sh [SECONDS]. Needs cargo-fuzz (installed on first use from crates.io).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked --version 0.13.2
corpus="${CARGO_TARGET_DIR:-target}/fuzz-corpus"
mkdir -p "$corpus"
# Seed with the real reports (not the PDF: it is not fuzzed in-process).
for f in ../shared/corpus/*.txt ../shared/corpus/*.html ../shared/corpus/*.docx; do
  [ -f "$f" ] && cp -n "$f" "$corpus/" 2>/dev/null || true
done
# `-s none`: no sanitizer, so a stable toolchain suffices (ASan needs nightly).
cargo fuzz run -s none read_and_extract "$corpus" -- -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=262144
