"""Efficiency of the flash front-end against reads in flight per channel, one curve per
(geometry, tR), with the Little's-law prediction min(1, k * T / (tR + T)) beside each measured
curve (T = page transfer time on the channel). Input: CSVs of bench/flash_bw.cpp."""
import argparse
import csv
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("csv", nargs="+")
    ap.add_argument("-o", "--output", required=True)
    args = ap.parse_args()
    curves = {}
    for path in args.csv:
        with open(path, newline="") as f:
            for row in csv.DictReader(f):
                key = (int(row["channels"]), int(row["dies"]), int(row["planes"]),
                       int(row["page_bytes"]), int(row["ch_bytes"]), float(row["tR_ns"]))
                curves.setdefault(key, []).append((int(row["outstanding"]), float(row["efficiency"])))
    if not curves:
        print("plot_flash_bw: no data rows", file=sys.stderr)
        return 2
    fig, ax = plt.subplots(figsize=(7.5, 4.5))
    for (ch, dies, planes, page, chb, tr), pts in sorted(curves.items()):
        pts.sort()
        k = [p[0] for p in pts]
        transfer = page / chb  # cycles per page on one channel (1 GHz: ns = cycles)
        label = f"{dies} dies x {planes} planes, tR {tr / 1000:g} us"
        line, = ax.plot(k, [p[1] for p in pts], marker="o", label=label)
        little = [min(1.0, x * transfer / (tr + transfer), dies * planes * transfer / tr) for x in k]
        ax.plot(k, little, linestyle="--", color=line.get_color(), alpha=0.6)
    ax.axhline(0.98, color="grey", linewidth=0.8, linestyle=":")
    ax.set_xscale("log", base=2)
    ax.set_xlabel("reads in flight per channel (cfg_outstanding)")
    ax.set_ylabel("delivered / raw channel bandwidth")
    ax.set_ylim(0, 1.05)
    ax.set_title("hbf_ctrl sustained bandwidth, 8 channels x 8 B/cycle, 4 KiB pages\n"
                 "(solid: measured; dashed: Little's law and the plane limit)")
    ax.legend(fontsize=8, loc="lower right")
    ax.grid(True, alpha=0.3)
    fig.tight_layout()
    fig.savefig(args.output, dpi=110)
    print(f"plot_flash_bw: wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
