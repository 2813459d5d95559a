#!/usr/bin/env python3
"""Markdown table of sysbench outputs named <test>_t<threads>_<target>_run<pass>.txt.

usage: summarize.py DIR BASELINE TARGET [TARGET...]   (ratios are TARGET / BASELINE: TPS summed over passes,
       latencies averaged over passes)
"""
import collections
import pathlib
import re
import sys


def parse(path):
    text = path.read_text(errors="replace")
    tps = re.search(r"transactions:\s+\d+\s+\(([\d.]+) per sec", text)
    p99 = re.search(r"99th percentile:\s+([\d.]+)", text)
    errors = re.search(r"ignored errors:\s+(\d+)", text)
    cpu = re.search(r"cpu_us_per_tx master=(\d+) replicas=(\d+) proxy=(\d+)", text)
    p95 = histogram_percentile(text, 0.95)
    if not tps:
        return None
    return (
        float(tps.group(1)),
        float(p99.group(1)) if p99 else float("nan"),
        int(errors.group(1)) if errors else 0,
        tuple(int(x) for x in cpu.groups()) if cpu else None,
        p95,
    )


def histogram_percentile(text, fraction):
    """The bucket value at which sysbench's latency histogram (--histogram=on) reaches `fraction` of the events."""
    if "Latency histogram" not in text:
        return None
    buckets = [(float(v), int(c)) for v, c in re.findall(r"^\s+([\d.]+) \|[* ]*\s(\d+)$", text, re.M)]
    total = sum(c for _, c in buckets)
    seen = 0
    for value, count in buckets:
        seen += count
        if total and seen >= fraction * total:
            return value
    return None


def ratio(values, base):
    """Mean of `values` over mean of `base` (latencies: above 1 is slower), "-" when either is missing."""
    values, base = [v for v in values if v is not None], [b for b in base if b is not None]
    if not values or not base:
        return "-"
    return f"{(sum(values) / len(values)) / (sum(base) / len(base)):.2f}"


def cpu_table(cells, configs):
    """CPU time per transaction of each process, mean over passes (written by semisync.sh since 2026-11-29)."""
    rows = []
    for test, threads in sorted({(k[0], k[1]) for k in cells}):
        row = [test, str(threads)]
        for t in configs:
            cpus = [r[3] for r in cells.get((test, threads, t), []) if r[3]]
            if cpus:
                mean = [sum(c[i] for c in cpus) / len(cpus) for i in range(3)]
                row.append(f"{mean[0]:.0f} / {mean[1]:.0f} / {mean[2]:.0f} = {sum(mean):.0f}")
            else:
                row.append("-")
        rows.append(row)
    if not any(cell != "-" for row in rows for cell in row[2:]):
        return
    print()
    print("CPU time per transaction, µs (mean over passes): master / both replicas / proxy = total. The proxy tails")
    print("the master's binlog in every configuration; it relays clients and serves the replicas only in `proxy`.")
    print()
    header = "| test | threads | " + " | ".join(configs) + " |"
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    for row in rows:
        print("| " + " | ".join(row) + " |")


def main():
    directory, baseline, targets = pathlib.Path(sys.argv[1]), sys.argv[2], sys.argv[3:]
    cells = collections.defaultdict(list)
    for f in sorted(directory.glob("*_run*.txt")):
        m = re.match(r"(.+)_t(\d+)_(.+)_run(\d+)\.txt", f.name)
        if m:
            result = parse(f)
            if result:
                cells[(m.group(1), int(m.group(2)), m.group(3))].append(result)
    header = "| test | threads | " + " | ".join(
        f"{t} TPS (per pass) | {t} p95 ms | {t} p99 ms" for t in [baseline] + targets) + " | " + " | ".join(
        f"{t}/{baseline} TPS | p95 | p99" for t in targets) + " | errors |"
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    for test, threads in sorted({(k[0], k[1]) for k in cells}):
        row = [test, str(threads)]
        base = cells.get((test, threads, baseline), [])
        errors = 0
        for t in [baseline] + targets:
            runs = cells.get((test, threads, t), [])
            row.append(" / ".join(f"{r[0]:.0f}" for r in runs) or "-")
            row.append(" / ".join(f"{r[4]:.2f}" for r in runs if r[4] is not None) or "-")
            row.append(" / ".join(f"{r[1]:.2f}" for r in runs) or "-")
            errors += sum(r[2] for r in runs)
        for t in targets:
            runs = cells.get((test, threads, t), [])
            if base and runs:
                row.append(f"{sum(r[0] for r in runs) / sum(r[0] for r in base):.2f}")
                row.append(ratio([r[4] for r in runs], [r[4] for r in base]))
                row.append(ratio([r[1] for r in runs], [r[1] for r in base]))
            else:
                row.extend(["-", "-", "-"])
        row.append(str(errors))
        print("| " + " | ".join(row) + " |")
    cpu_table(cells, [baseline] + targets)


if __name__ == "__main__":
    main()
