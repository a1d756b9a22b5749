#!/usr/bin/env bash
# Whole CLI processes on the same snapshot directories, each a fresh process, median of the runs:
# `lineage stats`, `lineage audit --format json`, `lineage report`, `lineage diff --format json`
# (against a changed copy of the namespace, Benchmarks/changed-copy.py: 1% each removed, added,
# re-rooted and edited), `lineage export` in each of its formats, and DuckDB's CLI running four of
# the audit rules as SQL (Benchmarks/duckdb/four-rules.sql), which is what a data engineer would do
# instead. Rewrites the "side-by-side" section of docs/benchmarks.md.
#
# Namespaces are generated (kept out of git under bench-data/) when missing: 100k and 1m are
# `lineage sample` namespaces (--style compact), vendor-100k, vendor-1m and vendor-10m the same
# trees written as richly as the vendor's payloads (--style vendor). DuckDB's CLI comes from PyPI
# (duckdb-cli) into .venv (scripts/python-env); at 10M documents it needs about 19 GB.
#
# Usage: Benchmarks/side-by-side.sh [--repeat N] [--tools "TOOL..."] [SIZE...]
# Tools: stats audit audit-changed report diff export-openlineage export-prov export-graphml duckdb
# (default: all). audit-changed audits the changed copy, the diff's other side: its findings make
# it the costlier of the two audits a diff runs.
set -euo pipefail
cd "$(dirname "$0")/.."
. Benchmarks/namespaces.sh
repeat=3
tools="stats audit audit-changed report diff export-openlineage export-prov export-graphml duckdb"
while [ $# -gt 0 ]; do
    case "$1" in
        --repeat) repeat="$2"; shift 2 ;;
        --tools) tools="$2"; shift 2 ;;
        -*) echo "usage: $0 [--repeat N] [--tools \"$tools\"] [SIZE...]" >&2; exit 2 ;;
        *) break ;;
    esac
done
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100k 1m vendor-100k vendor-1m)

swift build -c release --product lineage >/dev/null
lineage=.build/release/lineage
python=$(scripts/python-env)
duckdb=$(dirname "$python")/duckdb
results=$(mktemp)
sql=$(mktemp)
report=$(mktemp -d)
trap 'rm -rf "$results" "$sql" "$report"' EXIT

for size in "${sizes[@]}"; do
    dir=$(benchmark_namespace "$lineage" "$size")
    sed -e "s|@DOCUMENTS@|$dir/documents.jsonl|; s|@OBJECTS@|$dir/objects.jsonl|" Benchmarks/duckdb/four-rules.sql >"$sql"
    # Round by round, every tool once per round: the machine's speed drifts over minutes, and
    # running each tool's repeats back to back put that drift between the rows being compared.
    for _ in $(seq "$repeat"); do
        for tool in $tools; do
            case "$tool" in
                stats) command=("$lineage" stats "$dir") ;;
                audit) command=("$lineage" audit "$dir" --format json --fail-on never) ;;
                report) command=("$lineage" report "$dir" -o "$report/r.html" --force) ;;
                audit-changed)
                    [ -f "$dir-changed/documents.jsonl" ] || "$python" Benchmarks/changed-copy.py "$dir" "$dir-changed"
                    command=("$lineage" audit "$dir-changed" --format json --fail-on never) ;;
                diff)
                    [ -f "$dir-changed/documents.jsonl" ] || "$python" Benchmarks/changed-copy.py "$dir" "$dir-changed"
                    command=("$lineage" diff "$dir" "$dir-changed" --format json --fail-on never) ;;
                export-openlineage) command=("$lineage" export "$dir" --format openlineage -o "$report/export" --force) ;;
                export-prov) command=("$lineage" export "$dir" --format prov-json -o "$report/export" --force) ;;
                export-graphml) command=("$lineage" export "$dir" --format graphml -o "$report/export" --force) ;;
                duckdb)
                    [ -x "$duckdb" ] || { echo "$0: $duckdb is missing; scripts/python-env installs duckdb-cli" >&2; exit 1; }
                    command=("$duckdb" -c ".read $sql") ;;
                *) echo "unknown tool $tool" >&2; exit 2 ;;
            esac
            /usr/bin/time -f "$size $tool %e %U %S %M" -a -o "$results" "${command[@]}" >/dev/null 2>&1
        done
    done
done

"$python" - "$results" <<'PY'
import datetime, statistics, sys
sys.path.insert(0, "Benchmarks")
from sections import machine, namespace_input, read_runs, write_section
runs = read_runs(sys.argv[1])
cpu, cores = machine()
names = {"stats": "`lineage stats`", "audit": "`lineage audit --format json`",
         "audit-changed": "`lineage audit --format json` of the changed copy (the diff's other side)",
         "report": "`lineage report`",
         "diff": "`lineage diff --format json` (against a changed copy; input counted once)",
         "export-openlineage": "`lineage export --format openlineage`",
         "export-prov": "`lineage export --format prov-json`",
         "export-graphml": "`lineage export --format graphml`",
         "duckdb": "DuckDB CLI, four rules as SQL"}
out = [f"Measured {datetime.date.today()} on {cpu}, {cores} cores; release build; each cell the median of "
       f"{max(len(v) for v in runs.values())} fresh processes.",
       "MB/s is input bytes (documents, objects, collections) over wall time; CPU / wall is user + system time over",
       "wall time (2.0 is both cores busy throughout); peak RSS is the process's maximum resident set.", "",
       "| namespace | documents | input | bytes / document | tool | wall (s) | CPU / wall | MB/s | peak RSS | RSS / input |",
       "|---|---:|---:|---:|---|---:|---:|---:|---:|---:|"]
for (size, tool), values in runs.items():
    size_bytes, documents = namespace_input(size)
    wall = statistics.median(v[0] for v in values)
    cpu_time = statistics.median(v[1] + v[2] for v in values)
    rss = statistics.median(v[3] for v in values) * 1024
    out.append(f"| {size} | {documents:,} | {size_bytes / 1e6:,.0f} MB | {size_bytes / documents:,.0f} | {names[tool]} | "
               f"{wall:.2f} | {cpu_time / wall:.2f} | {size_bytes / 1e6 / wall:,.0f} | {rss / 1e6:,.0f} MB | {rss / size_bytes:.2f} |")
write_section("side-by-side", "\n".join(out))
PY
