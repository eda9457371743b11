// pnmsim's report (DESIGN.md section 7): the text report on stdout and the JSON of --report.
#pragma once

#include <string>

#include "config.hpp"
#include "decode_types.hpp"
#include "json_writer.hpp"
#include "pnm/decode.hpp"

namespace pnm::host {

struct ReportInput {
  const cfg::SystemConfig* sys = nullptr;
  const cfg::ModelConfig* model = nullptr;
  const DecodeOptions* opt = nullptr;
  const DecodeResult* res = nullptr;
  std::string trace_in, trace_out;
};

// Figures derived from a result (so the text and the JSON agree).
struct Figures {
  double cycles_per_token = 0;
  double tokens_per_s = 0;         // batch entries x tokens per second at the configured clock
  double flash_gbps = 0;           // achieved: weight bytes streamed / time
  double mbu = 0;                  // model weight bytes per token / (aggregate bandwidth x time per token)
  double roofline_tokens_per_s = 0;
};
Figures figures(const ReportInput& in);

void print_report(const ReportInput& in);
// --counters: every counter row as CSV (columns in docs/waves.md); false if it cannot be written.
bool write_counters_csv(const std::string& path, const DecodeResult& r);
// The JSON report; keys documented in docs/decode.md.
std::string report_json(const ReportInput& in);
// The "config" object of the JSON (also written by --summary).
void config_json(JsonWriter& j, const cfg::SystemConfig& c);
// The "model" object of the JSON (shape, weight bytes per token and stored).
void model_json(JsonWriter& j, const cfg::ModelConfig& m);
// The decode compiler's view of a model config.
fw::decode::ModelShape model_shape(const cfg::ModelConfig& m);

}  // namespace pnm::host
