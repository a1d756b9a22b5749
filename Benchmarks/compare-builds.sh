#!/usr/bin/env bash
# Two builds of `lineage` on one namespace, alternating run by run so that the host's drift falls
# on both alike: prints the minimum and median wall time, CPU (user + sys) and peak RSS of each,
# and whether their outputs are byte for byte the same. For a change's before and after, where the
# host's noise (often 20-30% between runs here) hides a gain that a single run pair cannot show.
#
# Usage: Benchmarks/compare-builds.sh BEFORE AFTER RUNS NAMESPACE [lineage arguments...]
#   e.g. cp .build/release/lineage /tmp/lineage-before; (change, rebuild);
#        Benchmarks/compare-builds.sh /tmp/lineage-before .build/release/lineage 5 1m \
#            audit --format json --fail-on never
# The namespace is generated under bench-data/ when missing; the arguments come before its path.
set -euo pipefail
cd "$(dirname "$0")/.."
. Benchmarks/namespaces.sh
if [ $# -lt 5 ]; then
    echo "usage: $0 BEFORE AFTER RUNS NAMESPACE LINEAGE-ARGUMENTS..." >&2
    exit 2
fi
before="$1" after="$2" runs="$3" namespace="$4"
shift 4
for binary in "$before" "$after"; do
    [ -x "$binary" ] || { echo "compare-builds: $binary is not an executable" >&2; exit 2; }
done
path=$(benchmark_namespace "$after" "$namespace")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for run in $(seq "$runs"); do
    for side in before after; do
        binary=$([ "$side" = before ] && echo "$before" || echo "$after")
        /usr/bin/time -f "$side %e %U %S %M" -a -o "$work/times" \
            "$binary" "$@" "$path" >"$work/$side.out" 2>"$work/$side.err" || true
    done
done
python3 - "$work/times" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    side, wall, user, system, rss = line.split()
    rows.setdefault(side, []).append((float(wall), float(user) + float(system), int(rss)))
for side in ("before", "after"):
    runs = rows[side]
    walls, cpus = [r[0] for r in runs], [r[1] for r in runs]
    print(f"{side:6}  wall min {min(walls):.2f} s, median {statistics.median(walls):.2f} s;"
          f"  CPU min {min(cpus):.2f} s, median {statistics.median(cpus):.2f} s;"
          f"  peak RSS {max(r[2] for r in runs) / 1024:.0f} MiB  ({len(runs)} runs)")
PY
if cmp -s "$work/before.out" "$work/after.out"; then
    echo "outputs: byte-identical"
else
    echo "outputs: differ (last run of each)"
fi
