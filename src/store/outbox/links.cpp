// src/store/outbox/links.cpp — see links.hpp.
#include "store/outbox/links.hpp"

#include "store/internal/sql_list.hpp"

namespace madoguchi::store {
namespace {

Result<std::map<int64_t, std::string>> CodesOf(Connection& conn, const std::vector<Value>& ids) {
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows rows, conn.Query("SELECT message_id, code FROM short_links WHERE message_id IN (" + internal::SqlList(ids.size()) + ")", ids));
  std::map<int64_t, std::string> out;
  for (const Row& r : rows) out[r.Int(0)] = r.Text(1);
  return out;
}

}  // namespace

Result<std::map<int64_t, std::string>> LinksForMessages(Connection& conn, const std::vector<NewShortLink>& links, int64_t now_ms) {
  if (links.empty()) return std::map<int64_t, std::string>{};
  std::vector<Value> params, ids;
  for (const NewShortLink& l : links) {
    for (Value v :
         {Value(l.code), Value(l.tenant), Value(l.message_id), Value(l.target.path), Value(now_ms), Value(l.target.expires_at_ms)}) {
      params.push_back(std::move(v));
    }
    ids.emplace_back(l.message_id);
  }
  // A message that has its link already, or a code another message has, is passed over.
  MADOGUCHI_RETURN_IF_ERROR(conn.Query("INSERT INTO short_links (code, tenant_code, message_id, target, created_at, expires_at) VALUES " +
                                           internal::SqlList(links.size(), "(?, ?, ?, ?, ?, ?)") + " ON CONFLICT DO NOTHING",
                                       params)
                                .status());
  return CodesOf(conn, ids);
}

Result<std::optional<ShortLink>> FindShortLink(Connection& conn, const std::string& code) {
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows rows,
      conn.Query("SELECT code, tenant_code, target, message_id, expires_at, opens, first_opened_at FROM short_links WHERE code = ?",
                 {code}));
  if (rows.empty()) return std::optional<ShortLink>{};
  const Row& r = rows[0];
  ShortLink l{r.Text(0), r.Text(1), r.Text(2), r.Int(3), r.Int(4), r.Int(5), std::nullopt};
  if (!r.IsNull(6)) l.first_opened_at_ms = r.Int(6);
  return std::optional<ShortLink>(std::move(l));
}

Status CountLinkOpen(Connection& conn, const std::string& code, int64_t now_ms) {
  return conn
      .Query("UPDATE short_links SET opens = opens + 1, first_opened_at = COALESCE(first_opened_at, ?), last_opened_at = ? WHERE code = ?",
             {now_ms, now_ms, code})
      .status();
}

}  // namespace madoguchi::store
