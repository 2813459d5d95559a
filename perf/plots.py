#!/usr/bin/env python3
"""PNG plots of the sysbench results with gnuplot (installed with apt-get when missing).

usage: perf/plots.py [RESULTS_DIR (perf/results)] [PLOTS_DIR (RESULTS_DIR/plots)]

For each results directory with sysbench cells (semisync, aftersync, passthrough, fanout):
  <dir>-<test>.png      TPS against threads and p99 against threads, one line per configuration (means over passes)
  <dir>-cpu-<test>.png  CPU time per transaction, one stacked bar (master, replicas, proxy, haproxy) per
                        configuration, grouped by thread count
"""
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent / "sysbench"))
import summarize  # noqa: E402

DIRS = ("semisync", "aftersync", "passthrough", "fanout")
# one colour per configuration, the same in every plot
COLOURS = {
    "native_after_commit": "#1f77b4", "native_after_sync": "#17becf", "direct": "#1f77b4",
    "proxy": "#d62728", "proxy_after_commit": "#ff7f0e", "proxy_after_sync": "#d62728",
    "floor": "#2ca02c", "floor_after_sync": "#2ca02c",
}
SHORT = {
    "native_after_commit": "native AC", "native_after_sync": "native AS", "direct": "direct", "proxy": "proxy",
    "proxy_after_commit": "proxy AC", "proxy_after_sync": "proxy AS", "floor": "floor", "floor_after_sync": "floor AS",
}
STACK = (("master", "#1f77b4"), ("replicas", "#aec7e8"), ("proxy", "#d62728"), ("haproxy", "#2ca02c"))
TERMINAL = "set terminal pngcairo size {w},{h} font 'Sans,9' noenhanced\n"


def ensure_gnuplot():
    if shutil.which("gnuplot"):
        return
    print("plots: installing gnuplot-nox with apt-get (needs root)", file=sys.stderr)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "gnuplot-nox"], check=True, env=env,
                   stdout=subprocess.DEVNULL)


def config_order(cells):
    """Configurations in a stable order: the scripts' own order where known, then alphabetical."""
    known = ["native_after_commit", "native_after_sync", "direct", "floor", "floor_after_sync", "proxy",
             "proxy_after_commit", "proxy_after_sync"]
    present = {k[2] for k in cells}
    return [c for c in known if c in present] + sorted(present - set(known))


def line_plot(name, cells, test, configs, tmp, out):
    threads = sorted({k[1] for k in cells if k[0] == test})
    plots_tps, plots_p99 = [], []
    for config in configs:
        rows = []
        for t in threads:
            runs = cells.get((test, t, config))
            if runs:
                rows.append((t, summarize.mean([r["tps"] for r in runs]), summarize.mean([r["p99"] for r in runs])))
        if not rows:
            continue
        data = tmp / f"{name}-{test}-{config}.dat"
        data.write_text("".join(f"{t} {tps:.3f} {p99 if p99 is not None else 'NaN'}\n" for t, tps, p99 in rows))
        style = f"with linespoints lw 2 pt 7 ps 0.8 lc rgb '{COLOURS.get(config, '#7f7f7f')}' title '{config}'"
        plots_tps.append(f"'{data}' using 1:2 {style}")
        plots_p99.append(f"'{data}' using 1:3 {style}")
    if not plots_tps:
        return None
    png = out / f"{name}-{test}.png"
    xtics = ", ".join(str(t) for t in threads)
    script = TERMINAL.format(w=900, h=330) + f"""
set output '{png}'
set multiplot layout 1,2 title '{name}: {test} (means over passes)'
set logscale x 2
set xtics ({xtics})
set xrange [{threads[0] / 1.3}:{threads[-1] * 1.3}]
set xlabel 'sysbench threads'
set grid
set key top left
set ylabel 'transactions/s'
set yrange [0:*]
plot {", ".join(plots_tps)}
set ylabel 'p99 latency, ms'
set logscale y
set yrange [*:*]
plot {", ".join(plots_p99)}
unset multiplot
"""
    run_gnuplot(script, tmp / f"{name}-{test}.gp")
    return png


def cpu_plot(name, cells, test, configs, tmp, out):
    threads = sorted({k[1] for k in cells if k[0] == test})
    groups = []
    for t in threads:
        rows = []
        for config in configs:
            cpu = summarize.cpu_means(cells.get((test, t, config), []))
            if cpu:
                rows.append((SHORT.get(config, config), [cpu[p] or 0 for p, _ in STACK]))
        if rows:
            data = tmp / f"{name}-cpu-{test}-t{t}.dat"
            data.write_text("".join(f"\"{label}\" " + " ".join(f"{v:.1f}" for v in values) + "\n"
                                    for label, values in rows))
            groups.append((t, data, len(rows)))
    if not groups:
        return None
    parts = []
    for i, (t, data, _) in enumerate(groups):
        columns = []
        for j, (process, colour) in enumerate(STACK):
            title = f"title '{process}'" if i == 0 else "notitle"
            using = f"using {j + 2}:xtic(1)" if j == 0 else f"using {j + 2}"
            columns.append(f"'{data}' {using} lc rgb '{colour}' {title}")
        parts.append(f"newhistogram '{t} threads' lt 1, " + ", ".join(columns))
    width = max(640, 70 + 48 * sum(n + 1 for _, _, n in groups))
    png = out / f"{name}-cpu-{test}.png"
    script = TERMINAL.format(w=min(width, 1100), h=360) + f"""
set output '{png}'
set title '{name}: {test}, CPU time per transaction by process (/proc/<pid>/stat, means over passes)'
set style data histograms
set style histogram rowstacked title offset 0,-1.2
set style fill solid 0.9 border -1
set boxwidth 0.75
set xtics rotate by -45 scale 0
set bmargin 6
set ylabel 'CPU µs per transaction'
set yrange [0:*]
set grid ytics
set key outside right top
plot {", ".join(parts)}
"""
    run_gnuplot(script, tmp / f"{name}-cpu-{test}.gp")
    return png


def run_gnuplot(script, path):
    path.write_text(script)
    subprocess.run(["gnuplot", str(path)], check=True)


def main():
    results = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parent / "results")
    out = pathlib.Path(sys.argv[2]) if len(sys.argv) > 2 else results / "plots"
    ensure_gnuplot()
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = pathlib.Path(tmp_name)
        for name in DIRS:
            directory = results / name
            if not directory.is_dir():
                continue
            cells = summarize.load(directory)
            if not cells:
                continue
            configs = config_order(cells)
            for test in sorted({k[0] for k in cells}):
                written.append(line_plot(name, cells, test, configs, tmp, out))
                if any(r["cpu"] for k, runs in cells.items() if k[0] == test for r in runs):
                    written.append(cpu_plot(name, cells, test, configs, tmp, out))
    for png in filter(None, written):
        print(f"plots: {png} ({png.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
