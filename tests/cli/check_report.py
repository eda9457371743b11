"""Checks a pnmsim decode report: the keys of issue 7 / docs/decode.md, and their consistency."""
import json
import sys

r = json.load(open(sys.argv[1]))
tokens = int(sys.argv[2])
for key in ("pass", "mismatches", "tokens", "cycles_per_token", "tokens_per_s", "mbu", "flash_bytes",
            "bubbles", "config", "wall_s"):
    assert key in r, f"missing key {key}"
assert r["pass"] is True and r["mismatches"] == 0, r
assert r["tokens"] == tokens, r["tokens"]
assert 0 < r["mbu"] <= 1.0, r["mbu"]
assert len(r["token_cycles"]) == tokens and sum(r["token_cycles"]) == r["cycles"]
assert abs(r["cycles_per_token"] - r["cycles"] / tokens) < 1e-6
b = r["bubbles"]
for k in ("stream", "tr_at_op_start", "allreduce", "host_transfers", "other"):
    assert k in b and b[k] >= 0, k
assert r["flash_bytes"] == r["weight_bytes_streamed"], (r["flash_bytes"], r["weight_bytes_streamed"])
assert r["config"]["system"]["nodes"] >= 1
