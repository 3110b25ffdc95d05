// src/messaging/pacing.hpp — how fast a worker sends: at most so many messages a second on each
// channel (an aggregator's account is limited, and refuses or drops what goes over), and at most
// so many campaign messages a second for each tenant (one city's campaign must not take every
// slot while another's waits). Booking notices, replies and care messages are claimed ahead of
// campaign traffic (SendPriority) and count against the channel's rate only, never a tenant's.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>

#include "messaging/message.hpp"

namespace madoguchi::messaging {

// A token bucket: `per_second` tokens a second, holding at most `burst`. Not thread-safe.
class TokenBucket {
 public:
  TokenBucket(double per_second, double burst) : rate_(per_second), burst_(burst), tokens_(burst) {}
  // Takes a token at `now_ms` when there is one (true); false when there is none yet.
  bool TryTake(int64_t now_ms);
  // When the next token will be there (now_ms when there is one already).
  int64_t NextAt(int64_t now_ms);
  // A time for one more message that has to wait: the next token's, or one token's time after
  // the last one handed out this way, so that those waiting come back one by one at the rate
  // instead of all at once.
  int64_t WaitSlot(int64_t now_ms);

 private:
  void Refill(int64_t now_ms);
  double rate_, burst_, tokens_;
  int64_t last_ms_ = 0;
  int64_t last_slot_ms_ = 0;
};

// Messages a second, 0 for no limit. Errors: kInvalidArgument on the field for a negative rate or
// one over 100,000.
struct PacingLimits {
  double sms_per_second = 0;
  double email_per_second = 0;
  double line_per_second = 0;
  double tenant_campaign_per_second = 0;  // a tenant's campaign messages, every channel together
};
Status ValidatePacingLimits(const PacingLimits& l);

// The buckets of one worker process (several workers share an account: give each its share).
// Not thread-safe: the worker holds a lock around Admit.
class Pacer {
 public:
  explicit Pacer(PacingLimits limits) : limits_(limits) {}
  // 0: send it now (its tokens are taken); otherwise the time to try again (nothing taken),
  // spread at the rate of the bucket that held it back.
  int64_t Admit(Delivery channel, const std::string& tenant, Purpose purpose, int64_t now_ms);

 private:
  TokenBucket* Bucket(std::map<std::string, TokenBucket>& in, const std::string& key, double per_second);
  PacingLimits limits_;
  std::map<std::string, TokenBucket> channels_, tenants_;
};

}  // namespace madoguchi::messaging
