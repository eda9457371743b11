# Sourced by the Yosys scripts: the RTL file lists (packages first), include flags, and the
# chparam commands for Param=Value arguments of the top named in $top.
#   in:  root, top, "$@" (Param=Value ...)   out: pkgs[], srcs[], incs, chparam
mapfile -t pkgs < <(find "$root/rtl" -name '*_pkg.sv' | sort)
mapfile -t srcs < <(find "$root/rtl" -name '*.sv' ! -name '*_pkg.sv' | sort)
incs=""
for d in "$root"/rtl/*/; do incs+=" -I$d"; done
chparam=""
for p in "$@"; do chparam+="chparam -set ${p%%=*} ${p#*=} $top; "; done
