// Seeds for reproducible random tests. One global seed per run comes from `--seed=N` on the test
// command line (see gtest_main.cpp), else the PNM_SEED environment variable, else 1. Each test
// derives its own stream from the global seed and its full name, and prints both, so a failure
// is replayed with `PNM_SEED=N ctest -R <test>` or `<test-binary> --seed=N --gtest_filter=<test>`.
#pragma once

#include <cstdint>
#include <string>

namespace pnm::tb {

// splitmix64 step: the mixing function used for every derived seed in the testbench.
uint64_t splitmix64(uint64_t& state);

void set_global_seed(uint64_t seed);
uint64_t global_seed();

// Seed for the running GoogleTest test (or for `name` outside a test); printed once per test.
uint64_t test_seed();
uint64_t derive_seed(const std::string& name);

}  // namespace pnm::tb
