#!/usr/bin/env bash
# Runs `lineage stats`, `lineage audit` and DuckDB's CLI (four of the audit rules as SQL,
# Benchmarks/duckdb/four-rules.sql) on the same snapshot directories, each a fresh process, and
# prints one Markdown table row per tool and directory: median wall time, user + system CPU, the
# parallel efficiency (CPU over wall), MB/s (input bytes over wall) and peak RSS, also as a ratio
# to the input. DuckDB's CLI comes from PyPI (duckdb-cli) into .venv (scripts/python-env).
#
# Usage: Benchmarks/duckdb-side-by-side.sh [--repeat N] DIR...
set -euo pipefail
cd "$(dirname "$0")/.."
repeat=3
if [ "${1:-}" = "--repeat" ]; then repeat="$2"; shift 2; fi
[ $# -gt 0 ] || { echo "usage: $0 [--repeat N] DIR..." >&2; exit 2; }

swift build -c release --product lineage >/dev/null
lineage=.build/release/lineage
python=$(scripts/python-env)
duckdb=$(dirname "$python")/duckdb
[ -x "$duckdb" ] || { echo "$0: $duckdb is missing; scripts/python-env installs duckdb-cli" >&2; exit 1; }
sql=$(mktemp)
times=$(mktemp)
trap 'rm -f "$sql" "$times"' EXIT

echo "| snapshot | documents | input | tool | wall (s) | CPU (s) | CPU / wall | MB/s | peak RSS | RSS / input |"
echo "|---|---:|---:|---|---:|---:|---:|---:|---:|---:|"
for dir in "$@"; do
    bytes=$(stat -c %s "$dir/documents.jsonl" "$dir/objects.jsonl" "$dir/collections.json" | paste -sd+ | bc)
    documents=$(wc -l <"$dir/documents.jsonl")
    sed -e "s|@DOCUMENTS@|$dir/documents.jsonl|; s|@OBJECTS@|$dir/objects.jsonl|" Benchmarks/duckdb/four-rules.sql >"$sql"
    for tool in "lineage stats" "lineage audit" "duckdb, four rules"; do
        : >"$times"
        for _ in $(seq "$repeat"); do
            case "$tool" in
                "lineage stats") command=("$lineage" stats "$dir") ;;
                "lineage audit") command=("$lineage" audit "$dir" --format json --fail-on never) ;;
                *) command=("$duckdb" -c ".read $sql") ;;
            esac
            /usr/bin/time -f "%e %U %S %M" -o "$times" -a "${command[@]}" >/dev/null
        done
        "$python" - "$times" "$dir" "$documents" "$bytes" "$tool" <<'PY'
import statistics, sys
path, directory, documents, size, tool = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
runs = [list(map(float, line.split())) for line in open(path) if line.strip()]
wall = statistics.median(r[0] for r in runs)
cpu = statistics.median(r[1] + r[2] for r in runs)
rss = statistics.median(r[3] for r in runs) * 1024
print(f"| {directory} | {documents:,} | {size / 1e6:,.0f} MB | {tool} | {wall:.2f} | {cpu:.2f} | {cpu / wall:.2f} "
      f"| {size / 1e6 / wall:,.0f} | {rss / 1e6:,.0f} MB | {rss / size:.2f} |")
PY
    done
done
