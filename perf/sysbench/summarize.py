#!/usr/bin/env python3
"""Markdown table of sysbench outputs named <test>_t<threads>_<target>_run<pass>.txt.

usage: summarize.py DIR BASELINE TARGET [TARGET...]   (ratios are TARGET / BASELINE, TPS summed over passes)
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
    if not tps:
        return None
    return float(tps.group(1)), float(p99.group(1)) if p99 else float("nan"), int(errors.group(1)) if errors else 0


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
        f"{t} TPS (per pass) | {t} p99 ms" for t in [baseline] + targets) + " | " + " | ".join(
        f"{t}/{baseline} TPS" for t in targets) + " | errors |"
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    for test, threads in sorted({(k[0], k[1]) for k in cells}):
        row = [test, str(threads)]
        base = cells.get((test, threads, baseline), [])
        errors = 0
        for t in [baseline] + targets:
            runs = cells.get((test, threads, t), [])
            row.append(" / ".join(f"{r[0]:.0f}" for r in runs) or "-")
            row.append(" / ".join(f"{r[1]:.2f}" for r in runs) or "-")
            errors += sum(r[2] for r in runs)
        for t in targets:
            runs = cells.get((test, threads, t), [])
            if base and runs:
                row.append(f"{sum(r[0] for r in runs) / sum(r[0] for r in base):.2f}")
            else:
                row.append("-")
        row.append(str(errors))
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
