// Reference of the ring collectives of DESIGN.md sections 3 and 4.3, written from their
// definitions: every node's result after all-reduce (INT32 sums with two's-complement
// wrap-around, so the order of reduction cannot matter), all-gather and broadcast; and the
// alpha-beta latency bound the ring benchmark compares with. Plain C++, no knowledge of the RTL.
#pragma once

#include <cstdint>
#include <vector>

namespace pnm::ref {

using NodeVectors = std::vector<std::vector<int32_t>>;  // [node][element]

// Every node ends with the element-wise sum of all nodes' vectors (wrap-around INT32).
NodeVectors ring_allreduce(const NodeVectors& in);

// Every node ends with the concatenation of all nodes' chunks, node 0 first.
NodeVectors ring_allgather(const NodeVectors& in);

// Every node ends with the root's vector.
NodeVectors ring_broadcast(const NodeVectors& in, unsigned root);

// Alpha-beta bound of a ring all-reduce of n bytes on N nodes (reduce-scatter + all-gather):
//   2 (N - 1) alpha + 2 (N - 1) / N * n / B
// alpha: per-hop latency in cycles; B: bytes per cycle a node can send (both directions).
double allreduce_bound_cycles(unsigned nodes, double bytes, double alpha_cycles,
                              double bytes_per_cycle);

}  // namespace pnm::ref
