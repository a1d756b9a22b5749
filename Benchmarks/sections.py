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
