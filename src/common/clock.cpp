#include "common/clock.hpp"

namespace madoguchi {

int64_t Clock::NowMs() const { return std::chrono::duration_cast<std::chrono::milliseconds>(Now().time_since_epoch()).count(); }

namespace {
class RealClock final : public Clock {
 public:
  TimePoint Now() const override { return std::chrono::system_clock::now(); }
};
}  // namespace

Clock& SystemClock() {
  static RealClock clock;
  return clock;
}

TimePoint FakeClock::Now() const { return TimePoint(std::chrono::milliseconds(now_ms_.load())); }

}  // namespace madoguchi
