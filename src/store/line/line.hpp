// src/store/line/line.hpp — LINE channels, delivered webhook events (for de-duplication) and
// each LINE user's place in the booking conversation.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/database.hpp"

namespace madoguchi::store {

struct LineChannel {
  std::string channel_secret;
  std::string access_token;
  std::string basic_id;  // the account's ID ("@123abcde"); empty: not known
};
// The secret and token; the account's ID is kept while the token stays the same (a new token
// may be another account's: its ID is then `c.basic_id`, usually empty until checked). Errors:
// the database's.
Status SaveLineChannel(Connection& conn, const std::string& tenant, const LineChannel& c, int64_t now_ms);
// Remembers the account's ID, when `access_token` is still the stored one (LINE said whose it
// is). Errors: the database's.
Status SaveLineBasicId(Connection& conn, const std::string& tenant, const std::string& access_token, const std::string& basic_id);
// Errors: the database's.
Result<std::optional<LineChannel>> FindLineChannel(Connection& conn, const std::string& tenant);

// True the first time `webhook_event_id` is seen for the tenant; false for a redelivery.
// Errors: the database's.
Result<bool> RecordLineEvent(Connection& conn, const std::string& tenant, const std::string& webhook_event_id, int64_t now_ms);

struct LineUser {
  std::string state = "idle";
  std::string ticket;
  std::optional<int64_t> resident_id;
};
// Errors: the database's.
Result<LineUser> GetLineUser(Connection& conn, const std::string& tenant, const std::string& user_id);
// The LINE users linked to the resident (their thread includes what was said there). Errors: the database's.
Result<std::vector<std::string>> LineUsersOfResident(Connection& conn, const std::string& tenant, int64_t resident_id);
// Errors: the database's.
Status SaveLineUser(Connection& conn, const std::string& tenant, const std::string& user_id, const LineUser& u, int64_t now_ms);

}  // namespace madoguchi::store
