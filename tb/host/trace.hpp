// Decode trace (docs/decode.md): a text file, one header, host step or command per line, that a
// run writes (--trace-out) and replays (--trace-in). Lines:
//   hbf-pnm-trace 1
//   run model=<name> nodes=N batch=B tokens=T layers=L seed=S
//   token <index> inputs=<tok>,<tok>,...          (one input token per batch entry)
//   step <tensor> layer=<l> expert=<e> tile=<t>   (a device step: the commands below, then the
//                                                  host reads the results)
//   cmd <node> <COMMAND> field=value ...          (fields of docs/isa.md; absent fields are 0)
//   cmd <node> RAW <w0> <w1> <w2> <w3>            (four 32-bit words, any bits: for illegal commands)
//   host <what> ...                               (a host step; informational, not replayed)
// '#' starts a comment. Numbers are decimal or 0x hex. A malformed line is a cfg::ConfigError
// "<file>:<line>: <field>: <reason>".
#pragma once

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "pnm/decode.hpp"
#include "pnm/isa.hpp"

namespace pnm::host {

struct TraceRun {
  std::string model;
  uint32_t nodes = 0, batch = 0, tokens = 0, layers = 0;
  uint64_t seed = 0;
};

struct TraceStep {
  fw::decode::Tensor tensor = fw::decode::Tensor::kQkv;
  uint32_t layer = 0, expert = 0, tile = 0;
  std::vector<std::vector<isa::Cmd>> cmds;  // [node]
  int line = 0;
};

struct Trace {
  std::string source;
  TraceRun run;
  std::vector<std::vector<uint32_t>> token_inputs;  // [token][batch entry]
  std::vector<TraceStep> steps;
};

// Reads and checks a whole trace (syntax, field names and widths, node indices).
Trace read_trace(const std::string& path);

// Text of one command: "GEMV int4=0 ... " with every field, or "RAW w0 w1 w2 w3" for an illegal one.
std::string command_text(const isa::Cmd& c);

class TraceWriter {
 public:
  bool open(const std::string& path);
  bool is_open() const { return out_.is_open(); }
  void run(const TraceRun& r);
  void token(uint32_t index, const std::vector<uint32_t>& inputs);
  void step(const TraceStep& s);
  void host(const std::string& text);
  bool good() const { return out_.good(); }

 private:
  std::ofstream out_;
};

}  // namespace pnm::host
