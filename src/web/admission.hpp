// src/web/admission.hpp — the waiting room in front of booking, and the throttle on failed
// ticket checks.
//
// AdmissionGate admits a booking request while fewer than `max_in_flight` are being served at once
// (admitted and not yet answered): throughput is what the database commits, so more concurrency
// would only add waiting inside the server. Past that, visitors take a number, in order;
// whenever the backlog drains, numbers are served (as many as there is room for) and a waiting
// visitor is admitted at their next visit. Their place and an estimate (from the recent commit
// rate) are shown meanwhile. Numbers are signed, so nobody jumps the queue by editing one.
// State is per process: behind several processes, each keeps its own line.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "common/clock.hpp"

namespace madoguchi::web {

class AdmissionGate {
 public:
  struct Decision {
    bool admitted = false;
    int64_t number = 0;     // the visitor's place number when waiting
    int64_t position = 0;   // how many are ahead, including them
    int eta_sec = 0;
  };

  // `committed`: writes committed so far (for the rate in the estimate).
  AdmissionGate(int max_in_flight, std::function<int64_t()> committed, Clock& clock);

  // `number`: the place number from an earlier visit, 0 for a new visitor. An admitted request
  // must call Done() when it has been answered.
  Decision Check(int64_t number);
  void Done();

 private:
  const int max_in_flight_;
  int in_flight_ = 0;
  std::function<int64_t()> committed_;
  Clock& clock_;
  std::mutex mu_;
  int64_t issued_ = 0, served_ = 0;
  double rate_ = 1000;  // commits per second, smoothed
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
