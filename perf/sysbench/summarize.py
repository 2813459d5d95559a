#!/usr/bin/env python3
"""Markdown tables of sysbench outputs named <test>_t<threads>_<config>_run<pass>.txt.

usage: summarize.py DIR BASELINE TARGET [TARGET...]   ratios are TARGET / BASELINE: TPS summed over passes,
                                                      latencies averaged over passes
       summarize.py --tsv DIR                          one line per test, threads and config (means over passes),
                                                      for plots.py
       summarize.py --compact DIR NATIVE PROXY FLOOR   the README's ratio table
Besides the ratio table: CPU time per transaction of each process (written by semisync.sh since 2026-11-29), the
proxy against the floor (haproxy in both paths) at the same wait point, and the proxy's counters per transaction.
"""
import collections
import pathlib
import re
import sys

PROCESSES = ("master", "replicas", "proxy", "haproxy", "sysbench")


def parse(path):
    text = path.read_text(errors="replace")
    tps = re.search(r"transactions:\s+(\d+)\s+\(([\d.]+) per sec", text)
    if not tps:
        return None
    p99 = re.search(r"99th percentile:\s+([\d.]+)", text)
    errors = re.search(r"ignored errors:\s+(\d+)", text)
    cpu_line = re.search(r"^cpu_us_per_tx (.*)$", text, re.M)
    cpu = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", cpu_line.group(1))} if cpu_line else None
    seconds = re.search(r"total time:\s+([\d.]+)s", text)
    applied = re.search(r"^replicas applied the cell (\d+) ms after it ended$", text, re.M)
    counters = {}
    for name, value in re.findall(r"\b(yes_tx|no_tx|replica_acks|reads_held|probes_sent) \+(-?\d+)", text):
        counters[name] = int(value)
    return {
        "tx": int(tps.group(1)),
        "tps": float(tps.group(2)),
        "p99": float(p99.group(1)) if p99 else None,
        "p95": histogram_percentile(text, 0.95),
        "errors": int(errors.group(1)) if errors else 0,
        "cpu": cpu,
        "counters": counters,
        # the cell's transactions over the time until the replicas had applied them (semisync.sh since 2026-12-01)
        "applied_tps": int(tps.group(1)) / (float(seconds.group(1)) + int(applied.group(1)) / 1000)
        if seconds and applied
        else None,
    }


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


def mean(values):
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None


def ratio(values, base):
    """Mean of `values` over mean of `base` (latencies: above 1 is slower), "-" when either is missing."""
    a, b = mean(values), mean(base)
    return "-" if a is None or not b else f"{a / b:.2f}"


def load(directory):
    cells = collections.defaultdict(list)
    for f in sorted(pathlib.Path(directory).glob("*_run*.txt")):
        m = re.match(r"(.+)_t(\d+)_(.+)_run(\d+)\.txt", f.name)
        if m:
            result = parse(f)
            if result:
                cells[(m.group(1), int(m.group(2)), m.group(3))].append(result)
    return cells


def cpu_means(runs):
    """Mean CPU µs per transaction of each process over the runs that recorded it (None if none did)."""
    cpus = [r["cpu"] for r in runs if r["cpu"]]
    if not cpus:
        return None
    return {p: mean([c.get(p) for c in cpus]) for p in PROCESSES}


def middleman(config):
    """The process between clients/replicas and the master in a configuration (None: direct)."""
    return "proxy" if config.startswith("proxy") else "haproxy" if config.startswith("floor") else None


def table(header, rows):
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row) + " |")


def fmt(value, pattern="{:.0f}"):
    return "-" if value is None else pattern.format(value)


def ratio_table(cells, baseline, targets):
    keys = sorted({(k[0], k[1]) for k in cells})
    header = ["test", "threads"]
    for t in [baseline] + targets:
        header += [f"{t} TPS (per pass)", f"{t} p95 ms", f"{t} p99 ms"]
    header += [x for t in targets for x in (f"{t}/{baseline} TPS", "p95", "p99")] + ["errors"]
    rows = []
    for test, threads in keys:
        row = [test, str(threads)]
        base = cells.get((test, threads, baseline), [])
        errors = 0
        for t in [baseline] + targets:
            runs = cells.get((test, threads, t), [])
            row.append(" / ".join(f"{r['tps']:.0f}" for r in runs) or "-")
            row.append(" / ".join(f"{r['p95']:.2f}" for r in runs if r["p95"] is not None) or "-")
            row.append(" / ".join(f"{r['p99']:.2f}" for r in runs if r["p99"] is not None) or "-")
            errors += sum(r["errors"] for r in runs)
        for t in targets:
            runs = cells.get((test, threads, t), [])
            if base and runs:
                row.append(f"{sum(r['tps'] for r in runs) / sum(r['tps'] for r in base):.2f}")
                row.append(ratio([r["p95"] for r in runs], [r["p95"] for r in base]))
                row.append(ratio([r["p99"] for r in runs], [r["p99"] for r in base]))
            else:
                row.extend(["-", "-", "-"])
        row.append(str(errors))
        rows.append(row)
    table(header, rows)


def cpu_table(cells, configs):
    rows = []
    for test, threads in sorted({(k[0], k[1]) for k in cells}):
        for config in configs:
            cpu = cpu_means(cells.get((test, threads, config), []))
            if not cpu:
                continue
            servers = sum(cpu[p] or 0 for p in ("master", "replicas", "proxy", "haproxy"))
            rows.append([test, str(threads), config] + [fmt(cpu[p]) for p in PROCESSES] + [fmt(servers)])
    if not rows:
        return
    print()
    print("CPU time per transaction, µs (/proc/<pid>/stat of each process and all its threads, sysbench from bash's")
    print("`times`; mean over passes). *replicas*: all replicas together, from the start of the cell until they had")
    print("applied everything it committed (their CPU during the cell alone is `replicas_in_cell` in the raw files);")
    print("*total*: everything but sysbench. The proxy tails the master's binlog in every configuration (so it shows")
    print("some CPU in the others); it relays clients and serves the replicas only in `proxy*`; haproxy carries traffic")
    print("only in `floor*`.")
    print()
    table(["test", "threads", "config"] + list(PROCESSES) + ["total"], rows)


def versus_pairs(configs):
    """(proxy config, floor config) at the same wait point, both present."""
    pairs = []
    for p in configs:
        if not p.startswith("proxy"):
            continue
        floor = "floor_after_sync" if p.endswith("after_sync") else "floor"
        if floor in configs:
            pairs.append((p, floor))
    return pairs


def versus_table(cells, proxy, floor):
    rows = []
    met_all = collections.Counter()
    for test, threads in sorted({(k[0], k[1]) for k in cells}):
        p_runs, f_runs = cells.get((test, threads, proxy), []), cells.get((test, threads, floor), [])
        if not p_runs or not f_runs:
            continue
        tps = sum(r["tps"] for r in p_runs) / sum(r["tps"] for r in f_runs)
        applied = None
        if all(r["applied_tps"] for r in p_runs + f_runs):
            applied = sum(r["applied_tps"] for r in p_runs) / sum(r["applied_tps"] for r in f_runs)
        p99p, p99f = mean([r["p99"] for r in p_runs]), mean([r["p99"] for r in f_runs])
        dp99 = None if p99p is None or p99f is None else p99p - p99f
        cp, cf = cpu_means(p_runs), cpu_means(f_runs)
        mid_p = cp["proxy"] if cp else None
        mid_f = cf["haproxy"] if cf else None
        cpu_ratio = mid_p / mid_f if mid_p is not None and mid_f else None
        tot_p = sum(cp[x] or 0 for x in ("master", "replicas", "proxy", "haproxy")) if cp else None
        tot_f = sum(cf[x] or 0 for x in ("master", "replicas", "proxy", "haproxy")) if cf else None
        met = [tps >= 1.0, dp99 is not None and dp99 <= 0.5, cpu_ratio is not None and cpu_ratio <= 1.5]
        for i, ok in enumerate(met):
            met_all[i] += ok
        rows.append([test, str(threads), f"{mean([r['tps'] for r in p_runs]):.0f}",
                     f"{mean([r['tps'] for r in f_runs]):.0f}", f"**{tps:.2f}**", fmt(applied, "{:.2f}"),
                     fmt(p99p, "{:.2f}"),
                     fmt(p99f, "{:.2f}"), fmt(dp99, "{:+.2f}"), fmt(mid_p), fmt(mid_f), fmt(cpu_ratio, "{:.2f}"),
                     fmt(tot_p), fmt(tot_f), " / ".join("yes" if ok else "no" for ok in met)])
    if not rows:
        return
    print()
    print(f"`{proxy}` against the floor `{floor}` (the master's plugin with haproxy, TCP mode, in both paths). "
          "Targets (issue #12): TPS ratio ≥ 1.0, p99 ≤ floor + 0.5 ms, the proxy's CPU per transaction ≤ 1.5× "
          "haproxy's. TPS and p99 are means over passes; *until applied*: the TPS ratio with each cell's time "
          "counted until both replicas had applied its transactions (a configuration whose replicas lag leaves "
          "work after its cell; not a target, shown beside it); *total CPU*: master + replicas + proxy + haproxy, "
          "µs per transaction (the proxy's binlog tail included in both).")
    print()
    table(["test", "threads", f"{proxy} TPS", f"{floor} TPS", "TPS ratio", "until applied", f"{proxy} p99 ms",
           f"{floor} p99 ms",
           "p99 diff ms", "proxy CPU µs/tx", "haproxy CPU µs/tx", "CPU ratio", f"total CPU {proxy}",
           f"total CPU {floor}", "met: TPS / p99 / CPU"], rows)
    print()
    print(f"Targets met in {met_all[0]} / {met_all[1]} / {met_all[2]} of {len(rows)} cells (TPS / p99 / CPU).")


def counter_table(cells, configs):
    rows = []
    for test, threads in sorted({(k[0], k[1]) for k in cells}):
        for config in configs:
            runs = cells.get((test, threads, config), [])
            if not runs or not any(r["counters"] for r in runs):
                continue
            tx = sum(r["tx"] for r in runs)
            total = collections.Counter()
            for r in runs:
                total.update(r["counters"])
            per = lambda name: "-" if name not in total else f"{total[name]:,} ({total[name] / max(tx, 1):.2f})"
            rows.append([test, str(threads), config, f"{tx:,}", per("yes_tx"), per("no_tx"), per("replica_acks"),
                         per("reads_held"), per("probes_sent")])
    if not rows:
        return
    print()
    print("Semi-sync counters over the cells (sum over passes; per sysbench transaction in brackets): yes_tx / no_tx")
    print("(the plugin's `Rpl_semi_sync_master_yes_tx` / `no_tx`, or the proxy's), the ACKs the replicas sent (their")
    print("`Rpl_semi_sync_slave_send_ack`, all replicas together), responses held in AFTER_SYNC")
    print("(`semisync_reads_held_total`) and `SHOW MASTER STATUS` position probes sent (`semisync_probes_sent_total`),")
    print("the proxy's only.")
    print()
    table(["test", "threads", "config", "transactions", "yes_tx", "no_tx", "replica ACKs", "reads held", "probes"],
          rows)


def tsv(directory):
    cells = load(directory)
    print("\t".join(["test", "threads", "config", "tps", "p95", "p99"] + list(PROCESSES)))
    for (test, threads, config), runs in sorted(cells.items()):
        cpu = cpu_means(runs) or {}
        values = [mean([r["tps"] for r in runs]), mean([r["p95"] for r in runs]), mean([r["p99"] for r in runs])]
        values += [cpu.get(p) for p in PROCESSES]
        print("\t".join([test, str(threads), config] + ["NaN" if v is None else f"{v:.3f}" for v in values]))


def compact(directory, native, proxy, floor):
    """One row per cell for the README: proxy/native and proxy/floor TPS, p99 difference, CPU ratios."""
    cells = load(directory)
    rows = []
    for test, threads in sorted({(k[0], k[1]) for k in cells}):
        n, p, f = (cells.get((test, threads, c), []) for c in (native, proxy, floor))
        if not p:
            continue
        tps = lambda runs: sum(r["tps"] for r in runs) / len(runs) if runs else None
        div = lambda a, b: None if a is None or not b else a / b
        p99 = lambda runs: mean([r["p99"] for r in runs])
        cp, cf, cn = cpu_means(p), cpu_means(f), cpu_means(n)
        total = lambda c: None if not c else sum(c[x] or 0 for x in ("master", "replicas", "proxy", "haproxy"))
        rows.append([test, str(threads), fmt(tps(p)), fmt(div(tps(p), tps(n)), "{:.2f}"),
                     fmt(div(tps(p), tps(f)), "{:.2f}"), fmt(div(tps(f), tps(n)), "{:.2f}"),
                     fmt(None if p99(p) is None or p99(f) is None else p99(p) - p99(f), "{:+.2f}"),
                     fmt(div(cp and cp["proxy"], cf and cf["haproxy"]), "{:.1f}"),
                     fmt(div(total(cp), total(cf)), "{:.2f}"), fmt(div(total(cp), total(cn)), "{:.2f}")])
    table(["test", "threads", f"{proxy} TPS", f"{proxy}/{native}", f"{proxy}/{floor}", f"{floor}/{native}",
           f"p99 {proxy} − {floor}, ms", "proxy CPU / haproxy CPU per tx", f"total CPU {proxy}/{floor}",
           f"total CPU {proxy}/{native}"], rows)


def main():
    if sys.argv[1] == "--tsv":
        tsv(sys.argv[2])
        return
    if sys.argv[1] == "--compact":
        compact(*sys.argv[2:6])
        return
    directory, baseline, targets = sys.argv[1], sys.argv[2], sys.argv[3:]
    cells = load(directory)
    configs = [baseline] + targets
    ratio_table(cells, baseline, targets)
    for proxy, floor in versus_pairs(configs):
        versus_table(cells, proxy, floor)
    cpu_table(cells, configs)
    counter_table(cells, configs)


if __name__ == "__main__":
    main()
