// Transaction timeline of a decode run (pnmsim --timeline, docs/waves.md): Chrome/Perfetto
// trace-event JSON ("X" complete spans, "i" instants, "M" names), one process per node plus one
// for the host, one thread (track) per block. Time stamps are microseconds at the configured
// clock; every span also carries its exact cycles in args (cycle, cycles).
//
// Node tracks come from the nodes' event ports (pnm_node evt_o, docs/registers.md) and the flash
// channel ports, sampled every cycle by EventTracker; the host track from the runner. Spans on
// one track never overlap partially: they are disjoint or nested.
#pragma once

#include <verilated.h>

#include <cstdint>
#include <cstdio>
#include <deque>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "json_writer.hpp"
#include "pnm/regs.hpp"
#include "sim.hpp"
#include "split_system.hpp"

namespace pnm::host {

class Timeline {
 public:
  explicit Timeline(double ns_per_cycle) : us_per_cycle_(ns_per_cycle / 1000.0) {}

  // A span [start, end) in cycles on track `track` of process `process`.
  void span(const std::string& process, const std::string& track, const std::string& name, uint64_t start,
            uint64_t end, const std::vector<std::pair<std::string, std::string>>& args = {}) {
    JsonWriter j;
    j.begin_object();
    j.field("name", name).field("ph", "X");
    ids(j, process, track);
    j.field("ts", start * us_per_cycle_).field("dur", (end - start) * us_per_cycle_);
    j.begin_object("args").field("cycle", start).field("cycles", end - start);
    for (const auto& a : args) j.field(a.first.c_str(), a.second);
    j.end_object().end_object();
    events_.push_back(j.str());
  }
  void instant(const std::string& process, const std::string& track, const std::string& name, uint64_t cycle) {
    JsonWriter j;
    j.begin_object();
    j.field("name", name).field("ph", "i").field("s", "t");
    ids(j, process, track);
    j.field("ts", cycle * us_per_cycle_);
    j.begin_object("args").field("cycle", cycle).end_object();
    j.end_object();
    events_.push_back(j.str());
  }
  size_t events() const { return events_.size(); }

  // Writes the JSON object {"traceEvents": [...], "displayTimeUnit": "ns", "otherData": {...}}.
  // Returns false when the file cannot be written.
  bool write(const std::string& path, const std::vector<std::pair<std::string, std::string>>& meta) const {
    std::FILE* f = std::fopen(path.c_str(), "w");
    if (!f) return false;
    std::fputs("{\"displayTimeUnit\":\"ns\",\"otherData\":", f);
    JsonWriter m;
    m.begin_object();
    m.field("us_per_cycle", us_per_cycle_);
    for (const auto& kv : meta) m.field(kv.first.c_str(), kv.second);
    m.end_object();
    std::fputs(m.str().c_str(), f);
    std::fputs(",\n\"traceEvents\":[\n", f);
    bool first = true;
    auto put = [&](const std::string& s) {
      if (!first) std::fputs(",\n", f);
      first = false;
      std::fputs(s.c_str(), f);
    };
    for (const auto& [name, pid] : pids_) {
      JsonWriter j;
      j.begin_object().field("name", "process_name").field("ph", "M").field("pid", pid);
      j.begin_object("args").field("name", name).end_object().end_object();
      put(j.str());
      JsonWriter o;
      o.begin_object().field("name", "process_sort_index").field("ph", "M").field("pid", pid);
      o.begin_object("args").field("sort_index", pid).end_object().end_object();
      put(o.str());
    }
    for (const auto& [key, tid] : tids_) {
      JsonWriter j;
      j.begin_object().field("name", "thread_name").field("ph", "M").field("pid", pids_.at(key.first)).field("tid", tid);
      j.begin_object("args").field("name", key.second).end_object().end_object();
      put(j.str());
      JsonWriter o;
      o.begin_object().field("name", "thread_sort_index").field("ph", "M").field("pid", pids_.at(key.first)).field("tid", tid);
      o.begin_object("args").field("sort_index", tid).end_object().end_object();
      put(o.str());
    }
    for (const auto& e : events_) put(e);
    std::fputs("\n]}\n", f);
    return std::fclose(f) == 0;
  }

 private:
  void ids(JsonWriter& j, const std::string& process, const std::string& track) {
    auto p = pids_.emplace(process, static_cast<int>(pids_.size())).first->second;
    auto t = tids_.emplace(std::make_pair(process, track), static_cast<int>(tids_.size()) + 1).first->second;
    j.field("pid", p).field("tid", t);
  }
  double us_per_cycle_;
  std::map<std::string, int> pids_;
  std::map<std::pair<std::string, std::string>, int> tids_;
  std::vector<std::string> events_;
};

// Bits [lo, lo + width) of a Verilated port of any width (width <= 32, not crossing a word).
template <class T>
inline uint32_t port_bits(const T& p, unsigned lo, unsigned width) {
  return static_cast<uint32_t>((static_cast<uint64_t>(p) >> lo) & ((1ull << width) - 1));
}
template <std::size_t N>
inline uint32_t port_bits(const VlWide<N>& p, unsigned lo, unsigned width) {
  return (p[lo / 32] >> (lo % 32)) & static_cast<uint32_t>((1ull << width) - 1);
}

// Samples the nodes' event ports and flash channel ports every cycle and turns them into spans.
template <class Model>
class EventTracker : public tb::Component {
  using Access = tb::NodeAccess<Model>;

 public:
  EventTracker(Model& dut, tb::Sim<Model>& sim, Timeline& tl, unsigned nodes, unsigned channels)
      : dut_(dut), sim_(sim), tl_(tl), nodes_(nodes), channels_(channels), st_(nodes) {
    for (unsigned n = 0; n < nodes; ++n) {
      st_[n].proc = "node " + std::to_string(n);
      st_[n].inflight.assign(channels, 0);
    }
  }
  // The names of the commands node n is about to execute, in queue order (with the host op).
  void expect(unsigned n, const std::string& name, const std::string& op) { st_[n].names.push_back({name, op}); }

  void drive() override {}
  void sample() override {
    const uint64_t c = sim_.cycle();
    for (unsigned n = 0; n < nodes_; ++n) {
      Node& s = st_[n];
      const auto& p = Access::port(dut_, n);
      const unsigned slice = Access::slice(n);
      const uint32_t e = port_bits(p.evt_o, slice * regs::kEvtCount, regs::kEvtCount);
      const bool start = (e >> regs::kEvtStart) & 1, gemv = (e >> regs::kEvtSeqGemv) & 1,
                 coll = (e >> regs::kEvtSeqColl) & 1;
      // Commands: from START until the sequencer leaves GEMV/collective execution (or the next START).
      if (s.cmd_open && (start || !(gemv || coll))) close_cmd(s, c);
      if (start) {
        s.cmd_open = true;
        s.cmd_start = c;
        if (!s.names.empty()) {
          s.cmd = s.names.front();
          s.names.pop_front();
        } else {
          s.cmd = {"command", ""};
        }
      }
      level(s, 0, (e >> regs::kEvtSeqGemvWait) & 1, c, "commands", "tR wait");
      level(s, 1, (e >> regs::kEvtSeqIdle) & 1, c, "commands", "idle (host)");
      level(s, 2, (e >> regs::kEvtGemvBusy) & 1, c, "gemv_unit", "busy");
      level(s, 3, (e >> regs::kEvtFlashStall) & 1, c, "hbf_ctrl output", "beat waits for GEMV");
      level(s, 4, coll, c, "ring", "collective");
      level(s, 5, (e >> regs::kEvtHalted) & 1, c, "commands", "halted");
      // Flash page reads in flight on the node's channels (merged into busy spans).
      unsigned busy = 0;
      const uint64_t reads_before = s.reads;
      for (unsigned ch = 0; ch < channels_; ++ch) {
        const unsigned g = slice * channels_ + ch;
        if (port_bits(p.ch_cmd_valid_o, g, 1) && port_bits(p.ch_cmd_ready_i, g, 1)) {
          ++s.inflight[ch];
          ++s.reads;
        }
        busy += s.inflight[ch];
        if (port_bits(p.ch_rd_valid_i, g, 1) && port_bits(p.ch_rd_ready_o, g, 1) &&
            port_bits(p.ch_rd_last_i, g, 1) && s.inflight[ch] > 0) {
          --s.inflight[ch];
        }
      }
      if (busy && !s.flash_open) {
        s.flash_open = true;
        s.flash_start = c;
        s.reads_at_start = reads_before;
      } else if (!busy && s.flash_open) {
        close_flash(s, c);
      }
    }
  }
  // Closes every open span at the current cycle (end of the run).
  void finish() {
    const uint64_t c = sim_.cycle();
    for (Node& s : st_) {
      if (s.cmd_open) close_cmd(s, c);
      for (unsigned i = 0; i < kLevels; ++i) {
        if (s.open[i]) tl_.span(s.proc, s.track[i], s.name[i], s.since[i], c);
        s.open[i] = false;
      }
      if (s.flash_open) close_flash(s, c);
    }
  }

 private:
  static constexpr unsigned kLevels = 6;
  struct Node {
    std::string proc;
    std::deque<std::pair<std::string, std::string>> names;
    std::pair<std::string, std::string> cmd;
    bool cmd_open = false;
    uint64_t cmd_start = 0;
    bool open[kLevels] = {};
    uint64_t since[kLevels] = {};
    const char* track[kLevels] = {};
    const char* name[kLevels] = {};
    std::vector<uint32_t> inflight;
    uint64_t reads = 0, reads_at_start = 0, flash_start = 0;
    bool flash_open = false;
  };
  void close_flash(Node& s, uint64_t c) {
    s.flash_open = false;
    tl_.span(s.proc, "flash reads", "page reads", s.flash_start, c,
             {{"page_reads", std::to_string(s.reads - s.reads_at_start)}});
  }
  void close_cmd(Node& s, uint64_t c) {
    s.cmd_open = false;
    std::vector<std::pair<std::string, std::string>> args;
    if (!s.cmd.second.empty()) args.push_back({"op", s.cmd.second});
    tl_.span(s.proc, "commands", s.cmd.first, s.cmd_start, c, args);
  }
  void level(Node& s, unsigned i, bool on, uint64_t c, const char* track, const char* name) {
    if (on && !s.open[i]) {
      s.open[i] = true;
      s.since[i] = c;
      s.track[i] = track;
      s.name[i] = name;
    } else if (!on && s.open[i]) {
      s.open[i] = false;
      tl_.span(s.proc, track, name, s.since[i], c);
    }
  }

  Model& dut_;
  tb::Sim<Model>& sim_;
  Timeline& tl_;
  unsigned nodes_, channels_;
  std::vector<Node> st_;
};

}  // namespace pnm::host
