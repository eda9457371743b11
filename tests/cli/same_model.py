"""Exit 0 when two pnmsim runs of one workload, on the split and on the single Verilated model,
agree cycle for cycle: every key of the JSON reports (but the wall-clock times and the model's
name), the timelines' events and the counter CSVs.

usage: same_model.py A.json B.json [[A_timeline.json B_timeline.json] A.csv B.csv]
"""
import json
import sys

IGNORED = {"wall_s", "ref_wall_s", "sim_model", "quiet_cycles", "falls_skipped", "quiet_windows"}


def main(argv):
    if len(argv) not in (3, 5, 7):
        print(__doc__.strip().splitlines()[-1])
        return 2
    a, b = (json.load(open(f)) for f in argv[1:3])
    bad = []
    if a.get("sim_model") == b.get("sim_model"):
        bad.append(f"both runs used the same model: {a.get('sim_model')!r}")
    for k in sorted(set(a) | set(b)):
        if k not in IGNORED and a.get(k) != b.get(k):
            bad.append(f"report key {k!r}: {str(a.get(k))[:120]} != {str(b.get(k))[:120]}")
    if not a.get("pass") or not b.get("pass"):
        bad.append("a run did not pass")
    if len(argv) == 7:
        ta, tb = (json.load(open(f))["traceEvents"] for f in argv[3:5])
        if ta != tb:
            diff = next((i for i, (x, y) in enumerate(zip(ta, tb)) if x != y), min(len(ta), len(tb)))
            bad.append(f"timelines differ at event {diff} of {len(ta)}/{len(tb)}")
    if len(argv) >= 5:
        ca, cb = (open(f).read().splitlines() for f in argv[-2:])
        if ca != cb:
            diff = next((i for i, (x, y) in enumerate(zip(ca, cb)) if x != y), min(len(ca), len(cb)))
            bad.append(f"counter CSVs differ at line {diff + 1}")
    for line in bad:
        print(line)
    if not bad:
        quiet = a.get("quiet_cycles") or b.get("quiet_cycles")
        falls = a.get("falls_skipped") or b.get("falls_skipped") or 0
        windows = a.get("quiet_windows") or b.get("quiet_windows") or 0
        print(f"same model: {a['tokens']} tokens, {a['cycles']} cycles, "
              f"{a['values_checked']} values, identical"
              + (f"; {quiet} quiet cycles ({windows} windows), {falls} falling evaluations left out" if quiet else ""))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
