// src/web/core/admission.hpp — the waiting room in front of booking.
//
// AdmissionGate admits a booking request while fewer than `max_in_flight` are being served at once
// by this process (admitted and not yet answered): throughput is what the database commits, so
// more concurrency would only add waiting inside the server. Past that, visitors take a number;
// whenever a process has room, numbers are served (as many as there is room for) and a waiting
// visitor is admitted at their next visit. Their place and an estimate (from this process's recent
// commit rate) are shown meanwhile. Numbers are signed, so nobody jumps the queue by editing one.
//
// The line is in the database (store/admission): one line for every process, so a number taken
// at one process is a place at every other. Nothing on the way in waits for the database: each
// process decides on its view of the line (read again when it is kFreshMs old, or when a visitor
// brings a number it has not seen), and what it changes — a number taken, numbers served — goes
// into the single writer's next batch. So the line is exact within one process, and across
// processes fair to within kFreshMs: two visitors who take a number at two processes within that
// time may share a place.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "common/clock.hpp"
#include "common/status.hpp"
#include "store/admission/waiting_line.hpp"

namespace madoguchi::store {
class BatchWriter;
class Database;
}  // namespace madoguchi::store

namespace madoguchi::web {

// The line's shared counters (the database's, or a test's).
class WaitingLine {
 public:
  virtual ~WaitingLine() = default;
  virtual Result<store::LineCounts> Read() = 0;
  // Records `taken` numbers handed out (0 or 1) and up to `room` more served, without waiting
  // for it to be stored (a failure is logged; the next change carries the line on).
  virtual void Record(int64_t taken, int64_t room) = 0;
};

// The line in the database: read on a pooled connection, changed in the single writer's batches.
class DatabaseLine final : public WaitingLine {
 public:
  DatabaseLine(store::Database& db, store::BatchWriter& writer) : db_(db), writer_(writer) {}
  Result<store::LineCounts> Read() override;
  void Record(int64_t taken, int64_t room) override;

 private:
  store::Database& db_;
  store::BatchWriter& writer_;
};

class AdmissionGate {
 public:
  struct Decision {
    bool admitted = false;
    int64_t number = 0;    // the visitor's place number when waiting
    int64_t position = 0;  // how many are ahead, including them
    int eta_sec = 0;
  };
  static constexpr int64_t kFreshMs = 100;  // how old this process's view of the line may be

  // `committed`: writes committed so far (for the rate in the estimate). `line` outlives the gate.
  AdmissionGate(int max_in_flight, std::function<int64_t()> committed, const Clock& clock, WaitingLine& line);

  // `number`: the place number from an earlier visit, 0 for a new visitor. An admitted request
  // must call Done() when it has been answered. Errors: reading the line (the database's); nobody
  // is admitted on an error.
  Result<Decision> Check(int64_t number);
  void Done();

 private:
  // Under mu_: admits if `number` may come in now.
  std::optional<Decision> AdmitIfServed(int64_t number);
  void SampleRate(int64_t now);

  const int max_in_flight_;
  std::function<int64_t()> committed_;
  const Clock& clock_;
  WaitingLine& line_;
  std::mutex mu_;
  int in_flight_ = 0;
  store::LineCounts seen_;              // the line as last read or written
  int64_t seen_at_ms_ = INT64_MIN / 4;  // when (long ago, at first; /4: no overflow in now - seen_at_ms_)
  double rate_ = 1000;                  // commits per second, smoothed
  int64_t last_sample_ms_ = 0, last_committed_ = 0;
};

// Leaves the gate when destroyed: held by an admitted request until it has been answered
// (nullptr holds nothing).
class LeaveWhenAnswered {
 public:
  explicit LeaveWhenAnswered(AdmissionGate* gate) : gate_(gate) {}
  ~LeaveWhenAnswered() {
    if (gate_ != nullptr) gate_->Done();
  }
  LeaveWhenAnswered(const LeaveWhenAnswered&) = delete;
  LeaveWhenAnswered& operator=(const LeaveWhenAnswered&) = delete;

 private:
  AdmissionGate* gate_;
};

// A waiting-room number as a signed token (crypto::SignToken, good for an hour) and back (nullopt
// when the signature or the age is wrong).
std::string SignNumber(const std::string& secret, int64_t number, int64_t now_ms);
std::optional<int64_t> VerifyNumber(const std::string& secret, const std::string& token, int64_t now_ms);

}  // namespace madoguchi::web
