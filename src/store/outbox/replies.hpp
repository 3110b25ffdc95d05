// src/store/outbox/replies.hpp — replies from residents, matched to the message they answer (the
// last one sent to that number), for the operator inbox.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/database.hpp"

namespace madoguchi::store {

// The last message sent to `address` (an E.164 number, a LINE user id), whichever tenant sent it.
struct SentTo {
  std::string tenant;
  int64_t message_id = 0;
};
// Errors: the database's.
Result<std::optional<SentTo>> LastSentTo(Connection& conn, const std::string& address);

struct Reply {
  std::string tenant;
  std::optional<int64_t> message_id;
  std::string channel = "sms";
  std::string from_address;
  std::string body;
  int64_t received_at_ms = 0;
  std::string dedupe_key;  // the gateway's id for it: a redelivered reply is the same reply
  bool stop_request = false;
  std::string state = "unread";
  int64_t id = 0;
};
// Stores the reply once per dedupe key; false when it was already stored. Errors: the database's.
Result<bool> RecordReply(Connection& conn, const Reply& r);

// The tenant's replies, unread first, newest first within each state. Errors: the database's.
Result<std::vector<Reply>> ListReplies(Connection& conn, const std::string& tenant, int limit);

}  // namespace madoguchi::store
