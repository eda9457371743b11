"""Checks the waves of a pnmsim run with --wave W.vcd --wave-op K --wave-scope S --timeline T:
the VCD holds only signals under S, only time stamps inside device step K's cycle window (the
report's waves.first_cycle .. last_cycle, which must equal op K's span in the timeline), and the
GTKWave view beside it names only signals of the VCD (docs/waves.md).
Usage: check_waves.py REPORT VCD GTKW TIMELINE SCOPE"""
import json
import re
import sys

report, vcd_path, gtkw_path, timeline_path, scope = sys.argv[1:6]
r = json.load(open(report))
w = r["waves"]
fail = []
if not w["found"]:
    sys.exit("the report says step %d was not reached" % w["op"])
PS = 1000  # 1 GHz in the waves: one cycle is 1000 ps

# Op K's span in the timeline is the window.
tl = json.load(open(timeline_path))
ops = [e for e in tl["traceEvents"] if e["ph"] == "X" and e["name"].startswith("op %d:" % w["op"])]
if len(ops) != 1:
    fail.append("%d timeline spans for op %d" % (len(ops), w["op"]))
else:
    a = ops[0]["args"]
    if (a["cycle"], a["cycle"] + a["cycles"] - 1) != (w["first_cycle"], w["last_cycle"]):
        fail.append("op span %s..%s, waves %s..%s" % (a["cycle"], a["cycle"] + a["cycles"] - 1, w["first_cycle"], w["last_cycle"]))

want = ["dut_top"] + re.split(r"\.(?![^\[]*\])", scope)
stack, names, times = [], set(), []
with open(vcd_path) as f:
    for line in f:
        t = line.split()
        if not t:
            continue
        if t[0] == "$scope":
            stack.append(t[2])
        elif t[0] == "$upscope":
            stack.pop()
        elif t[0] == "$var":
            path = stack + [t[4]]
            if path[:len(want)] != want:
                fail.append("signal outside the scope: " + ".".join(path))
            names.add(".".join(stack) + "." + t[4] + (t[5] if len(t) > 6 and t[5].startswith("[") else ""))
        elif line.startswith("#"):
            times.append(int(line[1:]))
if not names:
    fail.append("no signals in the VCD")
if not times:
    fail.append("no time stamps in the VCD")
else:
    lo, hi = w["first_cycle"] * PS, (w["last_cycle"] + 1) * PS
    if min(times) < lo or max(times) > hi:
        fail.append("time stamps %d..%d outside the window %d..%d" % (min(times), max(times), lo, hi))
    if min(times) > lo + PS or max(times) < hi - PS:
        fail.append("time stamps %d..%d do not cover the window %d..%d" % (min(times), max(times), lo, hi))

view = open(gtkw_path).read().splitlines()
if '[dumpfile] "%s"' % vcd_path not in view:
    fail.append("the view does not open " + vcd_path)
shown = [l for l in view if l and l[0] not in "@-[*"]
if not shown:
    fail.append("the view shows no signals")
for s in shown:
    if s not in names:
        fail.append("the view names %s, not in the VCD" % s)
if fail:
    print("\n".join(fail[:20]))
    sys.exit(1)
print("waves ok: %d signals, %d time stamps, view of %d signals" % (len(names), len(times), len(shown)))
