// Wave options and FST-to-VCD conversion (see wave.hpp).
#include "wave.hpp"

#include <cstdio>
#include <cstdlib>

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

}  // namespace pnm::tb
