"""Exit 0 when two pnmsim reports decoded the same tokens and checked the same values."""
import json
import sys

a, b = (json.load(open(f)) for f in sys.argv[1:3])
same = a["tokens_out"] == b["tokens_out"] and a["values_checked"] == b["values_checked"] and b["pass"]
if not same:
    print("runs differ:", a["tokens_out"], b["tokens_out"], a["values_checked"], b["values_checked"])
sys.exit(0 if same else 1)
