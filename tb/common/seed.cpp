// Global and per-test seeds (see seed.hpp).
#include "seed.hpp"

#include "splitmix.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <set>

namespace pnm::tb {
namespace {
bool g_seed_set = false;
uint64_t g_seed = 1;
std::set<std::string> g_printed;
}  // namespace

uint64_t splitmix64(uint64_t& state) { return ref::splitmix64(state); }

void set_global_seed(uint64_t seed) {
  g_seed = seed;
  g_seed_set = true;
}

uint64_t global_seed() {
  if (!g_seed_set) {
    if (const char* env = std::getenv("PNM_SEED")) {
      char* end = nullptr;
      const unsigned long long v = std::strtoull(env, &end, 0);
      if (end == env || *end != '\0') {
        std::fprintf(stderr, "PNM_SEED: not an unsigned integer: '%s'\n", env);
        std::exit(2);
      }
      g_seed = v;
    }
    g_seed_set = true;
  }
  return g_seed;
}

uint64_t derive_seed(const std::string& name) {
  uint64_t state = global_seed();
  for (const char c : name) {
    state ^= static_cast<unsigned char>(c);
    splitmix64(state);
  }
  return splitmix64(state);
}

uint64_t test_seed() {
  const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
  const std::string name =
      info ? std::string(info->test_suite_name()) + "." + info->name() : std::string("main");
  const uint64_t seed = derive_seed(name);
  if (g_printed.insert(name).second) {
    std::printf("[ SEED     ] %s: PNM_SEED=%llu (stream 0x%016llx)\n", name.c_str(),
                static_cast<unsigned long long>(global_seed()),
                static_cast<unsigned long long>(seed));
    if (info) ::testing::Test::RecordProperty("pnm_seed", std::to_string(global_seed()));
  }
  return seed;
}

}  // namespace pnm::tb
