// Host model of decode (DESIGN.md sections 5 and 6): the float steps the host CPU runs between
// device GEMVs (embedding, RMSNorm, RoPE, attention over a KV cache, SiLU*up, residual adds,
// MoE routing, INT8 activation quantisation, greedy sampling), and the procedural parameters
// that the device does not hold (embedding table, per-row weight scales, router weights).
//
// The same code runs two pipelines side by side (decode_runner.hpp): the quantised one, fed by
// the device's INT32 results, and the float reference, fed by float GEMVs of the same weights on
// unquantised activations. The cosine similarity of their final hidden states is the
// quantisation-error figure of the report (informational).
#pragma once

#include <cstdint>
#include <vector>

#include "pnm/decode.hpp"

namespace pnm::host {

using Vec = std::vector<float>;

// Symmetric INT8 with one scale per vector: q = clamp(round(x / s), -127, 127), s = max|x| / 127
// (s = 1 for an all-zero vector).
struct QVec {
  std::vector<int8_t> q;
  float scale = 1.0f;
};
QVec quantize(const Vec& x);

Vec rmsnorm(const Vec& x, double eps);  // weights of the norms are 1 (procedural model)
// Rotary embedding at position `pos` on every head of x (heads of `head_dim`), pairs (2i, 2i+1)
// rotated by pos * theta^(-2i/head_dim) (the original Meta layout).
void rope(Vec& x, uint32_t head_dim, uint32_t pos, double theta);
float silu(float x);
uint32_t argmax(const Vec& x);
double cosine(const Vec& a, const Vec& b);

// Procedural parameters of a model: a pure function of (seed, indices), so nothing is stored.
class Params {
 public:
  Params(const fw::decode::ModelShape& m, uint64_t seed) : m_(m), seed_(seed) {}
  // Embedding row of a token: uniform in [-1, 1).
  Vec embedding(uint32_t token) const;
  // Scale of global row r of a matrix (the fused part p): about 1 / (74 sqrt(K)), so that INT8
  // weights uniform in [-128, 127] (INT4: [-8, 7], ~4.6 std) keep the activations' magnitude.
  float row_scale(fw::decode::Tensor t, uint32_t layer, uint32_t expert, uint32_t part, uint32_t row) const;
  // Router logits of one layer (MoE): experts x hidden, uniform / sqrt(hidden).
  Vec router_logits(uint32_t layer, const Vec& x) const;

 private:
  fw::decode::ModelShape m_;
  uint64_t seed_;
};

// Attention of one layer for one sequence over its cache (grouped-query: query head h reads KV
// head h / (heads / kv_heads)). Appends k and v (after RoPE on k) to the cache first.
struct KvCache {
  std::vector<Vec> k, v;  // [layer] -> positions * kv_dim
};
Vec attention(const fw::decode::ModelShape& m, KvCache& cache, uint32_t layer, const Vec& q,
              const Vec& k, const Vec& v);

// MoE routing: the top `experts_per_token` experts and their softmax weights (renormalised over
// the chosen ones, as Mixtral).
struct Route {
  std::vector<uint32_t> experts;
  std::vector<float> weights;
};
Route route(const Vec& logits, uint32_t top_k);

}  // namespace pnm::host
