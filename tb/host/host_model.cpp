#include "host_model.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "splitmix.hpp"

namespace pnm::host {

QVec quantize(const Vec& x) {
  float m = 0.0f;
  for (float v : x) m = std::max(m, std::fabs(v));
  QVec out;
  out.scale = m > 0.0f ? m / 127.0f : 1.0f;
  out.q.resize(x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    const float r = std::nearbyint(x[i] / out.scale);
    out.q[i] = static_cast<int8_t>(std::clamp(r, -127.0f, 127.0f));
  }
  return out;
}

Vec rmsnorm(const Vec& x, double eps) {
  double ss = 0.0;
  for (float v : x) ss += double(v) * v;
  const double inv = 1.0 / std::sqrt(ss / static_cast<double>(x.size()) + eps);
  Vec y(x.size());
  for (size_t i = 0; i < x.size(); ++i) y[i] = static_cast<float>(x[i] * inv);
  return y;
}

void rope(Vec& x, uint32_t head_dim, uint32_t pos, double theta) {
  for (size_t h = 0; h + head_dim <= x.size(); h += head_dim) {
    for (uint32_t i = 0; i + 1 < head_dim; i += 2) {
      const double f = std::pow(theta, -static_cast<double>(i) / head_dim) * pos;
      const double c = std::cos(f), s = std::sin(f);
      const double a = x[h + i], b = x[h + i + 1];
      x[h + i] = static_cast<float>(a * c - b * s);
      x[h + i + 1] = static_cast<float>(a * s + b * c);
    }
  }
}

float silu(float x) { return x / (1.0f + std::exp(-x)); }

uint32_t argmax(const Vec& x) {
  return static_cast<uint32_t>(std::max_element(x.begin(), x.end()) - x.begin());
}

double cosine(const Vec& a, const Vec& b) {
  double ab = 0, aa = 0, bb = 0;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    ab += double(a[i]) * b[i];
    aa += double(a[i]) * a[i];
    bb += double(b[i]) * b[i];
  }
  return aa > 0 && bb > 0 ? ab / std::sqrt(aa * bb) : 0.0;
}

namespace {
// Uniform in [-1, 1) from a hash of (seed, a, b, c).
float unit(uint64_t seed, uint64_t a, uint64_t b, uint64_t c) {
  uint64_t s = seed ^ a;
  s = ref::splitmix64(s) ^ b;
  s = ref::splitmix64(s) ^ c;
  const uint64_t h = ref::splitmix64(s);
  return static_cast<float>(static_cast<double>(h >> 11) * 0x1.0p-52 - 1.0);
}
}  // namespace

Vec Params::embedding(uint32_t token) const {
  Vec e(m_.hidden);
  for (uint32_t i = 0; i < m_.hidden; ++i) e[i] = unit(seed_, 0xE3B, token, i);
  return e;
}

float Params::row_scale(fw::decode::Tensor t, uint32_t layer, uint32_t expert, uint32_t part,
                        uint32_t row) const {
  const uint32_t k = t == fw::decode::Tensor::kDown ? m_.ffn : m_.hidden;
  const double spread = m_.int4 ? 4.6 : 74.0;  // std of uniform INT4 / INT8 values
  const double base = 1.0 / (spread * std::sqrt(static_cast<double>(k)));
  const uint64_t id = (uint64_t(static_cast<uint8_t>(t)) << 56) ^ (uint64_t(layer) << 40) ^
                      (uint64_t(expert) << 24) ^ (uint64_t(part) << 20);
  return static_cast<float>(base * (1.0 + 0.25 * unit(seed_, 0x5CA1E, id, row)));
}

Vec Params::router_logits(uint32_t layer, const Vec& x) const {
  Vec out(m_.experts, 0.0f);
  const double s = 1.0 / std::sqrt(static_cast<double>(m_.hidden));
  for (uint32_t e = 0; e < m_.experts; ++e) {
    double acc = 0;
    for (uint32_t i = 0; i < m_.hidden; ++i) acc += unit(seed_, 0x20073, (uint64_t(layer) << 32) | e, i) * x[i];
    out[e] = static_cast<float>(acc * s);
  }
  return out;
}

Vec attention(const fw::decode::ModelShape& m, KvCache& cache, uint32_t layer, const Vec& q,
              const Vec& k, const Vec& v) {
  if (cache.k.size() < m.layers) {
    cache.k.resize(m.layers);
    cache.v.resize(m.layers);
  }
  Vec& kc = cache.k[layer];
  Vec& vc = cache.v[layer];
  kc.insert(kc.end(), k.begin(), k.end());
  vc.insert(vc.end(), v.begin(), v.end());
  const uint32_t d = m.head_dim(), kvd = m.kv_dim(), group = m.heads / m.kv_heads;
  const size_t positions = kc.size() / kvd;
  const double scale = 1.0 / std::sqrt(static_cast<double>(d));
  Vec out(m.hidden, 0.0f);
  std::vector<double> p(positions);
  for (uint32_t h = 0; h < m.heads; ++h) {
    const uint32_t kvh = h / group;
    double mx = -1e300;
    for (size_t t = 0; t < positions; ++t) {
      double s = 0;
      for (uint32_t i = 0; i < d; ++i) s += double(q[h * d + i]) * kc[t * kvd + kvh * d + i];
      p[t] = s * scale;
      mx = std::max(mx, p[t]);
    }
    double sum = 0;
    for (size_t t = 0; t < positions; ++t) sum += (p[t] = std::exp(p[t] - mx));
    for (size_t t = 0; t < positions; ++t) {
      const double w = p[t] / sum;
      for (uint32_t i = 0; i < d; ++i) out[h * d + i] += static_cast<float>(w * vc[t * kvd + kvh * d + i]);
    }
  }
  return out;
}

Route route(const Vec& logits, uint32_t top_k) {
  std::vector<uint32_t> idx(logits.size());
  std::iota(idx.begin(), idx.end(), 0u);
  std::stable_sort(idx.begin(), idx.end(), [&](uint32_t a, uint32_t b) { return logits[a] > logits[b]; });
  Route r;
  r.experts.assign(idx.begin(), idx.begin() + top_k);
  double sum = 0;
  for (uint32_t e : r.experts) sum += std::exp(double(logits[e]) - logits[idx[0]]);
  for (uint32_t e : r.experts) r.weights.push_back(static_cast<float>(std::exp(double(logits[e]) - logits[idx[0]]) / sum));
  return r;
}

}  // namespace pnm::host
