#!/usr/bin/env bash
# Generates benchmark namespaces with `lineage sample` (kept out of git under bench-data/) and
# measures read + normalise + graph build on them; rewrites the generated section of
# docs/benchmarks.md with the results.
#
# Usage: Benchmarks/run.sh [--sizes "100k 1m"] [--repeat N]
set -euo pipefail
cd "$(dirname "$0")/.."

sizes="100k 1m"
repeat=3
while [ $# -gt 0 ]; do
    case "$1" in
        --sizes) sizes="$2"; shift 2 ;;
        --repeat) repeat="$2"; shift 2 ;;
        *) echo "usage: $0 [--sizes \"100k 1m\"] [--repeat N]" >&2; exit 2 ;;
    esac
done

swift build -c release --product lineage --product LineageBenchmark >/dev/null
bin=.build/release
mkdir -p bench-data
results=$(mktemp)
trap 'rm -f "$results"' EXIT

for size in $sizes; do
    case "$size" in
        10k) objects=103 ;;
        100k) objects=1030 ;;
        1m) objects=10300 ;;
        *) echo "unknown size $size (10k, 100k or 1m)" >&2; exit 2 ;;
    esac
    dir="bench-data/$size"
    if [ ! -f "$dir/documents.jsonl" ]; then
        "$bin/lineage" sample --out "$dir" --videos "$objects" --articles "$objects" --seed 12 --shape mixed >&2
    fi
    baseline=""
    [ "$size" = "100k" ] && baseline="--foundation-baseline"
    # A fresh process per run, so that each peak RSS is that run's own.
    for _ in $(seq "$repeat"); do
        "$bin/LineageBenchmark" "$dir" $baseline >>"$results" 2>/dev/null
        baseline=""
    done
done

python3 - "$results" <<'PY'
import json, statistics, sys, platform, subprocess, datetime, re
rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
runs = [r for r in rows if "run" in r]
baselines = [r for r in rows if "baseline" in r]
cpu = "unknown CPU"
try:
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip(); break
except OSError:
    pass
cores = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
swift = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
out = []
out.append(f"Measured {datetime.date.today()} on {cpu}, {cores} cores; {swift}; release build.")
out.append("Each row is the median of the runs (each run a fresh process); MB/s counts input bytes over")
out.append("read + graph wall time; peak RSS is the process's VmHWM; audit runs every rule on the graph.")
out.append("")
out.append("| namespace | documents | input | runs | read (s) | read CPU (s) | graph (s) | read + graph (s) | MB/s | documents/s | peak RSS | peak RSS / input | audit (s) | audit / (read + graph) |")
out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
by_dir = {}
for r in runs:
    by_dir.setdefault(r["directory"], []).append(r)
for directory, rs in by_dir.items():
    med = lambda key: statistics.median(r[key] for r in rs)
    size = rs[0]["input_bytes"]
    out.append(
        f"| {directory.split('/')[-1]} | {rs[0]['documents']:,} | {size/1e6:,.0f} MB | {len(rs)} | "
        f"{med('read_seconds'):.2f} | {med('read_cpu_seconds'):.2f} | {med('graph_seconds'):.2f} | "
        f"{med('total_seconds'):.2f} | {med('megabytes_per_second'):.0f} | {med('documents_per_second'):,.0f} | "
        f"{med('peak_rss_bytes')/1e6:,.0f} MB | {med('peak_rss_bytes')/size:.2f} | "
        f"{med('audit_seconds'):.2f} | {statistics.median(r['audit_seconds'] / r['total_seconds'] for r in rs):.0%} |")
for b in baselines:
    out.append("")
    out.append(f"For scale, on the same 100k input: {b['baseline']}: {b['megabytes_per_second']:.0f} MB/s "
               f"({b['seconds']:.1f} s for {b['documents']:,} documents).")
section = "\n".join(out)
path = "docs/benchmarks.md"
text = open(path).read()
begin, end = "<!-- read-graph:begin -->", "<!-- read-graph:end -->"
text = re.sub(re.escape(begin) + ".*?" + re.escape(end), begin + "\n" + section + "\n" + end, text, flags=re.S)
open(path, "w").write(text)
print(section)
PY
