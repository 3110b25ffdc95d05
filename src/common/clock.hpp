// src/common/clock.hpp — time as an injected dependency.
//
// Code that needs "now" takes a `Clock&`; production passes SystemClock(), tests a FakeClock
// that moves only when told. All times are UTC.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace madoguchi {

using TimePoint = std::chrono::system_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
  // Milliseconds since the Unix epoch, the unit stored in the database.
  int64_t NowMs() const;
};

// The process-wide real clock. Thread-safe.
Clock& SystemClock();

// A clock for tests. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t start_ms = 1'767'225'600'000 /* 2026-01-01T00:00:00Z */) : now_ms_(start_ms) {}
  TimePoint Now() const override;
  void Advance(std::chrono::milliseconds d) { now_ms_ += d.count(); }
  void SetMs(int64_t ms) { now_ms_ = ms; }

 private:
  std::atomic<int64_t> now_ms_;
};

}  // namespace madoguchi
