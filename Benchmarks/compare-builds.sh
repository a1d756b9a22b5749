#!/usr/bin/env bash
# Two builds of `lineage` on one namespace, alternating run by run so that the host's drift falls
# on both alike: prints the minimum and median wall time, CPU (user + sys) and peak RSS of each,
# and whether their outputs (what each printed and every file it wrote where it ran) are byte for
# byte the same; a run that fails stops the comparison with its error. For a change's before and
# after, where the host's noise (often 20-30% between runs here) hides a gain that a single run
# pair cannot show. Two outputs differ from run to run by design: `lineage report`'s HTML carries a
# fresh Content-Security-Policy nonce and OpenLineage's audit event the time it ran.
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
path=$(realpath "$(benchmark_namespace "$after" "$namespace")")
before=$(realpath "$before") after=$(realpath "$after")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Each run in a directory of its own, so that a command writing files where it runs (`lineage
# report` writes report.html) neither refuses the next run nor mixes its output with another's.
for run in $(seq "$runs"); do
    for side in before after; do
        binary=$([ "$side" = before ] && echo "$before" || echo "$after")
        mkdir "$work/$side-$run"
        status=0
        (cd "$work/$side-$run" && /usr/bin/time -f "$side %e %U %S %M" -a -o "$work/times" \
            "$binary" "$@" "$path" >stdout 2>"$work/$side-$run.err") || status=$?
        if [ "$status" -ne 0 ]; then
            echo "compare-builds: the $side build's run $run failed (exit $status):" >&2
            tail -5 "$work/$side-$run.err" >&2
            exit 1
        fi
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
# The last run of each: what it printed and every file it wrote.
if diff -rq "$work/before-$runs" "$work/after-$runs" >/dev/null; then
    echo "outputs: byte-identical"
else
    echo "outputs: differ (last run of each):"
    diff -rq "$work/before-$runs" "$work/after-$runs" | sed "s|$work/||g" | head -5
fi
