// src/store/outbox/messages.hpp — the outbox table (`messages`): the one place a message to a
// resident is written, whatever module sends it, in the caller's transaction.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "messaging/message.hpp"
#include "store/database.hpp"

namespace madoguchi::store {

// Writes each message once: a message whose (tenant, dedupe key) is already in the outbox is the
// same message and is skipped, whatever its state. One statement for all of them.
// Errors: ValidateMessage's (kInvalidArgument, nothing written); the database's.
Status EnqueueMessages(Connection& conn, const std::vector<messaging::Message>& messages, int64_t now_ms);

// Withdraws the messages not yet sent (state queued → cancelled) whose dedupe key starts with
// `key_prefix` (non-empty): a range of the unique index, so the outbox needs no other index to
// find a booking's reminders. Errors: the database's.
Status CancelPendingByKeyPrefix(Connection& conn, const std::string& tenant, const std::string& key_prefix);

// A message as stored, with where it is in its life.
struct StoredMessage {
  int64_t id = 0;
  messaging::Message message;
  messaging::MessageState state = messaging::MessageState::kQueued;
  int attempts = 0;
  int64_t created_at_ms = 0;
};

// The columns ReadStoredMessage reads, in order, for a SELECT from messages.
extern const char kStoredMessageColumns[];
// A row of those columns. Errors: as ListMessages'.
Result<StoredMessage> ReadStoredMessage(const Row& r);

// The tenant's messages, oldest first. Errors: kInternal for a stored channel, purpose, urgency,
// state or variables this build cannot read (never guessed); the database's.
Result<std::vector<StoredMessage>> ListMessages(Connection& conn, const std::string& tenant, int limit);

}  // namespace madoguchi::store
