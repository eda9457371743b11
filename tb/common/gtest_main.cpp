// GoogleTest entry point for every test binary: accepts --seed=N (or --seed N) besides the
// GoogleTest flags and makes it the global seed (see seed.hpp).
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "seed.hpp"

namespace {
bool parse_seed(const char* text) {
  char* end = nullptr;
  const unsigned long long v = std::strtoull(text, &end, 0);
  if (end == text || *end != '\0') return false;
  pnm::tb::set_global_seed(v);
  return true;
}
}  // namespace

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  for (int i = 1; i < argc; ++i) {
    const char* a = argv[i];
    const char* value = nullptr;
    if (std::strncmp(a, "--seed=", 7) == 0) value = a + 7;
    else if (std::strcmp(a, "--seed") == 0 && i + 1 < argc) value = argv[++i];
    else {
      std::fprintf(stderr, "unknown option '%s' (test binaries take GoogleTest flags and --seed=N)\n", a);
      return 2;
    }
    if (!parse_seed(value)) {
      std::fprintf(stderr, "--seed: not an unsigned integer: '%s'\n", value);
      return 2;
    }
  }
  std::printf("[ SEED     ] global PNM_SEED=%llu\n",
              static_cast<unsigned long long>(pnm::tb::global_seed()));
  return RUN_ALL_TESTS();
}
