#include "trace.hpp"

#include <cstdio>
#include <sstream>

#include "config.hpp"

namespace pnm::host {

namespace {

using fw::decode::Tensor;

[[noreturn]] void fail(const std::string& file, int line, const std::string& field, const std::string& why) {
  throw cfg::ConfigError(file + ":" + std::to_string(line) + ": " + field + ": " + why);
}

uint64_t number(const std::string& file, int line, const std::string& field, const std::string& text) {
  if (text.empty()) fail(file, line, field, "missing value");
  size_t used = 0;
  uint64_t v = 0;
  try {
    v = std::stoull(text, &used, 0);
  } catch (const std::exception&) {
    fail(file, line, field, "not a number: '" + text + "'");
  }
  if (used != text.size() || text[0] == '-') fail(file, line, field, "not a non-negative number: '" + text + "'");
  return v;
}

// "key=value" tokens of a line after its first words.
struct Fields {
  std::vector<std::pair<std::string, std::string>> kv;
  std::vector<bool> used;
  std::string get(const std::string& k) {
    for (size_t i = 0; i < kv.size(); ++i) {
      if (kv[i].first == k) {
        used[i] = true;
        return kv[i].second;
      }
    }
    return "";
  }
};

Fields fields_of(const std::string& file, int line, std::istringstream& in) {
  Fields f;
  std::string t;
  while (in >> t) {
    const size_t eq = t.find('=');
    if (eq == std::string::npos || eq == 0) fail(file, line, t, "expected key=value");
    f.kv.emplace_back(t.substr(0, eq), t.substr(eq + 1));
    f.used.push_back(false);
  }
  return f;
}

void no_extra(const std::string& file, int line, const Fields& f) {
  for (size_t i = 0; i < f.kv.size(); ++i) {
    if (!f.used[i]) fail(file, line, f.kv[i].first, "unknown field");
  }
}

bool tensor_of(const std::string& s, Tensor& t) {
  for (Tensor x : {Tensor::kQkv, Tensor::kO, Tensor::kGateUp, Tensor::kDown, Tensor::kLmHead}) {
    if (s == fw::decode::tensor_name(x)) {
      t = x;
      return true;
    }
  }
  return false;
}

}  // namespace

std::string command_text(const isa::Cmd& c) {
  char buf[64];
  const isa::CommandInfo* info = isa::command_info(isa::opcode_of(c));
  std::string s;
  // A command whose set bits are not all covered by its fields is written RAW, so that
  // replay reproduces it bit for bit.
  if (info) {
    isa::Cmd back{};
    isa::set_field(back, isa::kOpcodeLsb, isa::kOpcodeWidth, static_cast<uint32_t>(info->opcode));
    s = info->name;
    for (unsigned i = 0; i < info->fields; ++i) {
      const isa::FieldInfo& f = info->field[i];
      const uint64_t v = isa::get_field(c, f.lsb, f.width);
      isa::set_field(back, f.lsb, f.width, v);
      std::snprintf(buf, sizeof buf, f.name == std::string("w_addr") ? " %s=0x%llx" : " %s=%llu", f.name,
                    static_cast<unsigned long long>(v));
      s += buf;
    }
    bool same = true;
    for (unsigned w = 0; w < isa::kCmdWords; ++w) same = same && back.w[w] == c.w[w];
    if (same) return s;
  }
  std::snprintf(buf, sizeof buf, "RAW 0x%08x 0x%08x 0x%08x 0x%08x", c.w[0], c.w[1], c.w[2], c.w[3]);
  return buf;
}

Trace read_trace(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw cfg::ConfigError(path + ": cannot open");
  Trace tr;
  tr.source = path;
  std::string text;
  int line = 0;
  bool header = false, have_run = false;
  while (std::getline(in, text)) {
    ++line;
    const size_t hash = text.find('#');
    if (hash != std::string::npos) text.resize(hash);
    std::istringstream ls(text);
    std::string kw;
    if (!(ls >> kw)) continue;
    if (!header) {
      std::string ver;
      ls >> ver;
      if (kw != "hbf-pnm-trace" || ver != "1") fail(path, line, "header", "expected 'hbf-pnm-trace 1'");
      header = true;
      continue;
    }
    if (kw == "run") {
      Fields f = fields_of(path, line, ls);
      tr.run.model = f.get("model");
      tr.run.nodes = static_cast<uint32_t>(number(path, line, "nodes", f.get("nodes")));
      tr.run.batch = static_cast<uint32_t>(number(path, line, "batch", f.get("batch")));
      tr.run.tokens = static_cast<uint32_t>(number(path, line, "tokens", f.get("tokens")));
      tr.run.layers = static_cast<uint32_t>(number(path, line, "layers", f.get("layers")));
      tr.run.seed = number(path, line, "seed", f.get("seed"));
      no_extra(path, line, f);
      if (tr.run.nodes == 0) fail(path, line, "nodes", "must be >= 1");
      if (tr.run.batch == 0) fail(path, line, "batch", "must be >= 1");
      if (tr.run.tokens == 0) fail(path, line, "tokens", "must be >= 1");
      have_run = true;
    } else if (!have_run) {
      fail(path, line, kw, "the 'run' line must come first");
    } else if (kw == "token") {
      std::string idx;
      ls >> idx;
      const uint64_t i = number(path, line, "token", idx);
      if (i != tr.token_inputs.size()) fail(path, line, "token", "expected token " + std::to_string(tr.token_inputs.size()));
      Fields f = fields_of(path, line, ls);
      std::vector<uint32_t> toks;
      std::istringstream ts(f.get("inputs"));
      std::string t;
      while (std::getline(ts, t, ',')) toks.push_back(static_cast<uint32_t>(number(path, line, "inputs", t)));
      no_extra(path, line, f);
      if (toks.size() != tr.run.batch) fail(path, line, "inputs", "expected one token per batch entry");
      tr.token_inputs.push_back(toks);
    } else if (kw == "step") {
      std::string name;
      ls >> name;
      TraceStep s;
      if (!tensor_of(name, s.tensor)) fail(path, line, "step", "unknown tensor '" + name + "'");
      Fields f = fields_of(path, line, ls);
      s.layer = static_cast<uint32_t>(number(path, line, "layer", f.get("layer")));
      s.expert = static_cast<uint32_t>(number(path, line, "expert", f.get("expert")));
      s.tile = static_cast<uint32_t>(number(path, line, "tile", f.get("tile")));
      no_extra(path, line, f);
      s.cmds.resize(tr.run.nodes);
      s.line = line;
      tr.steps.push_back(s);
    } else if (kw == "cmd") {
      if (tr.steps.empty()) fail(path, line, "cmd", "a command outside a step");
      std::string node_s, name;
      ls >> node_s >> name;
      const uint64_t node = number(path, line, "node", node_s);
      if (node >= tr.run.nodes) fail(path, line, "node", "must be < " + std::to_string(tr.run.nodes));
      isa::Cmd c{};
      if (name == "RAW") {
        for (unsigned w = 0; w < isa::kCmdWords; ++w) {
          std::string v;
          ls >> v;
          const uint64_t x = number(path, line, "RAW word " + std::to_string(w), v);
          if (x >> 32) fail(path, line, "RAW word " + std::to_string(w), "wider than 32 bits");
          c.w[w] = static_cast<uint32_t>(x);
        }
        std::string extra;
        if (ls >> extra) fail(path, line, "RAW", "expected exactly four words");
      } else {
        const isa::CommandInfo* info = nullptr;
        for (const isa::CommandInfo& i : isa::kCommands) {
          if (name == i.name) info = &i;
        }
        if (!info) fail(path, line, "cmd", "unknown command '" + name + "'");
        isa::set_field(c, isa::kOpcodeLsb, isa::kOpcodeWidth, static_cast<uint32_t>(info->opcode));
        Fields f = fields_of(path, line, ls);
        for (unsigned i = 0; i < info->fields; ++i) {
          const isa::FieldInfo& fi = info->field[i];
          const std::string v = f.get(fi.name);
          if (v.empty()) continue;
          const uint64_t x = number(path, line, fi.name, v);
          if (!isa::fits(x, fi.width)) fail(path, line, fi.name, "does not fit " + std::to_string(fi.width) + " bits");
          isa::set_field(c, fi.lsb, fi.width, x);
        }
        no_extra(path, line, f);
      }
      tr.steps.back().cmds[node].push_back(c);
    } else if (kw == "host") {
      // informational
    } else {
      fail(path, line, kw, "unknown line kind (expected run, token, step, cmd or host)");
    }
  }
  if (!header) throw cfg::ConfigError(path + ":1: header: empty file, expected 'hbf-pnm-trace 1'");
  if (!have_run) throw cfg::ConfigError(path + ":" + std::to_string(line) + ": run: missing 'run' line");
  return tr;
}

bool TraceWriter::open(const std::string& path) {
  out_.open(path);
  if (out_) out_ << "hbf-pnm-trace 1\n";
  return out_.good();
}

void TraceWriter::run(const TraceRun& r) {
  out_ << "run model=" << r.model << " nodes=" << r.nodes << " batch=" << r.batch << " tokens=" << r.tokens
       << " layers=" << r.layers << " seed=" << r.seed << "\n";
}

void TraceWriter::token(uint32_t index, const std::vector<uint32_t>& inputs) {
  out_ << "token " << index << " inputs=";
  for (size_t i = 0; i < inputs.size(); ++i) out_ << (i ? "," : "") << inputs[i];
  out_ << "\n";
}

void TraceWriter::step(const TraceStep& s) {
  out_ << "step " << fw::decode::tensor_name(s.tensor) << " layer=" << s.layer << " expert=" << s.expert
       << " tile=" << s.tile << "\n";
  for (size_t n = 0; n < s.cmds.size(); ++n) {
    for (const isa::Cmd& c : s.cmds[n]) out_ << "cmd " << n << " " << command_text(c) << "\n";
  }
}

void TraceWriter::host(const std::string& text) { out_ << "host " << text << "\n"; }

}  // namespace pnm::host
