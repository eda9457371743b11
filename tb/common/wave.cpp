// Wave options and FST-to-VCD conversion (see wave.hpp).
#include "wave.hpp"

#include <cstdio>
#include <cstdlib>
#include <algorithm>
#include <map>
#include <regex>
#include <vector>

#include "gtkwave/fstapi.h"

namespace pnm::tb {
namespace {
bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}
uint64_t env_u64(const char* name, uint64_t fallback) {
  const char* v = std::getenv(name);
  if (!v || !*v) return fallback;
  char* end = nullptr;
  const unsigned long long x = std::strtoull(v, &end, 0);
  if (end == v || *end != '\0') {
    std::fprintf(stderr, "%s: not an unsigned integer: '%s'\n", name, v);
    std::exit(2);
  }
  return x;
}
}  // namespace

bool WaveOptions::vcd() const { return ends_with(path, ".vcd"); }

std::string WaveOptions::fst_path() const { return vcd() ? path + ".fst" : path; }

WaveOptions WaveOptions::from_env() {
  WaveOptions w;
  if (const char* p = std::getenv("PNM_WAVE")) w.path = p;
  w.start = env_u64("PNM_WAVE_START", w.start);
  w.end = env_u64("PNM_WAVE_END", w.end);
  if (const char* s = std::getenv("PNM_WAVE_SCOPE")) w.scope = s;
  return w;
}

std::string fst_to_vcd(const std::string& fst_path, const std::string& vcd_path) {
  void* ctx = fstReaderOpen(fst_path.c_str());
  if (!ctx) return "cannot open FST file " + fst_path;
  FILE* out = std::fopen(vcd_path.c_str(), "w");
  if (!out) {
    fstReaderClose(ctx);
    return "cannot write " + vcd_path;
  }
  fstReaderSetFacProcessMaskAll(ctx);
  const int hier_ok = fstReaderProcessHier(ctx, out);
  const int blocks_ok = fstReaderIterBlocks(ctx, nullptr, nullptr, out);
  fstReaderClose(ctx);
  const bool write_ok = std::fclose(out) == 0;
  if (!hier_ok || !blocks_ok || !write_ok) return "conversion of " + fst_path + " failed";
  return "";
}

std::string gtkw_path(const std::string& wave_path) {
  const size_t dot = wave_path.rfind('.');
  const size_t slash = wave_path.rfind('/');
  const bool has_ext = dot != std::string::npos && (slash == std::string::npos || dot > slash);
  return (has_ext ? wave_path.substr(0, dot) : wave_path) + ".gtkw";
}

bool gtkw_main_signal(const std::string& name) {
  // Clock and reset, handshakes and their payloads, commands, state, errors, events, counters.
  static const std::regex main_re(
      "^(clk_i|rst_ni|flush_i|evt_o|irq_o|busy_o|halted_q|ex_q|state_q|(data|addr)_[io])$|"
      "(^|_)(valid|ready|last)(_[io]|_q)?$|"
      "^(cmd|ch_cmd|ch_rd|res|w|out|in|inj|ej|rd|wr)_[a-z0-9_]+$|"
      "^[sm]_(awaddr|araddr|wdata|rdata)_[io]$|"
      "^err_[a-z_]+$|^cnt_[a-z_]+_[oq]$");
  return std::regex_search(name, main_re);
}

namespace {
struct GtkwVar {
  std::string name;  // as GTKWave names it: scope.path.name[msb:lsb]
  bool vector;
};
struct GtkwScope {
  std::string path;
  std::vector<GtkwVar> vars;
};
}  // namespace

std::string write_gtkw(const std::string& fst_path, const std::string& wave_path, const std::string& gtkw,
                       uint64_t start_ps) {
  void* ctx = fstReaderOpen(fst_path.c_str());
  if (!ctx) return "cannot open FST file " + fst_path;
  std::vector<GtkwScope> scopes;  // in hierarchy order
  std::vector<std::string> stack;
  std::vector<size_t> open;       // index in scopes of each open scope
  while (fstHier* h = fstReaderIterateHier(ctx)) {
    if (h->htyp == FST_HT_SCOPE) {
      stack.emplace_back(h->u.scope.name);
      std::string path;
      for (const auto& s : stack) path += (path.empty() ? "" : ".") + s;
      open.push_back(scopes.size());
      scopes.push_back({path, {}});
    } else if (h->htyp == FST_HT_UPSCOPE) {
      if (!stack.empty()) stack.pop_back();
      if (!open.empty()) open.pop_back();
    } else if (h->htyp == FST_HT_VAR && !open.empty()) {
      std::string n(h->u.var.name);
      std::string base = n.substr(0, n.find(' '));
      if (!gtkw_main_signal(base)) continue;
      n.erase(std::remove(n.begin(), n.end(), ' '), n.end());
      scopes[open.back()].vars.push_back({scopes[open.back()].path + "." + n, h->u.var.length > 1});
    }
  }
  fstReaderClose(ctx);
  FILE* f = std::fopen(gtkw.c_str(), "w");
  if (!f) return "cannot write " + gtkw;
  std::fprintf(f, "[*] GTKWave save file written by the HBF-PNM harness (docs/waves.md)\n");
  std::fprintf(f, "[dumpfile] \"%s\"\n", wave_path.c_str());
  std::fprintf(f, "[savefile] \"%s\"\n", gtkw.c_str());
  std::fprintf(f, "[timestart] %llu\n", static_cast<unsigned long long>(start_ps));
  std::fprintf(f, "[size] 1600 900\n[pos] -1 -1\n[sst_width] 260\n[signals_width] 340\n");
  std::fprintf(f, "[sst_expanded] 1\n[sst_vpaned_height] 260\n");
  // Zoom: measured with GTKWave 3.3 under Xvfb, -15 shows about 120 cycles (1000 ps each) in
  // the default wave pane.
  std::fprintf(f, "*-15.000000 %llu\n", static_cast<unsigned long long>(start_ps));
  // The blocks: the model's top module and named instances ("u_...") at most two levels of
  // named instances below it (pnm_system -> u_node -> u_gemv, u_ring -> u_router); deeper
  // library cells (FIFOs, arbiters, dot-product lanes) stay out of the view.
  auto block = [](const std::string& path) {
    size_t depth = 0, named = 0, at = 0;
    for (;;) {
      const size_t dot = path.find('.', at);
      const std::string leaf = path.substr(at, dot == std::string::npos ? std::string::npos : dot - at);
      ++depth;
      if (depth > 2 && leaf.compare(0, 2, "u_") == 0) ++named;
      if (dot == std::string::npos) return depth == 2 || (depth > 2 && named <= 2 && leaf.compare(0, 2, "u_") == 0);
      at = dot + 1;
    }
  };
  // Groups open in hierarchy order while at most 64 signals are shown, the rest closed (click a
  // group to open it); the top module's group (the ports of the whole model) is open only when
  // it is the only group.
  std::vector<const GtkwScope*> groups;
  for (const GtkwScope& s : scopes) {
    if (!s.vars.empty() && block(s.path)) groups.push_back(&s);
  }
  size_t shown = 0;
  for (const GtkwScope* g : groups) {
    const GtkwScope& s = *g;
    const bool top = std::count(s.path.begin(), s.path.end(), '.') == 1;
    const bool open = (top && groups.size() == 1) || (!top && shown + s.vars.size() <= 64);
    if (open) shown += s.vars.size();
    std::fprintf(f, "%s\n-%s\n", open ? "@800200" : "@c00200", s.path.c_str());
    for (const GtkwVar& v : s.vars) std::fprintf(f, "%s\n%s\n", v.vector ? "@22" : "@28", v.name.c_str());
    std::fprintf(f, "%s\n-%s\n", open ? "@1000200" : "@1401200", s.path.c_str());
  }
  return std::fclose(f) == 0 ? "" : "cannot write " + gtkw;
}

}  // namespace pnm::tb
