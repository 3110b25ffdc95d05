// src/store/outbox/replies.hpp — replies from residents, matched to the message they answer (the
// last one sent to that number), for the operator inbox.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/database.hpp"

namespace madoguchi::store {

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
// Stores the reply once per dedupe key and fills in r.id; false when it was already stored.
// Errors: the database's.
Result<bool> RecordReply(Connection& conn, Reply& r);

// What taking a reply did.
enum class ReplyTaken {
  kNoConversation,  // nothing was sent to that address: not kept
  kFlooded,         // past messaging::kMaxRepliesPerHour from that address: not kept
  kRepeated,        // the same reply again (its dedupe key): kept once already
  kStored,
};
// A reply from `r.from_address` matched to the last message sent there — by `r.tenant` when it
// is given (a LINE user id is the tenant's own), else by whichever tenant sent it (a number) —
// and stored unless the sender floods (messaging::ReplyFloods over the last
// messaging::kReplyFloodWindowMs). A stop request stored puts the address on the tenant's
// suppression list. Fills in r.tenant, r.message_id and (stored) r.id. Errors: the database's.
Result<ReplyTaken> TakeReply(Connection& conn, Reply& r);

// The tenant's replies, unread first, newest first within each state. Errors: the database's.
Result<std::vector<Reply>> ListReplies(Connection& conn, const std::string& tenant, int limit);

// A reply as the inbox shows it: with the message it answers and whom that was to.
struct InboxItem {
  Reply reply;
  std::string answered_template;  // the template of the message it answers ("campaign_text", "reminder", …)
  std::string answered_text;      // a campaign's or an answer's own text; empty for a booking notice
  std::string resident_name;      // when the message went to a resident on the list
  int64_t resident_id = 0;        // that resident; 0: none
};
// The tenant's replies for the inbox: unread first, then read, then done; newest first within
// each. Errors: the database's.
Result<std::vector<InboxItem>> ListInbox(Connection& conn, const std::string& tenant, int limit);

// One message to a resident, or one reply from them, in their thread.
struct ThreadEntry {
  int64_t at_ms = 0;         // sent (or written, not yet sent); received
  bool incoming = false;     // a reply from the resident
  int64_t id = 0;            // the message's or the reply's
  std::string channel;       // sms, email, line (a message not yet sent: its preference, "sms,email")
  std::string template_key;  // a message's ("reminder", "campaign_text", …)
  std::string text;          // a reply's body; a campaign's or an answer's own text
  std::string state;         // a message's (queued, sent, delivered, …) or a reply's (unread, read, done)
};
// The resident's thread, newest first, up to `limit`: the tenant's messages to the resident (by
// their record, or to one of `addresses`: their number as E.164, their email — a campaign's list
// names no record) and the replies from those addresses or answering those messages. Errors: the
// database's.
Result<std::vector<ThreadEntry>> ResidentThread(Connection& conn, const std::string& tenant, int64_t resident_id,
                                                const std::vector<std::string>& addresses, int limit);

// One reply of the tenant. Errors: kNotFound "unknown_reply" (also another tenant's); the database's.
Result<Reply> GetReply(Connection& conn, const std::string& tenant, int64_t id);
// unread → read → done. Errors: kNotFound "unknown_reply"; kInvalidArgument for another state.
Status SetReplyState(Connection& conn, const std::string& tenant, int64_t id, const std::string& state);

}  // namespace madoguchi::store
