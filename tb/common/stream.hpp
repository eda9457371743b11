// Valid/ready stream drivers with random backpressure, for any beat type: the caller supplies
// how a beat is written to or read from the model's ports (a lambda), so one driver serves every
// width Verilator produces (CData ... VlWide).
//
// StreamSource obeys the stream rule (never retracts valid, holds data until accepted) and
// inserts random idle cycles. StreamSink toggles ready at random and checks the producer's side
// of the rule: a beat offered without ready must be offered again, unchanged, next cycle.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "rng.hpp"
#include "sim.hpp"

namespace pnm::tb {

// Per-cycle probability that a source offers / a sink accepts, plus occasional long stalls.
struct Backpressure {
  double rate = 1.0;         // probability of valid (source) or ready (sink) in a normal cycle
  double stall_prob = 0.0;   // probability per cycle of starting a stall
  uint32_t stall_max = 0;    // stall length is uniform in [1, stall_max] cycles
  static Backpressure none() { return {}; }
  static Backpressure random(double rate, double stall_prob = 0.01, uint32_t stall_max = 32) {
    return {rate, stall_prob, stall_max};
  }
};

class Throttle {
 public:
  Throttle(Rng& rng, Backpressure bp) : rng_(rng), bp_(bp) {}
  void set(Backpressure bp) { bp_ = bp; }
  bool allow() {
    if (stall_left_ > 0) {
      --stall_left_;
      return false;
    }
    if (bp_.stall_max > 0 && rng_.chance(bp_.stall_prob)) {
      stall_left_ = static_cast<uint32_t>(rng_.range(1, bp_.stall_max)) - 1;
      return false;
    }
    return rng_.chance(bp_.rate);
  }

 private:
  Rng& rng_;
  Backpressure bp_;
  uint32_t stall_left_ = 0;
};

template <class Beat>
class StreamSource : public Component {
 public:
  using SetData = std::function<void(const Beat&)>;

  StreamSource(Rng& rng, uint8_t& valid, const uint8_t& ready, SetData set_data,
               Backpressure bp = Backpressure::none())
      : throttle_(rng, bp), valid_(valid), ready_(ready), set_data_(std::move(set_data)) {}

  void push(const Beat& b) { queue_.push_back(b); }
  void set_backpressure(Backpressure bp) { throttle_.set(bp); }
  size_t pending() const { return queue_.size(); }
  bool idle() const { return queue_.empty(); }
  uint64_t sent() const { return sent_; }

  void drive() override {
    if (!offering_ && !queue_.empty() && throttle_.allow()) offering_ = true;
    valid_ = offering_ ? 1 : 0;
    if (offering_) set_data_(queue_.front());
  }
  void sample() override {
    if (offering_ && ready_) {
      queue_.pop_front();
      offering_ = false;
      ++sent_;
    }
  }

 private:
  Throttle throttle_;
  uint8_t& valid_;
  const uint8_t& ready_;
  SetData set_data_;
  std::deque<Beat> queue_;
  bool offering_ = false;
  uint64_t sent_ = 0;
};

template <class Beat>
class StreamSink : public Component {
 public:
  using GetData = std::function<Beat()>;

  StreamSink(Rng& rng, const uint8_t& valid, uint8_t& ready, GetData get_data,
             Backpressure bp = Backpressure::none())
      : throttle_(rng, bp), valid_(valid), ready_(ready), get_data_(std::move(get_data)) {}

  void set_backpressure(Backpressure bp) { throttle_.set(bp); }
  std::vector<Beat>& received() { return received_; }
  const std::vector<Beat>& received() const { return received_; }
  size_t count() const { return received_.size(); }
  // Stream-rule violations seen so far (empty when the producer behaved).
  const std::vector<std::string>& violations() const { return violations_; }

  // After a flush of the producer, a withdrawn beat is legal: forget the stalled one.
  void forget_stall() { stalled_ = false; }

  void drive() override {
    ready_now_ = throttle_.allow();
    ready_ = ready_now_ ? 1 : 0;
  }
  void sample() override {
    const bool valid = valid_ != 0;
    if (stalled_) {
      if (!valid) {
        add_violation("valid retracted before ready");
      } else if (!(get_data_() == stalled_beat_)) {
        add_violation("data changed while valid && !ready");
      }
    }
    stalled_ = valid && !ready_now_;
    if (valid) {
      const Beat beat = get_data_();
      if (ready_now_) received_.push_back(beat);
      else stalled_beat_ = beat;
    }
    ++cycle_;
  }

 private:
  void add_violation(const std::string& what) {
    if (violations_.size() < 16) {
      std::ostringstream os;
      os << "stream rule broken at sink cycle " << cycle_ << ": " << what;
      violations_.push_back(os.str());
    }
  }

  Throttle throttle_;
  const uint8_t& valid_;
  uint8_t& ready_;
  GetData get_data_;
  std::vector<Beat> received_;
  std::vector<std::string> violations_;
  Beat stalled_beat_{};
  bool stalled_ = false;
  bool ready_now_ = false;
  uint64_t cycle_ = 0;
};

}  // namespace pnm::tb
