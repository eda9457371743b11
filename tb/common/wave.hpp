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

// The GTKWave save file written beside a wave: out.fst -> out.gtkw (out.vcd -> out.gtkw).
std::string gtkw_path(const std::string& wave_path);

// Writes a GTKWave save file for the waves in fst_path (shown from wave_path): one group per
// block instance with its main signals (clock and reset, stream valid/ready/last/data, command
// and state registers, event port, counters), in hierarchy order, the view starting at
// `start_ps`. Returns an empty string on success, else the reason. docs/waves.md.
std::string write_gtkw(const std::string& fst_path, const std::string& wave_path, const std::string& gtkw,
                       uint64_t start_ps);

// The signals write_gtkw picks in one scope (exposed for the tests): by name.
bool gtkw_main_signal(const std::string& name);

}  // namespace pnm::tb
