// YAML loading of system and model configurations (kept apart: yaml-cpp compiles slowly).
// Every field is typed and range-checked, unknown keys are rejected, and each error is one line:
// "<file>:<line>: <field>: <reason>".
#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>

#include "config.hpp"

namespace pnm::cfg {
namespace {

// A mapping being read: tracks its dotted path for messages and which keys were consumed.
class Section {
 public:
  Section(const std::string& file, FieldLines& lines, const YAML::Node& node, std::string path)
      : file_(file), lines_(lines), node_(node), path_(std::move(path)) {
    if (!node_.IsMap()) fail_at(node_, path_.empty() ? "(top level)" : path_, "expected a mapping of keys");
  }

  bool has(const std::string& key) {
    known_.insert(key);
    return node_[key].IsDefined() && !node_[key].IsNull();
  }

  Section section(const std::string& key) {
    known_.insert(key);
    const YAML::Node child = node_[key];
    if (!child.IsDefined()) return Section(file_, lines_, YAML::Node(YAML::NodeType::Map), field(key));
    return Section(file_, lines_, child, field(key));
  }

  void u32(const std::string& key, uint32_t& out, uint64_t lo, uint64_t hi, bool required = false) {
    uint64_t v = out;
    if (read_unsigned(key, v, required)) {
      if (v < lo || v > hi) range_error(key, std::to_string(lo), std::to_string(hi), std::to_string(v));
      out = static_cast<uint32_t>(v);
    }
  }
  void pow2(const std::string& key, uint32_t& out, uint64_t lo, uint64_t hi) {
    u32(key, out, lo, hi);
    if (out & (out - 1)) fail_at(node_[key], field(key), "must be a power of two, got " + std::to_string(out));
  }
  void real(const std::string& key, double& out, double lo, double hi, bool required = false) {
    known_.insert(key);
    const YAML::Node n = node_[key];
    if (!present(n, key, required)) return;
    double v = 0;
    if (!n.IsScalar() || !YAML::convert<double>::decode(n, v) || !std::isfinite(v))
      fail_at(n, field(key), "expected a number, got " + show(n));
    if (v < lo || v > hi) {
      std::ostringstream a, b, c;
      a << lo;
      b << hi;
      c << v;
      range_error(key, a.str(), b.str(), c.str());
    }
    out = v;
  }
  void boolean(const std::string& key, bool& out) {
    known_.insert(key);
    const YAML::Node n = node_[key];
    if (!present(n, key, false)) return;
    bool v = false;
    if (!n.IsScalar() || !YAML::convert<bool>::decode(n, v)) fail_at(n, field(key), "expected true or false, got " + show(n));
    out = v;
  }
  void text(const std::string& key, std::string& out, bool required = false) {
    known_.insert(key);
    const YAML::Node n = node_[key];
    if (!present(n, key, required)) return;
    if (!n.IsScalar() || n.Scalar().empty()) fail_at(n, field(key), "expected a non-empty string");
    out = n.Scalar();
  }
  template <class E>
  void choice(const std::string& key, E& out, std::initializer_list<std::pair<const char*, E>> options) {
    known_.insert(key);
    const YAML::Node n = node_[key];
    if (!present(n, key, false)) return;
    std::string names;
    for (const auto& o : options) {
      if (n.IsScalar() && n.Scalar() == o.first) {
        out = o.second;
        return;
      }
      names += names.empty() ? o.first : std::string(", ") + o.first;
    }
    fail_at(n, field(key), "expected one of " + names + ", got " + show(n));
  }

  // Rejects keys that were never asked for (typos, fields of another version).
  void reject_unknown() {
    for (const auto& kv : node_) {
      const std::string key = kv.first.as<std::string>();
      if (!known_.count(key)) {
        std::string names;
        for (const auto& k : known_) names += names.empty() ? k : ", " + k;
        fail_at(kv.first, field(key), "unknown key (known here: " + names + ")");
      }
    }
  }

  [[noreturn]] void fail_at(const YAML::Node& n, const std::string& fld, const std::string& why) const {
    std::string where = file_;
    if (n.IsDefined() && n.Mark().line >= 0) where += ":" + std::to_string(n.Mark().line + 1);
    throw ConfigError(where + ": " + fld + ": " + why);
  }

 private:
  std::string field(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }
  static std::string show(const YAML::Node& n) {
    if (n.IsScalar()) return "'" + n.Scalar() + "'";
    return n.IsSequence() ? "a list" : "a mapping";
  }
  bool present(const YAML::Node& n, const std::string& key, bool required) const {
    if (n.IsDefined() && !n.IsNull()) {
      if (n.Mark().line >= 0) lines_[field(key)] = n.Mark().line + 1;
      return true;
    }
    if (required) fail_at(node_, field(key), "missing (required)");
    return false;
  }
  bool read_unsigned(const std::string& key, uint64_t& out, bool required) {
    known_.insert(key);
    const YAML::Node n = node_[key];
    if (!present(n, key, required)) return false;
    const std::string s = n.IsScalar() ? n.Scalar() : "";
    bool ok = !s.empty() && s.find_first_not_of("0123456789_") == std::string::npos && s[0] != '_';
    uint64_t v = 0;
    for (const char c : s) {
      if (c == '_') continue;
      if (v > (std::numeric_limits<uint64_t>::max() - 9) / 10) ok = false;
      v = v * 10 + static_cast<uint64_t>(c - '0');
    }
    if (!ok) fail_at(n, field(key), "expected an unsigned integer, got " + show(n));
    out = v;
    return true;
  }
  [[noreturn]] void range_error(const std::string& key, const std::string& lo, const std::string& hi,
                                const std::string& got) const {
    fail_at(node_[key], field(key), "must be in [" + lo + ", " + hi + "], got " + got);
  }

  const std::string& file_;
  FieldLines& lines_;
  YAML::Node node_;
  std::string path_;
  std::set<std::string> known_;
};

YAML::Node parse_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw ConfigError(path + ": cannot open: " + std::strerror(errno));
  try {
    YAML::Node root = YAML::Load(in);
    if (!root.IsDefined() || root.IsNull()) throw ConfigError(path + ": (top level): file is empty");
    return root;
  } catch (const YAML::ParserException& e) {
    throw ConfigError(path + ":" + std::to_string(e.mark.line + 1) + ":" +
                      std::to_string(e.mark.column + 1) + ": invalid YAML: " + e.msg);
  }
}

}  // namespace

SystemConfig load_system_config(const std::string& path) {
  const YAML::Node root = parse_file(path);
  SystemConfig c;
  c.source = path;
  Section top(path, c.lines, root, "");
  top.text("name", c.name);
  {
    Section s = top.section("system");
    s.u32("nodes", c.system.nodes, 1, 64);
    s.real("clock_mhz", c.system.clock_mhz, 1.0, 10000.0);
    s.reject_unknown();
  }
  {
    Section s = top.section("flash");
    FlashParams& f = c.flash;
    s.u32("channels", f.channels, 1, 256);
    s.u32("dies_per_channel", f.dies_per_channel, 1, 64);
    s.u32("planes_per_die", f.planes_per_die, 1, 16);
    s.u32("blocks_per_plane", f.blocks_per_plane, 1, 1u << 20);
    s.u32("pages_per_block", f.pages_per_block, 1, 4096);
    s.pow2("page_bytes", f.page_bytes, 512, 65536);
    s.real("tR_ns", f.tR_ns, 1.0, 1e6);
    s.pow2("channel_bytes_per_cycle", f.channel_bytes_per_cycle, 1, 512);
    s.u32("outstanding_per_channel", f.outstanding_per_channel, 1, 1024);
    s.u32("reorder_pages", f.reorder_pages, 1, 1u << 16);
    s.boolean("cache_read", f.cache_read);
    s.real("raw_bit_error_rate", f.raw_bit_error_rate, 0.0, 0.01);
    s.reject_unknown();
  }
  {
    Section s = top.section("gemv");
    s.pow2("lane_bytes", c.gemv.lane_bytes, 8, 1024);
    s.u32("max_batch", c.gemv.max_batch, 1, 64);
    s.u32("max_k", c.gemv.max_k, 8, 1u << 20);
    s.reject_unknown();
  }
  {
    Section s = top.section("ring");
    s.pow2("flit_bytes", c.ring.flit_bytes, 4, 1024);
    s.u32("link_latency_cycles", c.ring.link_latency_cycles, 1, 1000);
    s.u32("vc_buffer_flits", c.ring.vc_buffer_flits, 3, 1024);
    s.reject_unknown();
  }
  top.reject_unknown();
  validate(c);
  return c;
}

ModelConfig load_model_config(const std::string& path) {
  const YAML::Node root = parse_file(path);
  ModelConfig m;
  m.source = path;
  Section s(path, m.lines, root, "");
  s.text("name", m.name, true);
  s.u32("layers", m.layers, 1, 1024, true);
  s.u32("hidden", m.hidden, 8, 1u << 17, true);
  s.u32("heads", m.heads, 1, 1024, true);
  s.u32("kv_heads", m.kv_heads, 1, 1024, true);
  s.u32("ffn", m.ffn, 8, 1u << 19, true);
  s.u32("vocab", m.vocab, 2, 1u << 22, true);
  s.u32("experts", m.experts, 1, 1024);
  s.u32("experts_per_token", m.experts_per_token, 1, 1024);
  s.choice("weights", m.weights, {{"int8", WeightFormat::kInt8}, {"int4", WeightFormat::kInt4}});
  s.real("rope_theta", m.rope_theta, 1.0, 1e9);
  s.real("norm_eps", m.norm_eps, 1e-12, 1.0);
  std::string ignored;
  s.text("source", ignored);  // provenance of the shape (a citation), informational
  s.reject_unknown();
  validate(m);
  return m;
}

}  // namespace pnm::cfg
