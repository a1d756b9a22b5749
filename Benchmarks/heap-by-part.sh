#!/usr/bin/env bash
# Where the heap is at its peak, by part: runs `lineage audit NAMESPACE --format json --fail-on
# never` (release build) under heaptrack, takes every allocation site live at the heap's peak
# (`heaptrack_print --print-peaks`), names each by the first LineageKit function on its stack, and
# sums the sites by the part of the model they build. Prints a Markdown table (MB and bytes per
# document) for docs/benchmarks.md, "Memory per document". heaptrack comes from Debian
# (`apt-get install heaptrack`); a namespace missing under bench-data/ is generated.
#
# Usage: Benchmarks/heap-by-part.sh [NAMESPACE]   (default vendor-1m)
# With HEAP_BY_PART_SITES=1 it also lists, under the table, the functions behind the largest
# "other LineageKit allocations", to name a new part by.
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
# What is still allocated at exit: the CLI keeps the snapshot, graph and report to the end
# (ProcessLifetime), so this is the memory live when the process's RSS peaks, at its end.
heaptrack_print -f "$trace" --print-peaks 0 --print-allocators 0 --print-temporary 0 --print-leaks 1 \
    --peak-limit 1000 --sub-peak-limit 1000 >"$work/leaks.txt" 2>/dev/null
heaptrack_print -f "$trace" 2>/dev/null | grep -E '^peak (heap|RSS)' >"$work/summary.txt"
documents=$(wc -l <"bench-data/$namespace/documents.jsonl")
python3 - "$work/peaks.txt" "$work/summary.txt" "$documents" "$namespace" "$work/leaks.txt" <<'PYTHON'
import os
import re
import sys
from collections import Counter

peaks_path, summary_path, documents, namespace, leaks_path = sys.argv[1:6]
documents = int(documents)
# The first LineageKit (or lineage) function on an allocation's stack names its part. Order
# matters: the first pattern that matches wins.
parts = [
    ("RecordCollectorV4join", "`Document`s, one array"),
    ("JSONLinesReaderV9readPiece", "`Document`s in the reader's pieces, before they are joined"),
    ("StoreC6appendyyAA0A9Statement", "statements, in the reader's store"),
    ("StoreC7reserve10statements", "statements, in the reader's store"),
    ("StoreC7reserve5steps", "chain steps, in the reader's store"),
    ("StoreC6appendyyAA0A4Step", "chain steps, in the reader's store"),
    ("decodeChain", "chain steps, in the reader's store"),
    ("StringInterner", "strings over 15 bytes (ids, timestamps) through the reader's cache"),
    ("parseStringSS", "strings over 15 bytes parsed outside the cache"),
    ("UserFieldPrintStore", "user-field fingerprints"),
    ("SharedFacts", "shared facts: statements' ids, documents' system facts, steps' facts"),
    ("GraphBuilder", "graph: nodes, parent, record, root and collection arrays"),
    ("NodeGroups", "graph: children, by-root and by-collection groups"),
    ("DecompositionGraph", "graph: other arrays"),
    ("IDTable", "id tables"),
    ("parseValue", "parsed JSON (object metadata, collection configurations)"),
    ("DuplicateDocument", "`duplicate.document`'s keys"),
    ("AuditContext", "audit context"),
]
units = {"": 1, "B": 1, "K": 1e3, "M": 1e6, "G": 1e9}


def classify(path, verb):
    """Sums the allocation sites of one heaptrack_print listing by part; also returns the sites
    behind "other LineageKit allocations" by their first LineageKit function."""
    totals, others = Counter(), Counter()
    amount = site = function = None

    def flush():
        if amount is not None:
            totals[site or "other"] += amount
            if site == "other LineageKit allocations":
                others[function] += amount

    for line in open(path):
        match = re.match(r"^([\d.]+)([KMGB]?) " + verb + r" over \d+ calls from:$", line.strip())
        if match:
            flush()
            amount = float(match.group(1)) * units[match.group(2)]
            site = function = None
            continue
        if amount is not None and site is None:
            name = line.strip()
            if name.startswith("$s10LineageKit") or name.startswith("$s7lineage"):
                site = next((part for pattern, part in parts if pattern in name), "other LineageKit allocations")
                function = name[:160]
    flush()
    return totals, others


totals, others = classify(peaks_path, "consumed")
live, live_others = classify(leaks_path, "leaked")
summary = open(summary_path).read().strip().replace("\n", "; ")
print(f"heaptrack of `lineage audit bench-data/{namespace} --format json --fail-on never`: {summary}")
print(f"({documents:,} documents)\n")
print("| part | at the heap's peak: MB | bytes per document | live at the end: MB | bytes per document |")
print("|---|---:|---:|---:|---:|")
for part, total in (totals + live).most_common():
    if max(totals[part], live[part]) >= 0.5e6:
        print(f"| {part} | {totals[part] / 1e6:.0f} | {totals[part] / documents:.0f} "
              f"| {live[part] / 1e6:.0f} | {live[part] / documents:.0f} |")
grand, grand_live = sum(totals.values()), sum(live.values())
print(f"| in all | {grand / 1e6:.0f} | {grand / documents:.0f} | {grand_live / 1e6:.0f} | {grand_live / documents:.0f} |")
if os.environ.get("HEAP_BY_PART_SITES"):
    for title, sites in (("at the heap's peak", others), ("live at the end", live_others)):
        print(f"\nLargest other LineageKit allocations {title}, by the first LineageKit function on the stack:")
        for name, total in sites.most_common(8):
            print(f"  {total / 1e6:7.1f} MB  {name}")
PYTHON
