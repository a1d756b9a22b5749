#!/usr/bin/env bash
# The whole audit where it can run: in process, and through `--engine duckdb` and `--engine spark`
# (the engines' own CLIs over the raw files, the SQL `lineage sql` prints), each a fresh
# `lineage audit --format json` process, median of the runs. Peak RSS is the largest of lineage's
# process and the engine's (the engine's, by far). Rewrites the "engines" section of
# docs/benchmarks.md.
#
# DuckDB's CLI comes from scripts/python-env (.venv); Spark from .venv-spark (scripts/spark-check
# makes it; Java 17 needed), run with --master local[2] and a 16 GB driver.
#
# Usage: Benchmarks/engines.sh [--repeat N] [--engines "in-process duckdb spark"] [SIZE...]
set -euo pipefail
cd "$(dirname "$0")/.."
. Benchmarks/namespaces.sh
repeat=1
engines="in-process duckdb"
while [ $# -gt 0 ]; do
    case "$1" in
        --repeat) repeat="$2"; shift 2 ;;
        --engines) engines="$2"; shift 2 ;;
        -*) echo "usage: $0 [--repeat N] [--engines \"in-process duckdb spark\"] [SIZE...]" >&2; exit 2 ;;
        *) break ;;
    esac
done
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(vendor-1m)

swift build -c release --product lineage >/dev/null
lineage="$PWD/.build/release/lineage"
python=$(scripts/python-env)
results=bench-data/engines-results.txt
touch "$results"

for size in "${sizes[@]}"; do
    dir=$(benchmark_namespace "$lineage" "$size")
    for engine in $engines; do
        options=()
        case "$engine" in
            in-process) path="$PATH" ;;
            duckdb) path="$PWD/.venv/bin:$PATH" ;;
            spark)
                [ -x .venv-spark/bin/spark-sql ] || { echo "$0: run scripts/spark-check first (makes .venv-spark)" >&2; exit 1; }
                path="$PWD/.venv-spark/bin:$PATH"
                options=(--engine-option=--master --engine-option="local[2]" --engine-option=--driver-memory --engine-option=16g) ;;
            *) echo "unknown engine $engine" >&2; exit 2 ;;
        esac
        for _ in $(seq "$repeat"); do
            PATH="$path" /usr/bin/time -f "$size $engine %e %U %S %M" -a -o "$results" \
                "$lineage" audit "$dir" --engine "$engine" "${options[@]}" --format json --fail-on never >/dev/null
        done
    done
done

"$python" - "$results" <<'PY'
import datetime, statistics, sys
sys.path.insert(0, "Benchmarks")
from sections import machine, namespace_input, read_runs, write_section
runs = read_runs(sys.argv[1])
cpu, cores = machine()
out = [f"Measured {datetime.date.today()} on {cpu}, {cores} cores; release build; each cell the median of the runs "
       "(`runs`); every run a fresh `lineage audit --format json` process.", "",
       "| namespace | documents | input | engine | runs | wall (s) | CPU / wall | peak RSS | RSS / input |",
       "|---|---:|---:|---|---:|---:|---:|---:|---:|"]
for (size, engine), values in sorted(runs.items(), key=lambda item: (item[0][0], ["in-process", "duckdb", "spark"].index(item[0][1]))):
    size_bytes, documents = namespace_input(size)
    wall = statistics.median(v[0] for v in values)
    cpu_time = statistics.median(v[1] + v[2] for v in values)
    rss = statistics.median(v[3] for v in values) * 1024
    out.append(f"| {size} | {documents:,} | {size_bytes / 1e9:,.2f} GB | {engine} | {len(values)} | {wall:,.1f} | "
               f"{cpu_time / wall:.2f} | {rss / 1e9:,.2f} GB | {rss / size_bytes:.2f} |")
write_section("engines", "\n".join(out))
PY
