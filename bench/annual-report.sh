#!/usr/bin/env bash
# Issue 7: annual report build on a generated district (1,000 organs, 1,000,000 applications), on
# SQLite and, when a PostgreSQL server is given, on PostgreSQL. The first run generates the data
# (SQLite: a file under the target directory; PostgreSQL: a database district_v1_…) and later runs
# reuse it.
# Usage: bench/annual-report.sh [postgres://postgres@127.0.0.1:5432/postgres]
#   GONGKAI_BENCH_APPLICATIONS=100000 for a smaller district; GONGKAI_BENCH_BACKENDS=sqlite|postgres.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -gt 0 ]; then
  export GONGKAI_BENCH_DATABASE_URL="$1"
fi
cargo bench -p gongkai-annual-bench --bench annual_report
