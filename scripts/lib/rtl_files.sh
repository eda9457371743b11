# Sourced by the Yosys scripts: the RTL file lists (packages first), include flags, and the
# chparam commands for Param=Value arguments of the top named in $top.
#   in:  root, top, "$@" (Param=Value ...)   out: pkgs[], srcs[], incs, chparam
# rtl/boards holds board wrappers with vendor primitives; only scripts/fpga.sh reads them.
mapfile -t pkgs < <(find "$root/rtl" -path "$root/rtl/boards" -prune -o -name '*_pkg.sv' -print | sort)
mapfile -t srcs < <(find "$root/rtl" -path "$root/rtl/boards" -prune -o -name '*.sv' ! -name '*_pkg.sv' -print | sort)
incs=""
for d in "$root"/rtl/*/; do [ "$d" = "$root/rtl/boards/" ] || incs+=" -I$d"; done
chparam=""
for p in "$@"; do chparam+="chparam -set ${p%%=*} ${p#*=} $top; "; done
