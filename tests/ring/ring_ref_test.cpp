// The ring collectives reference against cases worked out by hand: wrap-around sums, gather
// order, broadcast, and the alpha-beta bound.
#include <gtest/gtest.h>

#include <climits>

#include "ring_ref.hpp"

namespace {
using pnm::ref::NodeVectors;

TEST(RingRef, AllReduceSumsWithWrapAround) {
  const NodeVectors in = {{1, INT32_MAX, -5}, {2, 1, -7}, {3, 0, 12}};
  const NodeVectors out = pnm::ref::ring_allreduce(in);
  ASSERT_EQ(out.size(), 3u);
  for (const auto& v : out) {
    EXPECT_EQ(v[0], 6);
    EXPECT_EQ(v[1], INT32_MIN);  // INT32_MAX + 1 wraps
    EXPECT_EQ(v[2], 0);
  }
}

TEST(RingRef, AllReduceOrderDoesNotMatter) {
  const NodeVectors a = {{INT32_MIN, 7}, {-1, INT32_MAX}, {INT32_MIN, 9}};
  const NodeVectors b = {{INT32_MIN, 9}, {INT32_MIN, 7}, {-1, INT32_MAX}};
  EXPECT_EQ(pnm::ref::ring_allreduce(a)[0], pnm::ref::ring_allreduce(b)[0]);
  EXPECT_EQ(pnm::ref::ring_allreduce(a)[0][0], -1);  // MIN + MIN wraps to 0, then + (-1)
}

TEST(RingRef, AllGatherConcatenatesInNodeOrder) {
  const NodeVectors out = pnm::ref::ring_allgather({{1, 2}, {3}, {4, 5, 6}});
  for (const auto& v : out) EXPECT_EQ(v, (std::vector<int32_t>{1, 2, 3, 4, 5, 6}));
}

TEST(RingRef, BroadcastCopiesTheRoot) {
  const NodeVectors out = pnm::ref::ring_broadcast({{1}, {2, 3}, {4}}, 1);
  for (const auto& v : out) EXPECT_EQ(v, (std::vector<int32_t>{2, 3}));
  EXPECT_THROW(pnm::ref::ring_broadcast({{1}}, 1), std::invalid_argument);
}

TEST(RingRef, AlphaBetaBound) {
  // N = 4, 16 KiB, alpha 8 cycles, 64 B/cycle: 6 * 8 + 6/4 * 16384/64 = 48 + 384 = 432.
  EXPECT_DOUBLE_EQ(pnm::ref::allreduce_bound_cycles(4, 16384, 8, 64), 432.0);
  EXPECT_DOUBLE_EQ(pnm::ref::allreduce_bound_cycles(1, 16384, 8, 64), 0.0);
  // N = 2: 2 * alpha + n / B.
  EXPECT_DOUBLE_EQ(pnm::ref::allreduce_bound_cycles(2, 1024, 5, 32), 10.0 + 32.0);
}

}  // namespace
