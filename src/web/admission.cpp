#include "web/admission.hpp"

#include <charconv>

#include <algorithm>
#include <cmath>

#include "common/crypto.hpp"

namespace madoguchi::web {

AdmissionGate::AdmissionGate(int max_in_flight, std::function<int64_t()> committed, Clock& clock)
    : max_in_flight_(max_in_flight), committed_(std::move(committed)), clock_(clock) {}

void AdmissionGate::Done() {
  std::lock_guard lock(mu_);
  --in_flight_;
}

AdmissionGate::Decision AdmissionGate::Check(int64_t number) {
  const int64_t now = clock_.NowMs();
  std::lock_guard lock(mu_);
  const int64_t room = max_in_flight_ - in_flight_;
  if (now - last_sample_ms_ >= 1000) {
    const int64_t c = committed_();
    if (last_sample_ms_ > 0) {
      const double r = (c - last_committed_) * 1000.0 / static_cast<double>(now - last_sample_ms_);
      rate_ = 0.7 * rate_ + 0.3 * std::max(r, 1.0);
    }
    last_sample_ms_ = now;
    last_committed_ = c;
  }
  Decision d;
  if (number <= 0 || number > issued_) {
    // A new visitor (or a number from before a restart): straight in when nobody waits.
    if (issued_ == served_ && room > 0) {
      d.admitted = true;
      ++in_flight_;
      return d;
    }
    number = ++issued_;
  }
  if (room > 0) served_ = std::min(issued_, served_ + room);
  d.number = number;
  if (number <= served_ && in_flight_ < max_in_flight_) {
    d.admitted = true;
    ++in_flight_;
    return d;
  }
  d.position = number - served_;
  d.eta_sec = static_cast<int>(std::ceil(d.position / rate_));
  return d;
}


std::string SignNumber(const std::string& secret, int64_t number, int64_t now_ms) {
  return crypto::SignToken(secret, "queue", {std::to_string(number)}, now_ms + 3'600'000);  // good for an hour
}

std::optional<int64_t> VerifyNumber(const std::string& secret, const std::string& token, int64_t now_ms) {
  auto fields = crypto::VerifyToken(secret, "queue", token, now_ms, 80);
  if (!fields || fields->size() != 1) return std::nullopt;
  int64_t number = 0;
  const std::string& f = (*fields)[0];
  auto [end, ec] = std::from_chars(f.data(), f.data() + f.size(), number);
  if (ec != std::errc() || end != f.data() + f.size()) return std::nullopt;
  return number;
}

}  // namespace madoguchi::web
