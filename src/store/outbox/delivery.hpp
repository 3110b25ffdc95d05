// src/store/outbox/delivery.hpp — what a worker does to the outbox: claim due messages under a
// lease (several workers on one PostgreSQL never claim the same row: FOR UPDATE SKIP LOCKED; a
// killed worker's claims come back when the lease runs out), look up how each recipient can be
// reached, record each attempt's outcome, and apply the gateway's delivery reports.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "messaging/bounce.hpp"
#include "messaging/delivery.hpp"
#include "messaging/templates.hpp"
#include "store/database.hpp"
#include "store/outbox/messages.hpp"

namespace madoguchi::store {

// A message a worker holds, with what sending it needs.
struct ClaimedMessage {
  StoredMessage stored;
  messaging::Reach reach;
  messaging::TemplateContext context;  // code_spoken and link are the sender's to fill
};

// Moves up to `limit` queued messages due by `now_ms` (urgent first, then transactional, then
// campaign traffic; the oldest due first) to `sending`, held by `worker` until now + lease_ms,
// and returns them. Errors: ListMessages' (a stored value this build cannot read); the
// database's.
Result<std::vector<ClaimedMessage>> ClaimMessages(Connection& conn, const std::string& worker, int64_t now_ms, int64_t lease_ms, int limit);

// Puts messages whose lease ran out (their worker died or hung) back in the queue, due now;
// returns how many. Those the gateway had already taken may be sent twice (counted here).
Result<int64_t> ReclaimExpiredLeases(Connection& conn, int64_t now_ms);

// What one attempt came to.
struct AttemptOutcome {
  enum class Kind {
    kSent,        // the gateway took it
    kRetry,       // a failure that may pass: queued again at next_attempt_at
    kDeferred,    // quiet hours: queued again at next_attempt_at, the attempt not counted
    kFailed,      // for good: error says why
    kExpired,     // its expiry passed before it could be sent
    kSuppressed,  // the address is on the suppression list
  };
  int64_t id = 0;
  Kind kind = Kind::kSent;
  std::string error;  // kRetry, kFailed: the reason (a code, no personal data)
  int64_t next_attempt_at_ms = 0;
  std::optional<messaging::Delivery> channel;  // kSent
  std::string address_used;                    // kSent: the E.164 number, LINE user id or email address
  std::string provider_id;                     // kSent: the gateway's id, when it gives one
  int parts = 0;                               // kSent
  int64_t cost_sen = 0;                        // kSent
};

// Records the outcomes of messages `worker` holds; an outcome for a message it no longer holds
// (its lease ran out and another worker took it) changes nothing and is counted in the result.
// A report that came before the outcome (delivered, failed) is kept. Errors: the database's.
Result<int64_t> RecordOutcomes(Connection& conn, const std::string& worker, const std::vector<AttemptOutcome>& outcomes, int64_t now_ms);

// Applies a delivery report on part `part` of `parts` of message `id` (messaging::StateAfterReport).
// Returns whether it changed anything (a repeated report does not). Errors: kNotFound "unknown_message"
// for an id that is not in the outbox (nothing changes); the database's.
Result<bool> RecordPartReport(Connection& conn, int64_t id, int part, int parts, messaging::PartReport report, int64_t now_ms);

// What a delivery status notification for email `id` did (messaging::StateAfterBounce).
struct BounceRecorded {
  bool changed = false;     // false: a repeat, or a message already settled
  bool suppressed = false;  // the address went on the tenant's suppression list
};
// Applies `effect` to message `id`, and on a failure that says the address does not exist puts
// the address the email went to on the tenant's suppression list (reason "invalid": it does not exist).
// Errors: kNotFound "unknown_message" for an id that is not in the outbox, or a message that did
// not go out by email (nothing changes); the database's.
Result<BounceRecorded> RecordEmailBounce(Connection& conn, int64_t id, const messaging::BounceEffect& effect, int64_t now_ms);

// The addresses of `addresses` on the tenant's suppression list. Errors: the database's.
Result<std::set<std::string>> SuppressedAmong(Connection& conn, const std::string& tenant, const std::vector<std::string>& addresses);

// Puts `address` on the tenant's suppression list (again: no change). Errors: the database's.
Status Suppress(Connection& conn, const std::string& tenant, const std::string& address, const std::string& reason,
                std::optional<int64_t> by_user, int64_t now_ms);

// The tenant's sending settings: the stored ones, or the defaults. Errors: the database's.
Result<messaging::SendingSettings> GetSendingSettings(Connection& conn, const std::string& tenant);
// Errors: ValidateSendingSettings' (nothing stored); the database's.
Status SaveSendingSettings(Connection& conn, const std::string& tenant, const messaging::SendingSettings& s, int64_t now_ms);

// A message's delivery, as staff and tests see it.
struct DeliveryRecord {
  int64_t id = 0;
  messaging::MessageState state = messaging::MessageState::kQueued;
  int attempts = 0;
  std::string last_error, channel_used, address_used;
  int parts = 0;
  int64_t parts_delivered = 0, cost_sen = 0, next_attempt_at_ms = 0;
  std::optional<int64_t> sent_at_ms, delivered_at_ms;
};
// Errors: kNotFound "unknown_message"; the database's.
Result<DeliveryRecord> GetDelivery(Connection& conn, int64_t id);

// How the tenant's sending is going, for the status page.
struct OutboxHealth {
  std::vector<std::pair<std::string, int64_t>> by_state;
  int64_t overdue = 0;           // queued and due more than a minute ago (the workers are behind, or none runs)
  int64_t gateway_failures = 0;  // queued again after the SMS gateway did not answer or refused the credentials
  int64_t sent_last_5min = 0;
  int64_t delivered_last_5min = 0;
  std::optional<int64_t> report_latency_ms;  // mean time from sent to delivered, last 200 delivered
};
// Errors: the database's.
Result<OutboxHealth> GetOutboxHealth(Connection& conn, const std::string& tenant, int64_t now_ms);

// Counts of the outbox by state, for the status page and tests.
Result<std::vector<std::pair<std::string, int64_t>>> CountByState(Connection& conn);

}  // namespace madoguchi::store
