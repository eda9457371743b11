// Ring collectives reference (see ring_ref.hpp).
#include "ring_ref.hpp"

#include <stdexcept>

namespace pnm::ref {

NodeVectors ring_allreduce(const NodeVectors& in) {
  if (in.empty()) return {};
  const size_t n = in[0].size();
  std::vector<uint32_t> sum(n, 0);  // unsigned: wrap-around is defined
  for (const auto& v : in) {
    if (v.size() != n) throw std::invalid_argument("ring_allreduce: vectors of different lengths");
    for (size_t i = 0; i < n; ++i) sum[i] += static_cast<uint32_t>(v[i]);
  }
  std::vector<int32_t> s(n);
  for (size_t i = 0; i < n; ++i) s[i] = static_cast<int32_t>(sum[i]);
  return NodeVectors(in.size(), s);
}

NodeVectors ring_allgather(const NodeVectors& in) {
  std::vector<int32_t> all;
  for (const auto& v : in) all.insert(all.end(), v.begin(), v.end());
  return NodeVectors(in.size(), all);
}

NodeVectors ring_broadcast(const NodeVectors& in, unsigned root) {
  if (root >= in.size()) throw std::invalid_argument("ring_broadcast: root outside the ring");
  return NodeVectors(in.size(), in[root]);
}

double allreduce_bound_cycles(unsigned nodes, double bytes, double alpha_cycles,
                              double bytes_per_cycle) {
  if (nodes < 2) return 0.0;
  const double steps = 2.0 * (nodes - 1);
  return steps * alpha_cycles + steps / nodes * bytes / bytes_per_cycle;
}

}  // namespace pnm::ref
