"""Checks the observability outputs of one pnmsim run against its JSON report (docs/waves.md):
  --timeline  valid trace-event JSON; on every track the spans are disjoint or nested; the token
              spans add up to the report's cycles; node 0's tR-wait and collective spans add up to
              the report's bubbles exactly, its idle spans to the host bubble within the counter
              reads; every device step has an op span; the commands carry their op.
  --counters  one row per node at the end (and per device step with --counters-per-op); the
              columns are the counters of docs/counters.md; the values never decrease; the end
              rows agree with the report (flash bytes, collectives).
Usage: check_observability.py REPORT TIMELINE COUNTERS_CSV COUNTERS_MD"""
import collections
import csv
import json
import re
import sys

report = json.load(open(sys.argv[1]))
timeline = json.load(open(sys.argv[2]))
rows = list(csv.DictReader(open(sys.argv[3])))
counters_md = open(sys.argv[4]).read()
nodes = report["config"]["system"]["nodes"]
fail = []


def check(cond, what):
    if not cond:
        fail.append(what)


# ---- timeline ----
events = timeline["traceEvents"]
procs = {e["pid"]: e["args"]["name"] for e in events if e["ph"] == "M" and e["name"] == "process_name"}
tracks = {(e["pid"], e["tid"]): e["args"]["name"] for e in events if e["ph"] == "M" and e["name"] == "thread_name"}
spans = [e for e in events if e["ph"] == "X"]
check(set(procs.values()) >= {"host"} | {f"node {n}" for n in range(nodes)}, f"processes {sorted(procs.values())}")
for e in spans:
    check(e["args"]["cycles"] >= 0 and (e["pid"], e["tid"]) in tracks, f"span without a named track: {e}")
    us = timeline["otherData"]["us_per_cycle"]
    check(abs(e["ts"] - e["args"]["cycle"] * us) < 1e-6 * max(1, e["ts"]), f"ts does not match the cycle: {e}")
by_track = collections.defaultdict(list)
for e in spans:
    by_track[(e["pid"], e["tid"])].append((e["args"]["cycle"], e["args"]["cycle"] + e["args"]["cycles"], e["name"]))
for key, lst in by_track.items():
    lst.sort(key=lambda s: (s[0], -s[1]))
    stack = []
    for s in lst:
        while stack and stack[-1][1] <= s[0]:
            stack.pop()
        if stack:
            check(s[1] <= stack[-1][1], f"{procs[key[0]]}/{tracks[key]}: {s} overlaps {stack[-1]} partially")
        stack.append(s)


def named(proc, track, name=None, prefix=None):
    out = []
    for (pid, tid), lst in by_track.items():
        if procs[pid] == proc and tracks[(pid, tid)] == track:
            out += [s for s in lst if (name is None or s[2] == name) and (prefix is None or s[2].startswith(prefix))]
    return out


def inside(spans_, lo, hi):
    return sum(min(e, hi) - max(s, lo) for s, e, _ in spans_ if e > lo and s < hi)


tokens = sorted(named("host", "host", prefix="token "))
check(len(tokens) == report["tokens"], f"{len(tokens)} token spans, report {report['tokens']} tokens")
check(sum(e - s for s, e, _ in tokens) == report["cycles"], "token spans do not add up to the report's cycles")
for t, (s, e, _) in enumerate(tokens):
    check(e - s == report["token_cycles"][t], f"token {t}: span {e - s} cycles, report {report['token_cycles'][t]}")
    pt = report["per_token"][t]
    wait = inside(named("node 0", "commands", "tR wait"), s, e)
    coll = inside(named("node 0", "ring", "collective"), s, e)
    idle = inside(named("node 0", "commands", "idle (host)"), s, e)
    check(wait == pt["tr_at_op_start"], f"token {t}: tR wait spans {wait}, report {pt['tr_at_op_start']}")
    check(coll == pt["allreduce"], f"token {t}: collective spans {coll}, report {pt['allreduce']}")
    # The counters are read over the host port at the token's edges, inside the token span.
    check(abs(idle - pt["host_transfers"]) <= 400, f"token {t}: idle spans {idle}, report {pt['host_transfers']}")
ops = named("host", "host", prefix="op ")
check(len(ops) == report["device_steps"], f"{len(ops)} op spans, {report['device_steps']} device steps")
check(sorted(int(re.match(r"op (\d+):", s[2]).group(1)) for s in ops) == list(range(report["device_steps"])),
      "op spans are not numbered 0 .. device_steps-1")
for n in range(nodes):
    cmds = named(f"node {n}", "commands")
    gemvs = [c for c in cmds if c[2].startswith("GEMV rows=")]
    check(len(gemvs) > 0, f"node {n}: no GEMV command spans")
    check(any(c[2] == "PREFETCH" for c in cmds), f"node {n}: no PREFETCH command spans")
    check(len(named(f"node {n}", "flash reads", "page reads")) > 0, f"node {n}: no flash read spans")
    check(len(named(f"node {n}", "gemv_unit", "busy")) > 0, f"node {n}: no gemv_unit spans")
if nodes > 1:
    check(any(c[2] == "ALLREDUCE" for c in named("node 0", "commands")), "no ALLREDUCE command span")
cmd_events = [e for e in spans if procs[e["pid"]].startswith("node") and tracks[(e["pid"], e["tid"])] == "commands"
              and e["name"].split()[0] in ("GEMV", "ALLREDUCE", "PREFETCH")]
check(all("op" in e["args"] for e in cmd_events), "a command span without its op")
check(sum(1 for e in cmd_events) == report["device_commands"],
      f"{len(cmd_events)} command spans, report {report['device_commands']} commands")

# ---- counters ----
documented = re.findall(r"^\| 0x[0-9a-f]+ \| `([a-z_]+)` \|", counters_md, re.M)
header = list(rows[0].keys()) if rows else []
check(header[:6] == ["when", "op", "token", "step", "node", "cycle"], f"CSV columns {header[:6]}")
check(header[6:] == documented, f"CSV counters {header[6:]} != docs/counters.md {documented}")
end = [r for r in rows if r["when"] == "end"]
per_op = [r for r in rows if r["when"] == "op"]
check(sorted(int(r["node"]) for r in end) == list(range(nodes)), "not one end row per node")
check(len(per_op) == report["device_steps"] * nodes, f"{len(per_op)} op rows for {report['device_steps']} steps")
for n in range(nodes):
    seq = [r for r in rows if int(r["node"]) == n]
    for a, b in zip(seq, seq[1:]):
        for c in documented:
            if not c.endswith("_high"):
                check(int(b[c]) >= int(a[c]), f"node {n}: {c} decreases")
check(sum(int(r["flash_bytes"]) for r in end) == report["flash_bytes"], "end rows' flash_bytes != report")
check(int(end[0]["ring_ops"]) == report["ring"]["collectives"], "node 0 ring_ops != report collectives")
check(all(int(r["gemv_cmds"]) > 0 and int(r["flash_reads"]) > 0 for r in end), "a node without GEMVs or reads")
check(all(int(r["cycles"]) > 0 for r in end), "cycles counter 0")

if fail:
    print("\n".join(fail[:20]))
    sys.exit(1)
print(f"observability ok: {len(spans)} spans on {len(by_track)} tracks, {len(rows)} counter rows")
