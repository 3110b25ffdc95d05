// src/store/outbox/links.hpp — the short links messages carry (messaging/links.hpp): one per
// message, written when the message is first sent, counted each time a resident opens it.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "messaging/links.hpp"
#include "store/database.hpp"

namespace madoguchi::store {

struct NewShortLink {
  int64_t message_id = 0;
  std::string tenant;
  messaging::LinkTarget target;
  std::string code;  // drawn by the caller (messaging::ShortCode)
};
// The code of each message's link: the one it already has (a retried message keeps its link), or
// the new one, written now. A message whose new code is another's (a clash of random draws) is
// left out of the answer: the caller draws again. One statement each way. Errors: the database's.
Result<std::map<int64_t, std::string>> LinksForMessages(Connection& conn, const std::vector<NewShortLink>& links, int64_t now_ms);

struct ShortLink {
  std::string code, tenant, target;
  int64_t message_id = 0;
  int64_t expires_at_ms = 0;
  int64_t opens = 0;
  std::optional<int64_t> first_opened_at_ms;
};
// Errors: the database's.
Result<std::optional<ShortLink>> FindShortLink(Connection& conn, const std::string& code);
// One more open of the link. Errors: the database's.
Status CountLinkOpen(Connection& conn, const std::string& code, int64_t now_ms);

}  // namespace madoguchi::store
