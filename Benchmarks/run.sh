#!/usr/bin/env bash
# Generates benchmark namespaces with `lineage sample` (kept out of git under bench-data/) and
# measures read + normalise + graph build on them; rewrites the generated section of
# docs/benchmarks.md with the results.
#
# With --render, measures drawing instead: the largest root object's tree and the whole forest to
# SVG through libgvc in process, beside the dot CLI on the same DOT when Graphviz's command-line
# tools are installed (apt install graphviz), and rewrites the rendering section.
#
# With --fetch, measures lineage fetch's client against a `lineage serve` of each size (its own
# process), page size 1000, at concurrency 1 and 4, and rewrites the fetching section.
#
# Sizes: 10k, 100k, 1m (`lineage sample`), or vendor-100k, vendor-1m (`lineage sample --style vendor`).
# Whole CLI processes beside DuckDB: Benchmarks/side-by-side.sh.
#
# Usage: Benchmarks/run.sh [--sizes "100k 1m vendor-1m"] [--repeat N] [--render | --fetch]
set -euo pipefail
cd "$(dirname "$0")/.."
. Benchmarks/namespaces.sh

sizes=""
repeat=3
render=0
fetch=0
while [ $# -gt 0 ]; do
    case "$1" in
        --sizes) sizes="$2"; shift 2 ;;
        --repeat) repeat="$2"; shift 2 ;;
        --render) render=1; shift ;;
        --fetch) fetch=1; shift ;;
        *) echo "usage: $0 [--sizes \"100k 1m\"] [--repeat N] [--render]" >&2; exit 2 ;;
    esac
done
if [ -z "$sizes" ]; then
    if [ "$render" -eq 1 ]; then sizes="10k 100k"; elif [ "$fetch" -eq 1 ]; then sizes="100k"; else sizes="100k 1m vendor-1m"; fi
fi

swift build -c release --product lineage >/dev/null
swift build -c release --product LineageBenchmark >/dev/null
bin=.build/release
mkdir -p bench-data
results=$(mktemp)
trap 'rm -f "$results"' EXIT

for size in $sizes; do
    dir=$(benchmark_namespace "$bin/lineage" "$size")
    if [ "$fetch" -eq 1 ]; then
        served=$(mktemp)
        "$bin/lineage" serve "$dir" --port 0 >"$served" 2>/dev/null &
        server=$!
        while [ ! -s "$served" ]; do sleep 0.2; done
        url=$(head -1 "$served")
        for concurrency in 1 4; do
            for _ in $(seq "$repeat"); do
                "$bin/LineageBenchmark" --fetch "$url" --concurrency "$concurrency" | sed "s/^{/{\"size\":\"$size\",/" >>"$results"
            done
        done
        kill "$server"
        wait "$server" 2>/dev/null || true
        rm -f "$served"
        continue
    fi
    if [ "$render" -eq 1 ]; then
        dots=$(mktemp -d)
        for _ in $(seq "$repeat"); do
            "$bin/LineageBenchmark" "$dir" --render --write-dot "$dots" | sed "s/^{/{\"size\":\"$size\",/" >>"$results"
        done
        if command -v dot >/dev/null 2>&1; then
            seconds() { /usr/bin/time -f "%e" "$@" 2>&1 >/dev/null | tail -1; }
            tree=$(seconds dot -Tsvg "$dots/tree.gv")
            packed=$(seconds sh -c "ccomps -x '$dots/forest.gv' | dot | gvpack -array_u 2>/dev/null | neato -n2 -Tsvg")
            whole=null
            if [ "$size" = "10k" ]; then
                whole=$(seconds timeout 300 dot -Tsvg "$dots/forest.gv" || echo null)
                case "$whole" in *[!0-9.]*|"") whole=null ;; esac
            fi
            echo "{\"cli\":\"$size\",\"tree\":$tree,\"packed\":$packed,\"whole\":$whole}" >>"$results"
        fi
        rm -rf "$dots"
        continue
    fi
    baseline=""
    [ "$size" = "100k" ] && baseline="--foundation-baseline"
    # A fresh process per run, so that each peak RSS is that run's own.
    for _ in $(seq "$repeat"); do
        "$bin/LineageBenchmark" "$dir" $baseline >>"$results" 2>/dev/null
        baseline=""
    done
done

if [ "$fetch" -eq 1 ]; then
python3 - "$results" <<'PY'
import json, statistics, sys, subprocess, datetime
sys.path.insert(0, "Benchmarks")
from sections import machine, write_section
rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
cpu, cores = machine()
out = [f"Measured {datetime.date.today()} on {cpu}, {cores} cores; release build; the sandbox in its own process on the same machine.",
       "Median of the runs; CPU is the client process's user + system time.", "",
       "| namespace | documents | concurrency | runs | seconds | documents/s | client CPU per 1,000 documents | requests |",
       "|---|---:|---:|---:|---:|---:|---:|---:|"]
groups = {}
for r in rows:
    groups.setdefault((r["size"], r["concurrency"]), []).append(r)
for (size, concurrency), rs in sorted(groups.items()):
    med = lambda key: statistics.median(r[key] for r in rs)
    out.append(f"| {size} | {rs[0]['fetch']:,} | {concurrency} | {len(rs)} | {med('seconds'):.2f} | "
               f"{med('documents_per_second'):,.0f} | {med('cpu_seconds_per_1000') * 1000:.1f} ms | {rs[0]['requests']} |")
write_section("fetch", "\n".join(out))
PY
exit 0
fi

if [ "$render" -eq 1 ]; then
python3 - "$results" <<'PY'
import json, statistics, sys, subprocess, datetime
sys.path.insert(0, "Benchmarks")
from sections import machine, write_section
rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
cli = {r["cli"]: r for r in rows if "cli" in r}
cpu, cores = machine()
try:
    version = subprocess.run(["dot", "-V"], capture_output=True, text=True).stderr.strip()
except OSError:
    version = "dot CLI not installed"
out = [f"Measured {datetime.date.today()} on {cpu}, {cores} cores; release build; {version}.",
       "LineageKit columns: median of the runs, each a fresh process; no fan-out collapse (every document drawn).",
       "`dot` CLI columns: one run on the same DOT text LineageKit lays out.", "",
       "| namespace | picture | nodes | pieces | DOT generation (s) | LineageKit layout + SVG (s) | DOT / layout | SVG size | `dot -Tsvg` (s) | `ccomps \\| dot \\| gvpack \\| neato -n2` (s) |",
       "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
groups = {}
for r in rows:
    if "render" in r:
        groups.setdefault((r["size"], r["render"]), []).append(r)
for (size, picture), rs in groups.items():
    med = lambda key: statistics.median(r[key] for r in rs)
    c = cli.get(size, {})
    whole = c.get("whole") if picture == "whole forest" else (c.get("tree") if picture == "largest root object's tree" else None)
    if not c or picture.startswith("one root"):
        whole = "—"
    elif whole is None:
        whole = "did not finish in 300 s" if size == "10k" and picture == "whole forest" else "not run"
    else:
        whole = f"{whole:.2f}"
    packed = f"{c['packed']:.2f}" if c and picture == "whole forest" else "—"
    out.append(f"| {size} | {picture} | {rs[0]['nodes']:,} | {rs[0]['pieces']} | {med('dot_seconds'):.3f} | "
               f"{med('render_seconds'):.2f} | {statistics.median(r['dot_seconds'] / r['render_seconds'] for r in rs):.0%} | "
               f"{rs[0]['svg_bytes'] / 1e6:.1f} MB | {whole} | {packed} |")
write_section("render", "\n".join(out))
PY
exit 0
fi

python3 - "$results" <<'PY'
import json, statistics, sys, subprocess, datetime
sys.path.insert(0, "Benchmarks")
from sections import machine, write_section
rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
runs = [r for r in rows if "run" in r]
baselines = [r for r in rows if "baseline" in r]
cpu, cores = machine()
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
write_section("read-graph", "\n".join(out))
PY
