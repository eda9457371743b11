"""Markdown table of the decode reports in bench/results/decode (scripts/bench_decode.sh)."""
import glob
import json
import os
import sys

rows = []
for f in sorted(glob.glob(os.path.join(sys.argv[1] if len(sys.argv) > 1 else "bench/results/decode", "*.json"))):
    r = json.load(open(f))
    rows.append((r["config"]["system"]["nodes"], r["batch"], r["layers"], r, os.path.basename(f)))
print("| nodes | batch | layers | cycles/token | tokens/s | MBU | tR at op starts | all-reduce | host transfers | pass | wall s | simulated cycles/s |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
for n, b, layers, r, name in sorted(rows, key=lambda x: (x[2], x[0], x[1])):
    bub = r["bubbles"]
    print(f"| {n} | {b} | {layers} | {r['cycles_per_token']:.0f} | {r['tokens_per_s']:.1f} | {r['mbu']:.4f} | "
          f"{bub['tr_at_op_start']} | {bub['allreduce']} | {bub['host_transfers']} | {r['pass']} | {r['wall_s']:.1f} | "
          f"{r['cycles'] / r['wall_s']:.0f} |")
