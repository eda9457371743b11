#!/usr/bin/env python3
"""Plots from pnmsim outputs (docs/waves.md):
  breakdown.png  per token: cycles spent streaming weights, in tR at op starts, in all-reduce, in
                 host transfers and the rest (the report's per_token breakdown)
  roofline.png   per device step (op) of node 0 from --counters-per-op rows (differences of
                 consecutive rows; op 0 from reset): achieved
                 multiply-accumulates per cycle against arithmetic intensity (MACs per weight
                 byte), under the flash-bandwidth roof and the GEMV datapath roof; each op twice,
                 over its GEMV execution cycles and over the whole step (host transfers included)
  scaling.png    tokens/s and MBU against nodes, one line per batch size, from several reports
  timeline.png   the --timeline JSON drawn as a Gantt chart, one row per track, over a cycle window
                 (default: the first three device steps)
Usage:
  scripts/plot_report.py REPORT.json [--counters C.csv] [--scaling R.json ...]
                         [--timeline T.json [--window FIRST:LAST]] -o OUTDIR
Installs matplotlib into the project virtual environment (.venv) when it is missing."""
import argparse
import csv
import json
import os
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
try:
    import matplotlib
except ImportError:
    venv_py = ROOT / ".venv/bin/python"
    if pathlib.Path(sys.prefix).resolve() == (ROOT / ".venv").resolve():
        sys.exit("plot_report: matplotlib is missing from .venv (scripts/requirements-plot.txt)")
    subprocess.run(["bash", "-c", f'root="{ROOT}"; source "{ROOT}/scripts/lib/venv.sh"'], check=True)
    os.execv(str(venv_py), [str(venv_py), __file__] + sys.argv[1:])

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

PARTS = [("stream", "weight streaming"), ("tr_at_op_start", "tR at op starts"), ("allreduce", "all-reduce"),
         ("host_transfers", "host transfers"), ("other", "other")]


def fail(msg):
    print(f"plot_report: {msg}", file=sys.stderr)
    sys.exit(2)


def load_report(path, keys=("per_token", "config", "cycles", "tokens_per_s", "mbu", "batch", "model")):
    try:
        r = json.load(open(path))
    except (OSError, json.JSONDecodeError) as e:
        fail(f"{path}: {e}")
    for key in keys:
        if key not in r:
            fail(f"{path}: {key}: missing (a pnmsim --report JSON of this version is needed)")
    return r


def title(r):
    layers = f"{r['layers']} layer(s)" if not r.get("all_layers") else "all layers"
    return f"{r['model']['name']}, {r['config']['system']['nodes']} nodes, batch {r['batch']}, {layers}"


def breakdown(r, out):
    toks = r["per_token"]
    if not toks:
        fail("per_token: empty (the run decoded no token)")
    fig, ax = plt.subplots(figsize=(8.5, 4.2))
    x = list(range(len(toks)))
    bottom = [0.0] * len(toks)
    for key, label in PARTS:
        vals = [t[key] / 1e3 for t in toks]
        ax.bar(x, vals, bottom=bottom, label=label, width=0.6)
        bottom = [b + v for b, v in zip(bottom, vals)]
    for i, t in enumerate(toks):
        ax.text(i, bottom[i], f"{t['cycles'] / 1e3:,.0f}k", ha="center", va="bottom", fontsize=8)
    ax.set_xticks(x, [f"token {i}" for i in x])
    ax.set_ylabel("thousand cycles (node 0)")
    ax.set_title(f"Time per token: {title(r)}", fontsize=10)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.tight_layout()
    fig.savefig(out, dpi=110)


def roofline(r, counters, out):
    rows = [row for row in csv.DictReader(open(counters)) if row["node"] == "0"]
    ops = [row for row in rows if row["when"] == "op"]
    if not ops:
        fail(f"{counters}: no per-op rows of node 0 (run pnmsim with --counters-per-op)")
    c = r["config"]
    bw = c["flash"]["channels"] * c["flash"]["channel_bytes_per_cycle"]  # bytes per cycle per node
    lane = c["gemv"]["lane_bytes"]                                          # GEMV bytes per cycle
    pts = []
    prev = {k: 0 for k in ops[0]}  # op 0 is measured from reset (its "whole step" includes set-up)
    for row in ops:
        d = {k: int(row[k]) - int(prev[k]) for k in ("flash_bytes", "gemv_macs", "cycles", "seq_gemv")}
        if d["flash_bytes"] > 0 and d["gemv_macs"] > 0:
            tensor = row["step"].split(" ")[0]
            pts.append((d["gemv_macs"] / d["flash_bytes"], d["gemv_macs"] / max(1, d["seq_gemv"]),
                        d["gemv_macs"] / max(1, d["cycles"]), tensor))
        prev = row
    if not pts:
        fail(f"{counters}: no op moved weights between two counter rows")
    fig, ax = plt.subplots(figsize=(9.5, 4.8))
    xs = [p[0] for p in pts]
    lo, hi = min(xs) / 2, max(xs) * 2
    grid = [lo * (hi / lo) ** (i / 50) for i in range(51)]
    ax.plot(grid, [bw * g for g in grid], color="black", label=f"flash roof {bw} B/cycle x intensity")
    if lane != bw:
        ax.plot(grid, [lane * g for g in grid], color="grey", linestyle="--", label=f"GEMV datapath {lane} B/cycle")
    colors = {}
    for x, y_exec, y_step, tensor in pts:
        col = colors.setdefault(tensor, f"C{len(colors)}")
        ax.scatter([x], [y_exec], color=col, marker="o", s=22,
                   label=f"{tensor}: over GEMV execution" if f"{tensor}e" not in colors else None)
        ax.scatter([x], [y_step], color=col, marker="x", s=22,
                   label=f"{tensor}: over the whole step" if f"{tensor}s" not in colors else None)
        colors[f"{tensor}e"] = colors[f"{tensor}s"] = col
    ax.set_xscale("log", base=2)
    ax.set_yscale("log", base=2)
    ax.set_xlabel("arithmetic intensity (MACs per weight byte)")
    ax.set_ylabel("MACs per cycle (node 0)")
    ax.set_title(f"Roofline per op: {title(r)}", fontsize=10)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    fig.savefig(out, dpi=110)


def scaling(paths, out):
    runs = [load_report(p, ("config", "tokens_per_s", "mbu", "batch", "model")) for p in paths]
    by_batch = {}
    for r in runs:
        by_batch.setdefault(r["batch"], []).append((r["config"]["system"]["nodes"], r["tokens_per_s"], r["mbu"]))
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(10, 4.2))
    for b, pts in sorted(by_batch.items()):
        pts.sort()
        n = [p[0] for p in pts]
        a1.plot(n, [p[1] for p in pts], marker="o", label=f"batch {b}")
        a2.plot(n, [p[2] for p in pts], marker="o", label=f"batch {b}")
    for a in (a1, a2):
        a.set_xscale("log", base=2)
        a.set_xlabel("nodes")
        a.grid(True, alpha=0.3)
        a.legend(fontsize=8)
    a1.set_ylabel("tokens/s (all sequences)")
    a2.set_ylabel("MBU")
    a2.set_ylim(0, 1.05)
    layers = sorted({"all" if r.get("all_layers") else str(r.get("layers", "?")) for r in runs})
    fig.suptitle(f"Scaling: {runs[0]['model']['name']}, {len(runs)} runs, layers per token: {', '.join(layers)} "
                 "(+ LM head)", fontsize=10)
    fig.tight_layout()
    fig.savefig(out, dpi=110)


def timeline_plot(path, window, out):
    try:
        tl = json.load(open(path))
    except (OSError, json.JSONDecodeError) as e:
        fail(f"{path}: {e}")
    ev = tl.get("traceEvents")
    if not isinstance(ev, list):
        fail(f"{path}: traceEvents: missing (a pnmsim --timeline JSON is needed)")
    procs = {e["pid"]: e["args"]["name"] for e in ev if e.get("ph") == "M" and e["name"] == "process_name"}
    tracks = {(e["pid"], e["tid"]): e["args"]["name"] for e in ev if e.get("ph") == "M" and e["name"] == "thread_name"}
    spans = [e for e in ev if e.get("ph") == "X"]
    if window:
        try:
            lo, hi = (int(x) for x in window.split(":"))
        except ValueError:
            fail(f"--window: expected FIRST:LAST cycles, got '{window}'")
    else:
        ops = sorted((e["args"]["cycle"], e["args"]["cycle"] + e["args"]["cycles"]) for e in spans
                     if e["name"].startswith("op "))
        if not ops:
            fail(f"{path}: no op spans")
        lo, hi = ops[0][0], ops[min(2, len(ops) - 1)][1]
    rows = sorted(tracks, key=lambda k: (k[0], k[1]))
    fig, ax = plt.subplots(figsize=(11, 0.32 * len(rows) + 1.6))
    colors = {}
    cmap = plt.get_cmap("tab20")
    for i, key in enumerate(rows):
        mine = sorted(((e["args"]["cycle"], e["args"]["cycle"] + e["args"]["cycles"], e["name"]) for e in spans
                       if (e["pid"], e["tid"]) == key), key=lambda t: (t[0], -t[1]))
        stack = []
        for s0, s1, label in mine:  # nested spans are drawn thinner, over their parents
            while stack and stack[-1] <= s0:
                stack.pop()
            depth = len(stack)
            stack.append(s1)
            if s1 <= lo or s0 >= hi:
                continue
            name = "op" if label.startswith("op ") else label.split(" ")[0].rstrip(":")
            col = colors.setdefault(name, cmap(len(colors) % 20))
            h = max(0.2, 0.8 - 0.25 * depth)
            ax.broken_barh([(max(s0, lo), min(s1, hi) - max(s0, lo))], (i - h / 2, h), color=col)
    ax.set_yticks(range(len(rows)), [f"{procs[k[0]]}: {tracks[k]}" for k in rows], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlim(lo, hi)
    ax.set_xlabel("cycle")
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in colors.values()]
    ax.legend(handles, list(colors), fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.set_title(f"Timeline, cycles {lo:,} to {hi:,} ({path.split('/')[-1]})", fontsize=10)
    fig.tight_layout()
    fig.savefig(out, dpi=110)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("report", help="pnmsim --report JSON")
    ap.add_argument("--counters", help="pnmsim --counters CSV with --counters-per-op rows (roofline)")
    ap.add_argument("--scaling", nargs="+", default=[], help="reports of several runs (scaling plot)")
    ap.add_argument("--timeline", help="pnmsim --timeline JSON (Gantt chart)")
    ap.add_argument("--window", help="with --timeline: FIRST:LAST cycles (default: the first three steps)")
    ap.add_argument("-o", "--outdir", required=True)
    a = ap.parse_args()
    out = pathlib.Path(a.outdir)
    out.mkdir(parents=True, exist_ok=True)
    r = load_report(a.report)
    written = [out / "breakdown.png"]
    breakdown(r, written[-1])
    if a.counters:
        written.append(out / "roofline.png")
        roofline(r, a.counters, written[-1])
    if a.scaling:
        written.append(out / "scaling.png")
        scaling(a.scaling, written[-1])
    if a.timeline:
        written.append(out / "timeline.png")
        timeline_plot(a.timeline, a.window, written[-1])
    for w in written:
        print(w)
    return 0


if __name__ == "__main__":
    sys.exit(main())
