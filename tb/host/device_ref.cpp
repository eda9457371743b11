#include "device_ref.hpp"

#include <algorithm>

#include "flash_ref.hpp"
#include "gemv_ref.hpp"

namespace pnm::host {

DeviceRef::DeviceRef(unsigned nodes, unsigned lane_bytes, unsigned max_batch, unsigned max_k, unsigned result_elems,
                     unsigned flit_elems, std::vector<uint64_t> flash_seeds)
    : nodes_(nodes), lane_(lane_bytes), max_batch_(max_batch), max_k_(max_k), elems_(result_elems),
      flit_(flit_elems), seeds_(std::move(flash_seeds)),
      act_(nodes, std::vector<std::vector<int8_t>>(max_batch, std::vector<int8_t>(max_k, 0))),
      fact_(nodes, std::vector<std::vector<float>>(max_batch, std::vector<float>(max_k, 0.0f))),
      rb_(nodes, std::vector<int32_t>(result_elems, 0)), fres_(nodes), pending_(nodes) {}

void DeviceRef::write_activations(unsigned node, unsigned slot, unsigned first, const std::vector<int8_t>& q,
                                  const std::vector<float>& f) {
  std::copy(q.begin(), q.end(), act_[node][slot].begin() + first);
  std::copy(f.begin(), f.end(), fact_[node][slot].begin() + first);
}

std::string DeviceRef::apply(unsigned node, const isa::Cmd& c) {
  switch (isa::opcode_of(c)) {
    case isa::Opcode::kGemv: {
      const isa::Gemv g = isa::Gemv::decode(c);
      if (g.requant) return "GEMV with requant is not used by decode (the host dequantises INT32)";
      if (g.batch == 0 || g.batch > max_batch_ || g.k == 0 || g.x_base + g.k > max_k_ ||
          uint64_t(g.out_base) * flit_ + uint64_t(g.batch) * g.rows > elems_) {
        return "GEMV fields out of range";
      }
      const unsigned per_lane = g.int4 ? 2 * lane_ : lane_;
      const uint32_t row_bytes = (g.k + per_lane - 1) / per_lane * lane_;
      std::vector<uint8_t> w(size_t(g.rows) * row_bytes);
      ref::flash_read(seeds_[node], uint64_t(g.w_addr) * 64, w.size(), w.data());
      // INT32 results: the one bit-exact GEMV reference (tb/ref/gemv_ref.hpp).
      std::vector<std::vector<int8_t>> x(g.batch);
      for (uint32_t b = 0; b < g.batch; ++b) {
        x[b].assign(act_[node][b].begin() + g.x_base, act_[node][b].begin() + g.x_base + g.k);
      }
      const auto y = ref::gemv(w.data(), g.rows, g.k, row_bytes, g.int4 ? ref::GemvWeights::kInt4 : ref::GemvWeights::kInt8, x);
      for (uint32_t b = 0; b < g.batch; ++b) {
        std::copy(y[b].begin(), y[b].end(), rb_[node].begin() + g.out_base * flit_ + b * g.rows);
      }
      // Float results of the float reference pipeline: the same weights, float activations.
      auto& out = fres_[node];
      out.assign(g.batch, std::vector<float>(g.rows, 0.0f));
      // The row's weights are decoded once; the dot product keeps kAcc partial sums (a fixed
      // order, so the figure is deterministic, and a loop the compiler vectorises).
      constexpr uint32_t kAcc = 8;
      std::vector<float> wf(g.k);
      for (uint32_t r = 0; r < g.rows; ++r) {
        const uint8_t* row = w.data() + size_t(r) * row_bytes;
        if (g.int4) {
          for (uint32_t k = 0; k < g.k; ++k) wf[k] = float(ref::int4_element(row, k));
        } else {
          for (uint32_t k = 0; k < g.k; ++k) wf[k] = float(static_cast<int8_t>(row[k]));
        }
        for (uint32_t b = 0; b < g.batch; ++b) {
          const float* xf = fact_[node][b].data() + g.x_base;
          float acc[kAcc] = {};
          uint32_t k = 0;
          for (; k + kAcc <= g.k; k += kAcc) {
            for (uint32_t j = 0; j < kAcc; ++j) acc[j] += wf[k + j] * xf[k + j];
          }
          for (; k < g.k; ++k) acc[k % kAcc] += wf[k] * xf[k];
          float fa = 0.0f;
          for (uint32_t j = 0; j < kAcc; ++j) fa += acc[j];
          out[b][r] = fa;
        }
      }
      return "";
    }
    case isa::Opcode::kAllreduce:
    case isa::Opcode::kAllgather:
    case isa::Opcode::kBroadcast: {
      pending_[node].push_back(c);
      for (unsigned n = 0; n < nodes_; ++n) {
        if (pending_[n].empty()) return "";
      }
      // Every node has its copy: apply the oldest.
      const isa::Cmd first = pending_[0].front();
      for (unsigned n = 0; n < nodes_; ++n) {
        if (!std::equal(first.w, first.w + isa::kCmdWords, pending_[n].front().w)) {
          return "nodes disagree on a collective";
        }
        pending_[n].erase(pending_[n].begin());
      }
      if (isa::opcode_of(first) != isa::Opcode::kAllreduce) return "only ALLREDUCE is used by decode";
      const isa::Allreduce a = isa::Allreduce::decode(first);
      const size_t at = size_t(a.base) * flit_;
      if (at + a.len > elems_) return "ALLREDUCE past the result buffer";
      for (uint32_t i = 0; i < a.len; ++i) {
        uint32_t sum = 0;  // wrap-around INT32 (DESIGN.md section 3)
        for (unsigned n = 0; n < nodes_; ++n) sum += static_cast<uint32_t>(rb_[n][at + i]);
        for (unsigned n = 0; n < nodes_; ++n) rb_[n][at + i] = static_cast<int32_t>(sum);
      }
      return "";
    }
    case isa::Opcode::kPrefetch:
    case isa::Opcode::kFence:
    case isa::Opcode::kSignal:
    case isa::Opcode::kRequant:
      return "";
    default:
      return "unknown opcode";
  }
}

}  // namespace pnm::host
