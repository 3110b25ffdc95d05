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

// A reply as the inbox shows it: with the message it answers and whom that was to.
struct InboxItem {
  Reply reply;
  std::string answered_template;  // the template of the message it answers ("campaign_text", "reminder", …)
  std::string answered_text;      // a campaign's or an answer's own text; empty for a booking notice
  std::string resident_name;      // when the message went to a resident on the list
};
// The tenant's replies for the inbox: unread first, then read, then done; newest first within
// each. Errors: the database's.
Result<std::vector<InboxItem>> ListInbox(Connection& conn, const std::string& tenant, int limit);

// One reply of the tenant. Errors: kNotFound "unknown_reply" (also another tenant's); the database's.
Result<Reply> GetReply(Connection& conn, const std::string& tenant, int64_t id);
// unread → read → done. Errors: kNotFound "unknown_reply"; kInvalidArgument for another state.
Status SetReplyState(Connection& conn, const std::string& tenant, int64_t id, const std::string& state);

}  // namespace madoguchi::store
