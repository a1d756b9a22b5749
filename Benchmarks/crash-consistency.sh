#!/usr/bin/env bash
# Runs the crash-consistency schedules of `lineage apply`/`undo` at scale: the test in
# Tests/LineageCLITests/CrashConsistencyTests.swift, with N seeded schedules (default 200) split
# into two shards, one per core. Each schedule starts its own `lineage serve` (20% 5xx, 10% 429),
# kills runs with SIGKILL at random points, tears journal lines, starts two runs at once and edits
# documents as a third party; the test checks every document after apply and after undo.
#
#   Benchmarks/crash-consistency.sh [N]
#
# LINEAGE_TEST_BUNDLE and LINEAGE_BINARY may name prebuilt binaries (to run while the tree changes).
set -euo pipefail
cd "$(dirname "$0")/.."
total=${1:-200}
if [ -z "${LINEAGE_TEST_BUNDLE:-}" ]; then
    swift build --build-tests >/dev/null
    LINEAGE_TEST_BUNDLE=.build/debug/LineageKitPackageTests.xctest
fi
first=$(( (total + 1) / 2 ))
second=$(( total - first ))
logs=$(mktemp -d)
start=$(date +%s)
shard() { # seed count log
    LINEAGE_CRASH_SEED=$1 LINEAGE_CRASH_SCHEDULES=$2 NO_COLOR=1 \
        "$LINEAGE_TEST_BUNDLE" --testing-library swift-testing --filter CrashConsistency >"$3" 2>&1
}
shard 1 "$first" "$logs/a" & a=$!
status=0
if [ "$second" -gt 0 ]; then shard $(( first + 1 )) "$second" "$logs/b" || status=1; fi
wait $a || status=1
elapsed=$(( $(date +%s) - start ))
grep -h "crash consistency:" "$logs"/* || true
grep -h "Expectation failed\|error" "$logs"/* | head -20 || true
echo "crash-consistency: $total schedule(s) in ${elapsed}s on $(nproc) core(s): $([ $status -eq 0 ] && echo passed || echo FAILED)"
rm -rf "$logs"
exit $status
