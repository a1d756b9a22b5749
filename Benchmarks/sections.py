"""Shared by Benchmarks/run.sh: what machine this is, and rewriting one generated section of
docs/benchmarks.md (between <!-- NAME:begin --> and <!-- NAME:end -->)."""
import re
import subprocess


def machine():
    """The CPU model and the number of cores, for the line above each table."""
    cpu = "unknown CPU"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cores = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    return cpu, cores


def write_section(name, section, path="docs/benchmarks.md"):
    """Replaces the generated section NAME of PATH with SECTION, and prints it."""
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    text = open(path).read()
    text = re.sub(re.escape(begin) + ".*?" + re.escape(end), begin + "\n" + section + "\n" + end, text, flags=re.S)
    open(path, "w").write(text)
    print(section)


def read_runs(path):
    """The runs `/usr/bin/time -f "SIZE TOOL %e %U %S %M"` appended to PATH, by (size, tool), each
    (wall, user, system, peak RSS in KB)."""
    import collections
    runs = collections.defaultdict(list)
    for line in open(path):
        parts = line.split()
        if len(parts) == 6:
            runs[(parts[0], parts[1])].append(tuple(map(float, parts[2:])))
    return runs


def namespace_input(size):
    """Input bytes (documents, objects, collections) and documents of bench-data/SIZE."""
    import os
    directory = f"bench-data/{size}"
    size_bytes = sum(os.path.getsize(f"{directory}/{name}") for name in ("documents.jsonl", "objects.jsonl", "collections.json"))
    documents = sum(1 for _ in open(f"{directory}/documents.jsonl", "rb"))
    return size_bytes, documents
