// src/messaging/pacing.hpp — how fast the workers send: at most so many messages a second on each
// channel (an aggregator's account is limited, and refuses or drops what goes over), and at most
// so many campaign messages a second for each tenant (one city's campaign must not take every
// slot while another's waits). Booking notices, replies and care messages are claimed ahead of
// campaign traffic (SendPriority) and count against the channel's rate only, never a tenant's.
//
// Each rate is one token bucket for every worker on the database, however many there are: a
// worker draws a few tokens at a time (a twentieth of a second's worth, waiting until the shared
// bucket has them) through a BucketPort, so the database sees about twenty draws a second per
// rate however many workers there are, and spends them within a quarter of a second or lets
// them go. So in any
// window of T seconds at most burst + rate × (T + 0.25) messages go, whichever workers send them.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <utility>

#include "common/status.hpp"
#include "messaging/message.hpp"

namespace madoguchi::messaging {

// A bucket as every worker sees it: thousandths of a token, and when it was last filled. A bucket
// nobody has drawn from yet (`exists` false) starts full.
struct BucketState {
  int64_t milli_tokens = 0;
  int64_t at_ms = 0;
  bool exists = false;
};

// Fills `s` at `per_second` up to `burst` tokens by `now_ms`, then takes `want` whole tokens from
// it when it holds that many (true), else none (false). REQUIRES: 1 <= want <= burst.
bool TakeTokens(BucketState& s, double per_second, double burst, int want, int64_t now_ms);
// When `s` will hold `want` whole tokens (now_ms when it does already).
int64_t TokensAt(const BucketState& s, double per_second, double burst, int want, int64_t now_ms);

// Where the shared buckets are kept (store/outbox/send_buckets.hpp: a row each).
class BucketPort {
 public:
  virtual ~BucketPort() = default;
  // Runs `draw` on the named bucket, locked against every other worker until what it leaves is
  // kept. Errors: the store's (nothing is taken).
  virtual Status Draw(const std::string& name, const std::function<void(BucketState&)>& draw) = 0;
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

// One worker's side of the shared buckets: the tokens it has drawn and not spent yet. Every worker
// on one database must be given the same limits (they are the account's, not the worker's).
// Not thread-safe: the worker holds a lock around Admit.
class Pacer {
 public:
  Pacer(PacingLimits limits, BucketPort& shared) : limits_(limits), shared_(shared) {}
  // 0: send it now (its tokens are taken); otherwise the time to try again (nothing taken),
  // spread at the rate of the bucket that held it back. Errors: the port's (send nothing).
  Result<int64_t> Admit(Delivery channel, const std::string& tenant, Purpose purpose, int64_t now_ms);

  // Tokens drawn at once, and how long a drawn token may wait to be spent.
  static int DrawSize(double per_second);
  static constexpr int64_t kStockLifeMs = 250;

 private:
  struct Stock {
    int tokens = 0;
    int64_t expires_ms = 0;
    int64_t empty_until_ms = 0;  // the shared bucket had nothing to give until then
    int64_t last_slot_ms = 0;    // the last wait slot handed out
  };
  // The time `stock` (of the bucket `name`, at `per_second`) can give a token: now_ms when it has
  // one (drawing from the shared bucket when it has to), later when the shared bucket is empty.
  Result<int64_t> Ready(Stock& stock, const std::string& name, double per_second, int64_t now_ms);
  // A slot for one more message held back by `stock`: its next token's time, or one token's time
  // after the last slot, so that those waiting come back one by one instead of all at once.
  static int64_t WaitSlot(Stock& stock, double per_second, int64_t ready_at_ms);

  PacingLimits limits_;
  BucketPort& shared_;
  std::map<std::string, Stock> stocks_;
};

}  // namespace madoguchi::messaging
