# Sourced by Benchmarks/run.sh and Benchmarks/side-by-side.sh: the benchmark namespaces by name.
# 10k, 100k, 1m and 10m are `lineage sample --shape mixed --seed 12` namespaces (--style compact);
# vendor-100k, vendor-1m and vendor-10m the same trees with --style vendor. They are generated under
# bench-data/ (git-ignored) when missing.

# benchmark_namespace LINEAGE SIZE: makes bench-data/SIZE when missing and prints its path.
benchmark_namespace() {
    local lineage="$1" size="$2" style=compact objects
    case "$size" in vendor-*) style=vendor ;; esac
    case "${size#vendor-}" in
        10k) objects=103 ;;
        100k) objects=1030 ;;
        1m) objects=10300 ;;
        10m) objects=103000 ;;
        *) echo "unknown size $size (10k, 100k, 1m or 10m, each also as vendor-SIZE)" >&2; return 2 ;;
    esac
    local dir="bench-data/$size"
    if [ ! -f "$dir/documents.jsonl" ]; then
        "$lineage" sample -o "$dir" --videos "$objects" --articles "$objects" --seed 12 --shape mixed \
            --style "$style" >&2
    fi
    echo "$dir"
}
