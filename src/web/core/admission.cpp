#include "web/core/admission.hpp"

#include <charconv>

#include <algorithm>
#include <cmath>

#include "common/crypto.hpp"
#include "store/batch_writer.hpp"

#include <spdlog/spdlog.h>

namespace madoguchi::web {

Result<store::LineCounts> DatabaseLine::Read() {
  store::LineCounts c;
  MADOGUCHI_RETURN_IF_ERROR(store::WithConnection(db_, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(c, store::ReadLine(conn));
    return Status::Ok();
  }));
  return c;
}

void DatabaseLine::Record(int64_t taken, int64_t room) {
  writer_.Post([taken, room](store::Connection& conn) { return store::RecordLine(conn, taken, room); },
               [](const Status& s) {
                 if (!s.ok()) spdlog::warn("msg=\"the waiting room's line was not recorded\" error=\"{}\"", s.ToString());
               });
}

AdmissionGate::AdmissionGate(int max_in_flight, std::function<int64_t()> committed, const Clock& clock, WaitingLine& line)
    : max_in_flight_(max_in_flight), committed_(std::move(committed)), clock_(clock), line_(line) {}

void AdmissionGate::Done() {
  std::lock_guard lock(mu_);
  --in_flight_;
}

void AdmissionGate::SampleRate(int64_t now) {
  if (now - last_sample_ms_ < 1000) return;
  const int64_t c = committed_();
  if (last_sample_ms_ > 0) {
    const double r = (c - last_committed_) * 1000.0 / static_cast<double>(now - last_sample_ms_);
    rate_ = 0.7 * rate_ + 0.3 * std::max(r, 1.0);
  }
  last_sample_ms_ = now;
  last_committed_ = c;
}

std::optional<AdmissionGate::Decision> AdmissionGate::AdmitIfServed(int64_t number) {
  if (number > seen_.served || in_flight_ >= max_in_flight_) return std::nullopt;
  ++in_flight_;
  Decision d;
  d.admitted = true;
  return d;
}

Result<AdmissionGate::Decision> AdmissionGate::Check(int64_t number) {
  const int64_t now = clock_.NowMs();
  std::unique_lock lock(mu_);
  SampleRate(now);
  if (now - seen_at_ms_ > kFreshMs || number > seen_.issued) {
    // An old view, or a number handed out since by another process: look again (unlocked).
    lock.unlock();
    MADOGUCHI_ASSIGN_OR_RETURN(const store::LineCounts fresh, line_.Read());
    lock.lock();
    seen_ = {std::max(seen_.issued, fresh.issued), std::max(seen_.served, fresh.served)};
    seen_at_ms_ = std::max(seen_at_ms_, now);
  }
  const int64_t room = max_in_flight_ - in_flight_;
  // A new visitor (or a number the line never handed out) walks in while this process has room
  // for everyone in line and them too: no number (the busy path of a rush).
  const bool take = number <= 0 || number > seen_.issued;
  if (take && room > seen_.issued - seen_.served) {
    if (seen_.served < seen_.issued) {
      // There is room for them all: everyone in line may come in when they are back.
      line_.Record(0, seen_.issued - seen_.served);
      seen_.served = seen_.issued;
    }
    ++in_flight_;
    Decision d;
    d.admitted = true;
    return d;
  }
  if (!take) {
    if (auto d = AdmitIfServed(number)) return *d;
  }
  if (take || (room > 0 && seen_.served < seen_.issued)) {
    // A number for the newcomer, and as many numbers served as there is room for: in this
    // process's view at once, in the shared line with the writer's next batch.
    if (take) number = ++seen_.issued;
    if (room > 0) seen_.served = std::min(seen_.issued, seen_.served + room);
    line_.Record(take ? 1 : 0, room);
    if (auto d = AdmitIfServed(number)) return *d;
  }
  Decision d;
  d.number = number;
  d.position = std::max<int64_t>(1, number - seen_.served);
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
