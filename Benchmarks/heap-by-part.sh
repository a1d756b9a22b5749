#!/usr/bin/env bash
# Where the heap is at its peak, by part: runs `lineage audit NAMESPACE --format json --fail-on
# never` (release build) under heaptrack, takes every allocation site live at the heap's peak
# (`heaptrack_print --print-peaks`), names each by the first LineageKit function on its stack, and
# sums the sites by the part of the model they build. Prints a Markdown table (MB and bytes per
# document) for docs/benchmarks.md, "Memory per document". heaptrack comes from Debian
# (`apt-get install heaptrack`); a namespace missing under bench-data/ is generated.
#
# Usage: Benchmarks/heap-by-part.sh [NAMESPACE]   (default vendor-1m)
set -euo pipefail
cd "$(dirname "$0")/.."
. Benchmarks/namespaces.sh
namespace="${1:-vendor-1m}"
if ! command -v heaptrack >/dev/null || ! command -v heaptrack_print >/dev/null; then
    echo "heap-by-part: heaptrack is missing; install Debian's heaptrack package" >&2
    exit 2
fi
swift build -c release --product lineage >/dev/null
lineage=.build/release/lineage
benchmark_namespace "$lineage" "$namespace" >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
heaptrack -o "$work/trace" "$lineage" audit "bench-data/$namespace" --format json --fail-on never \
    >/dev/null 2>"$work/heaptrack.log"
trace=$(ls "$work"/trace.*)
heaptrack_print -f "$trace" --print-peaks 1 --print-allocators 0 --print-temporary 0 --print-leaks 0 \
    --peak-limit 1000 --sub-peak-limit 1000 >"$work/peaks.txt" 2>/dev/null
heaptrack_print -f "$trace" 2>/dev/null | grep -E '^peak (heap|RSS)' >"$work/summary.txt"
documents=$(wc -l <"bench-data/$namespace/documents.jsonl")
python3 - "$work/peaks.txt" "$work/summary.txt" "$documents" "$namespace" <<'PYTHON'
import re
import sys
from collections import Counter

peaks_path, summary_path, documents, namespace = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
# The first LineageKit (or lineage) function on an allocation's stack names its part. Order
# matters: the first pattern that matches wins.
parts = [
    ("RecordCollectorV4join", "`Document`s, one array"),
    ("makeDocument", "`statements` arrays"),
    ("decodeChain", "chain arrays"),
    ("StringInterner", "strings over 15 bytes (ids, timestamps) through the reader's cache"),
    ("parseStringSS", "strings over 15 bytes parsed outside the cache"),
    ("UserFieldPrintStore", "user-field fingerprints"),
    ("GraphBuilder", "graph: nodes, parent, record, root and collection arrays"),
    ("NodeGroups", "graph: children, by-root and by-collection groups"),
    ("DecompositionGraph", "graph: other arrays"),
    ("IDTable", "id tables"),
    ("parseValue", "parsed JSON (object metadata, collection configurations)"),
    ("DuplicateDocument", "`duplicate.document`'s keys"),
    ("AuditContext", "audit context"),
]
units = {"": 1, "B": 1, "K": 1e3, "M": 1e6, "G": 1e9}
totals = Counter()
amount = None
site = None


def flush():
    if amount is not None:
        totals[site or "other"] += amount


for line in open(peaks_path):
    match = re.match(r"^([\d.]+)([KMGB]?) consumed over \d+ calls from", line.strip())
    if match:
        flush()
        amount = float(match.group(1)) * units[match.group(2)]
        site = None
        continue
    if amount is not None and site is None:
        name = line.strip()
        if name.startswith("$s10LineageKit") or name.startswith("$s7lineage"):
            site = next((part for pattern, part in parts if pattern in name), "other LineageKit allocations")
flush()
summary = open(summary_path).read().strip().replace("\n", "; ")
print(f"heaptrack of `lineage audit bench-data/{namespace} --format json --fail-on never`: {summary}")
print(f"({documents:,} documents)\n")
print("| part (live at the heap's peak) | MB | bytes per document |")
print("|---|---:|---:|")
for part, total in totals.most_common():
    if total >= 0.5e6:
        print(f"| {part} | {total / 1e6:.0f} | {total / documents:.0f} |")
grand = sum(totals.values())
print(f"| in all | {grand / 1e6:.0f} | {grand / documents:.0f} |")
PYTHON
