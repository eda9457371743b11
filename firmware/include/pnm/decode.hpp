// Decode compiler (DESIGN.md section 5, docs/decode.md): from a model shape and a system shape,
// the placement of every weight matrix in every node's flash (Megatron tensor parallelism) and
// the commands of every device step of a token. Freestanding: <cstdint> only, no heap, no
// exceptions; the caller walks the steps and submits the commands through the driver.
//
// Tensor parallelism over N nodes:
//   QKV (Q, K and V fused) and gate/up (fused): column-parallel. Node n holds rows [a_n, b_n) of
//     each part, stored as one matrix (its Q rows, then its K rows, then its V rows), so one GEMV
//     per node computes them; no reduction.
//   O and down: row-parallel. Node n holds input columns [k_n, k_n + K_n) of every row; its INT32
//     partial sums are all-reduced on the ring, so every node ends with the whole vector.
//   LM head: column-parallel over the vocabulary.
// Rows split into N near-equal ranges; input columns split at whole lane words, so no node pads
// more than its last lane word. A matrix whose results (rows x batch INT32) exceed the result
// buffer is cut into tiles of whole 64-row groups, one GEMV (and all-reduce) per tile.
#pragma once

#include <cstdint>

#include "pnm/isa.hpp"

namespace pnm::fw::decode {

struct ModelShape {
  uint32_t layers = 0, hidden = 0, heads = 0, kv_heads = 0, ffn = 0, vocab = 0;
  uint32_t experts = 1;            // FFN experts per layer (1: dense)
  uint32_t experts_per_token = 1;  // routed experts per token
  bool int4 = false;
  constexpr uint32_t head_dim() const { return heads ? hidden / heads : 0; }
  constexpr uint32_t kv_dim() const { return kv_heads * head_dim(); }
};

struct SystemShape {
  uint32_t nodes = 4;
  uint32_t lane_bytes = 64;
  uint32_t max_batch = 4;
  uint32_t max_k = 32768;
  uint32_t result_elems = 65536;  // result buffer: BufFlits * FlitBytes / 4
  uint32_t flit_elems = 8;        // INT32 elements per ring flit (result buffer addresses are flits)
  uint64_t flash_bytes = 0;       // per node
};

// The weight matrices of the model, in flash order within a layer.
enum class Tensor : uint8_t { kQkv, kO, kGateUp, kDown, kLmHead };

constexpr const char* tensor_name(Tensor t) {
  return t == Tensor::kQkv ? "qkv" : t == Tensor::kO ? "o" : t == Tensor::kGateUp ? "gate_up"
         : t == Tensor::kDown ? "down" : "lm_head";
}
constexpr bool row_parallel(Tensor t) { return t == Tensor::kO || t == Tensor::kDown; }

// A half-open range [first, first + count).
struct Range {
  uint32_t first = 0, count = 0;
};

// `total` split over `parts` in units of `unit`: part i gets units [U*i/parts, U*(i+1)/parts).
constexpr Range split(uint32_t total, uint32_t parts, uint32_t i, uint32_t unit = 1) {
  const uint64_t units = (uint64_t(total) + unit - 1) / unit;
  const uint64_t a = units * i / parts * unit, b = units * (i + 1) / parts * unit;
  const uint64_t lo = a < total ? a : total, hi = b < total ? b : total;
  return {static_cast<uint32_t>(lo), static_cast<uint32_t>(hi - lo)};
}

// One node's part of one matrix.
struct Slice {
  uint64_t w_byte = 0;     // flash byte address of its first row (a multiple of 64)
  uint32_t rows = 0;       // rows stored on this node
  uint32_t k = 0;          // elements per row on this node
  uint32_t k_first = 0;    // first input element it multiplies (row-parallel), else 0
  uint32_t row_bytes = 0;  // padded row: whole lane words
  uint32_t parts = 1;      // fused matrices (Q,K,V: 3; gate,up: 2)
  Range part[3];           // per part: the global rows this node holds (stored in this order)
  constexpr uint64_t bytes() const { return uint64_t(rows) * row_bytes; }
};

// Why a model cannot be placed on a system; kOk when it can.
enum class Fit : uint8_t {
  kOk,
  kShape,          // a zero or inconsistent dimension (hidden % heads, heads % kv_heads, experts)
  kBatch,          // batch 0 or above max_batch
  kK,              // a row longer than max_k on one node
  kSplit,          // some node would get no rows or no input columns
  kFlash,          // the weights do not fit one node's flash
  kResultBuffer,   // not even 64 rows x batch fit the result buffer
};

constexpr const char* fit_reason(Fit f) {
  return f == Fit::kOk ? "ok"
       : f == Fit::kShape ? "inconsistent model shape (hidden % heads, heads % kv_heads, experts)"
       : f == Fit::kBatch ? "batch is 0 or above gemv.max_batch"
       : f == Fit::kK ? "a weight row is longer than gemv.max_k on one node"
       : f == Fit::kSplit ? "a matrix is too small to give every node rows or whole lane words of input"
       : f == Fit::kFlash ? "the weights do not fit one node's flash"
       : "the result buffer cannot hold 64 rows of the batch";
}

class Compiler {
 public:
  constexpr Compiler(const ModelShape& m, const SystemShape& s, uint32_t batch)
      : m_(m), s_(s), batch_(batch) {}

  const ModelShape& model() const { return m_; }
  const SystemShape& system() const { return s_; }
  uint32_t batch() const { return batch_; }

  // Elements of one lane word (the GEMV's beat).
  constexpr uint32_t lane_elems() const { return m_.int4 ? 2 * s_.lane_bytes : s_.lane_bytes; }
  constexpr uint32_t row_bytes(uint32_t k) const {
    return (k + lane_elems() - 1) / lane_elems() * s_.lane_bytes;
  }

  // Shape of a whole matrix: rows of each fused part, and the input length.
  constexpr uint32_t parts(Tensor t) const { return t == Tensor::kQkv ? 3 : t == Tensor::kGateUp ? 2 : 1; }
  constexpr uint32_t part_rows(Tensor t, uint32_t p) const {
    return t == Tensor::kQkv ? (p == 0 ? m_.hidden : m_.kv_dim())
         : t == Tensor::kGateUp ? m_.ffn
         : t == Tensor::kO ? m_.hidden
         : t == Tensor::kDown ? m_.hidden
         : m_.vocab;
  }
  constexpr uint32_t in_len(Tensor t) const { return t == Tensor::kDown ? m_.ffn : m_.hidden; }

  // Node n's slice of a matrix, flash address not yet set.
  constexpr Slice shape(Tensor t, uint32_t n) const {
    Slice s;
    s.parts = parts(t);
    if (row_parallel(t)) {
      const Range kr = split(in_len(t), s_.nodes, n, lane_elems());
      s.k_first = kr.first;
      s.k = kr.count;
      s.rows = part_rows(t, 0);
      s.part[0] = {0, s.rows};
    } else {
      s.k = in_len(t);
      for (uint32_t p = 0; p < s.parts; ++p) {
        s.part[p] = split(part_rows(t, p), s_.nodes, n);
        s.rows += s.part[p].count;
      }
    }
    s.row_bytes = row_bytes(s.k);
    return s;
  }

  // Flash bytes of one node's layer (all experts) and of its LM head, each matrix 64-aligned.
  constexpr uint64_t layer_bytes(uint32_t n) const {
    uint64_t b = align64(shape(Tensor::kQkv, n).bytes()) + align64(shape(Tensor::kO, n).bytes());
    return b + uint64_t(m_.experts) * (align64(shape(Tensor::kGateUp, n).bytes()) +
                                       align64(shape(Tensor::kDown, n).bytes()));
  }
  constexpr uint64_t node_bytes(uint32_t n) const {
    return uint64_t(m_.layers) * layer_bytes(n) + align64(shape(Tensor::kLmHead, n).bytes());
  }

  // Placement: layer after layer (QKV, O, then gate/up and down of expert 0, 1, ...), the LM
  // head last; every matrix starts 64-byte aligned (GEMV w_addr is in 64-byte units).
  constexpr Slice slice(Tensor t, uint32_t layer, uint32_t expert, uint32_t n) const {
    Slice s = shape(t, n);
    if (t == Tensor::kLmHead) {
      s.w_byte = uint64_t(m_.layers) * layer_bytes(n);
      return s;
    }
    uint64_t at = uint64_t(layer) * layer_bytes(n);
    if (t == Tensor::kQkv) { s.w_byte = at; return s; }
    at += align64(shape(Tensor::kQkv, n).bytes());
    if (t == Tensor::kO) { s.w_byte = at; return s; }
    at += align64(shape(Tensor::kO, n).bytes());
    at += uint64_t(expert) * (align64(shape(Tensor::kGateUp, n).bytes()) + align64(shape(Tensor::kDown, n).bytes()));
    if (t == Tensor::kDown) at += align64(shape(Tensor::kGateUp, n).bytes());
    s.w_byte = at;
    return s;
  }

  // Result tiles: rows per GEMV so that rows x batch INT32 fit the result buffer (whole 64-row
  // groups, so every tile starts 64-byte aligned in flash).
  constexpr uint32_t tile_rows() const { return s_.result_elems / (batch_ ? batch_ : 1) / 64 * 64; }
  constexpr uint32_t tiles(const Slice& s) const {
    return (s.rows + tile_rows() - 1) / tile_rows();
  }
  constexpr Range tile(const Slice& s, uint32_t i) const {
    const uint32_t first = i * tile_rows();
    const uint32_t left = s.rows - first;
    return {first, left < tile_rows() ? left : tile_rows()};
  }

  // The GEMV of tile i of a slice: activations from element 0 of slots 0..batch-1, INT32 results
  // from result-buffer element 0 (element b*rows + r).
  constexpr isa::Gemv gemv(const Slice& s, uint32_t i) const {
    const Range r = tile(s, i);
    isa::Gemv g;
    g.int4 = m_.int4;
    g.batch = batch_;
    g.rows = r.count;
    g.k = s.k;
    g.x_base = 0;
    g.w_addr = (s.w_byte + uint64_t(r.first) * s.row_bytes) / 64;
    g.out_base = 0;
    return g;
  }
  // The all-reduce after a row-parallel GEMV (the same on every node).
  constexpr isa::Allreduce allreduce(const isa::Gemv& g) const {
    isa::Allreduce a;
    a.len = g.rows * g.batch;
    a.base = g.out_base;
    return a;
  }
  // Reads a later GEMV's weights ahead (its flash request goes out now; the GEMV consumes it).
  static constexpr isa::Prefetch prefetch(const isa::Gemv& g, uint32_t row_bytes) {
    isa::Prefetch p;
    p.w_addr = g.w_addr;
    p.bytes = g.rows * row_bytes;
    return p;
  }

  constexpr Fit check() const {
    if (!m_.layers || !m_.hidden || !m_.heads || !m_.kv_heads || !m_.ffn || !m_.vocab ||
        m_.hidden % m_.heads || m_.heads % m_.kv_heads || !m_.experts ||
        !m_.experts_per_token || m_.experts_per_token > m_.experts || !s_.nodes) {
      return Fit::kShape;
    }
    if (batch_ == 0 || batch_ > s_.max_batch) return Fit::kBatch;
    if (tile_rows() == 0) return Fit::kResultBuffer;
    const Tensor all[] = {Tensor::kQkv, Tensor::kO, Tensor::kGateUp, Tensor::kDown, Tensor::kLmHead};
    for (uint32_t n = 0; n < s_.nodes; ++n) {
      for (Tensor t : all) {
        const Slice s = shape(t, n);
        if (s.k > s_.max_k) return Fit::kK;
        if (s.k == 0 || s.rows == 0) return Fit::kSplit;
      }
      if (node_bytes(n) > s_.flash_bytes) return Fit::kFlash;
    }
    return Fit::kOk;
  }

 private:
  static constexpr uint64_t align64(uint64_t b) { return (b + 63) / 64 * 64; }
  ModelShape m_;
  SystemShape s_;
  uint32_t batch_;
};

}  // namespace pnm::fw::decode
