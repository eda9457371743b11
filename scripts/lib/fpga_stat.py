"""Resource counts of a Yosys `stat -json` for one FPGA family (used by scripts/fpga.sh and
scripts/fpga_stat.sh, so both count the same way).

luts: LUT cells (ECP5 LUT4, iCE40 SB_LUT4, Xilinx LUT1..LUT6); ffs: flip-flops; brams: block-RAM
primitives (ECP5 DP16KD/PDPW16KD, iCE40 SB_RAM40_4K, Xilinx RAMB18E1/RAMB36E1 counted in 18K
halves); dsps: multipliers (MULT18X18D, SB_MAC16, DSP48E1); lutram: distributed-RAM cells
(ECP5 TRELLIS_DPR16X4, Xilinx RAM*M/RAM*X1*); carry: carry cells.
"""
import json
import re


def load_stat(path):
    # `tee -o` writes the JSON after the log text Yosys prints with it; take the object.
    text = open(path).read()
    return json.loads(text[text.index("{"):])


def counts(target, stat):
    cells = stat["design"]["num_cells_by_type"]

    def count(pattern, weight=lambda name: 1):
        return sum(n * weight(c) for c, n in cells.items() if re.fullmatch(pattern, c))

    if target == "ecp5":
        r = dict(luts=count(r"LUT4"), ffs=count(r"TRELLIS_FF"), brams=count(r"(PDPW16KD|DP16KD)"),
                 dsps=count(r"MULT18X18D"), lutram=count(r"TRELLIS_DPR16X4"), carry=count(r"CCU2C"))
    elif target == "ice40":
        r = dict(luts=count(r"SB_LUT4"), ffs=count(r"SB_DFF.*"), brams=count(r"SB_RAM40_4K.*"),
                 dsps=count(r"SB_MAC16"), lutram=0, carry=count(r"SB_CARRY"))
    elif target == "xilinx":
        r = dict(luts=count(r"LUT[1-6]"), ffs=count(r"FD[CPRSE]E?"),
                 brams=count(r"RAMB(18|36)E1", lambda c: 2 if c.startswith("RAMB36") else 1),
                 dsps=count(r"DSP48E1"), lutram=count(r"RAM(32|64|128|256)(M|X1[SD])"),
                 carry=count(r"CARRY4"))
    else:
        raise ValueError(f"target: '{target}' is not one of ecp5, ice40, xilinx")
    r["cells"] = stat["design"]["num_cells"]
    return r
