// Waveform options shared by tests and pnmsim: FST by default, VCD when the path ends in .vcd
// (written as FST, then converted in-process with the FST reader that ships with the runtime),
// limited to a cycle window [start, end] and to one scope of the design hierarchy.
#pragma once

#include <cstdint>
#include <limits>
#include <string>

namespace pnm::tb {

struct WaveOptions {
  std::string path;  // empty: no waves
  uint64_t start = 0;
  uint64_t end = std::numeric_limits<uint64_t>::max();
  std::string scope;  // empty: everything; else e.g. "pnm_fifo" or "pnm_system.node1.gemv"

  bool enabled() const { return !path.empty(); }
  bool vcd() const;
  // Path the simulator writes (the .fst, also for a .vcd request).
  std::string fst_path() const;
  // From PNM_WAVE, PNM_WAVE_START, PNM_WAVE_END, PNM_WAVE_SCOPE (used by every test).
  static WaveOptions from_env();
};

// Converts an FST file to VCD. Returns an empty string on success, else the reason.
std::string fst_to_vcd(const std::string& fst_path, const std::string& vcd_path);

}  // namespace pnm::tb
