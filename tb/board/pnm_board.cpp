// pnm_board: the PC side of the FPGA prototype (docs/fpga.md). Talks to pnm_fpga_top over its
// serial port through the UART bridge:
//   pnm_board --port /dev/ttyUSB0 info       the build and flash geometry the board reports
//   pnm_board --port /dev/ttyUSB0 selftest   random GEMVs checked bit-exactly + an ECC check
// Exit codes: 0 pass, 1 a check failed or the board did not answer, 2 bad arguments or port.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <string>

#include "board_session.hpp"
#include "rng.hpp"
#include "termios_link.hpp"

int main(int argc, char** argv) {
  std::string port, command = "info";
  unsigned baud = 115200, gemvs = 8;
  uint64_t seed = 1;
  CLI::App app{"pnm_board: info and self-test of the HBF-PNM FPGA prototype over its serial port"};
  app.add_option("command", command, "info | selftest")->check(CLI::IsMember({"info", "selftest"}));
  app.add_option("--port", port, "serial port of the board, e.g. /dev/ttyUSB0")->required();
  app.add_option("--baud", baud, "line rate; the bridge's ClkPerBit must match (115200 on the ULX3S build)");
  app.add_option("--gemvs", gemvs, "GEMVs of the self-test")->check(CLI::Range(1u, 10000u));
  app.add_option("--seed", seed, "seed of the flash image and the activations");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::fputs(app.help().c_str(), stdout);
    return 0;
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "pnm_board: %s (see --help)\n", e.what());
    return 2;
  }

  pnm::tb::TermiosLink link;
  if (auto why = link.open(port, baud); !why.empty()) {
    std::fprintf(stderr, "pnm_board: --port: %s\n", why.c_str());
    return 2;
  }
  pnm::tb::BoardSession s(link, seed ^ 0xF1A5);
  if (auto why = s.connect(); !why.empty()) {
    std::fprintf(stderr, "pnm_board: %s: %s\n", port.c_str(), why.c_str());
    return 1;
  }
  const auto& g = s.geometry;
  std::printf("board: PNMFPGA1, MaxK %u, LaneBytes %u, MaxBatch %u, flash %u channels x %u dies x %u planes x "
              "%u blocks x %u pages x %u B = %llu KiB\n",
              s.info.max_k, s.info.lane_bytes, s.info.max_batch, g.channels, g.dies, g.planes, g.blocks, g.pages,
              g.page_bytes, static_cast<unsigned long long>(g.total_bytes() / 1024));
  if (command == "info") return 0;
  pnm::tb::Rng rng(seed);
  std::printf("selftest: seed %llu\n", static_cast<unsigned long long>(seed));
  const std::string why = s.selftest(rng, gemvs, [](const std::string& line) {
    std::printf("  %s\n", line.c_str());
    std::fflush(stdout);
  });
  std::printf("selftest: %s%s\n", why.empty() ? "PASS" : "FAIL: ", why.c_str());
  return why.empty() ? 0 : 1;
}
