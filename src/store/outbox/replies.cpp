// src/store/outbox/replies.cpp — see replies.hpp.
#include "store/outbox/replies.hpp"

#include "messaging/delivery.hpp"
#include "store/outbox/delivery.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "store/internal/sql_list.hpp"

namespace madoguchi::store {
namespace {
Reply ReadReply(const Row& row, const std::string& tenant);
}  // namespace

namespace {

// The last message sent to `address`, by `tenant` when it is not empty.
struct SentTo {
  std::string tenant;
  int64_t message_id = 0;
};
Result<std::optional<SentTo>> LastSent(Connection& conn, const std::string& tenant, const std::string& address) {
  std::vector<Value> args = {address};
  if (!tenant.empty()) args.push_back(tenant);
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query(std::string("SELECT tenant_code, id FROM messages WHERE address_used = ? ") +
                                                       (tenant.empty() ? "" : "AND tenant_code = ? ") +
                                                       "AND sent_at IS NOT NULL ORDER BY sent_at DESC, id DESC LIMIT 1",
                                                   args));
  if (rows.empty()) return std::optional<SentTo>();
  return std::optional<SentTo>(SentTo{rows[0].Text(0), rows[0].Int(1)});
}

}  // namespace

Result<ReplyTaken> TakeReply(Connection& conn, Reply& r) {
  MADOGUCHI_ASSIGN_OR_RETURN(std::optional<SentTo> to, LastSent(conn, r.tenant, r.from_address));
  if (!to) return ReplyTaken::kNoConversation;
  r.tenant = to->tenant;
  r.message_id = to->message_id;
  MADOGUCHI_ASSIGN_OR_RETURN(Rows recent,
                             conn.Query("SELECT COUNT(*) FROM replies WHERE tenant_code = ? AND from_address = ? AND received_at >= ?",
                                        {r.tenant, r.from_address, r.received_at_ms - messaging::kReplyFloodWindowMs}));
  if (messaging::ReplyFloods(recent.at(0).Int(0), r.stop_request)) return ReplyTaken::kFlooded;
  MADOGUCHI_ASSIGN_OR_RETURN(bool stored, RecordReply(conn, r));
  if (!stored) return ReplyTaken::kRepeated;
  if (r.stop_request) MADOGUCHI_RETURN_IF_ERROR(Suppress(conn, r.tenant, r.from_address, "reply_stop", std::nullopt, r.received_at_ms));
  return ReplyTaken::kStored;
}

Result<bool> RecordReply(Connection& conn, Reply& r) {
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows rows,
      conn.Query("INSERT INTO replies (tenant_code, message_id, channel, from_address, body, received_at, dedupe_key, stop_request) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id",
                 {r.tenant, r.message_id ? Value(*r.message_id) : Value(nullptr), r.channel, r.from_address, r.body, r.received_at_ms,
                  r.dedupe_key, int64_t{r.stop_request ? 1 : 0}}));
  if (rows.empty()) return false;
  r.id = rows[0].Int(0);
  return true;
}

Result<std::vector<Reply>> ListReplies(Connection& conn, const std::string& tenant, int limit) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows,
                             conn.Query("SELECT id, message_id, channel, from_address, body, received_at, dedupe_key, stop_request, state "
                                        "FROM replies WHERE tenant_code = ? ORDER BY CASE state WHEN 'unread' THEN 0 ELSE 1 END, "
                                        "received_at DESC, id DESC LIMIT ?",
                                        {tenant, int64_t{limit}}));
  std::vector<Reply> out;
  for (const Row& row : rows) out.push_back(ReadReply(row, tenant));
  return out;
}

namespace {

Reply ReadReply(const Row& row, const std::string& tenant) {
  Reply r;
  r.id = row.Int(0);
  r.tenant = tenant;
  if (!row.IsNull(1)) r.message_id = row.Int(1);
  r.channel = row.Text(2);
  r.from_address = row.Text(3);
  r.body = row.Text(4);
  r.received_at_ms = row.Int(5);
  r.dedupe_key = row.Text(6);
  r.stop_request = row.Int(7) != 0;
  r.state = row.Text(8);
  return r;
}

}  // namespace

Result<std::vector<InboxItem>> ListInbox(Connection& conn, const std::string& tenant, int limit) {
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows rows, conn.Query("SELECT r.id, r.message_id, r.channel, r.from_address, r.body, r.received_at, r.dedupe_key, r.stop_request, "
                            "r.state, COALESCE(m.template_key, ''), COALESCE(CAST(m.variables AS TEXT), '{}'), COALESCE(p.name, ''), "
                            "COALESCE(p.id, 0) "
                            "FROM replies r LEFT JOIN messages m ON m.id = r.message_id LEFT JOIN residents p ON p.id = m.resident_id "
                            "WHERE r.tenant_code = ? ORDER BY CASE r.state WHEN 'unread' THEN 0 WHEN 'read' THEN 1 ELSE 2 END, "
                            "r.received_at DESC, r.id DESC LIMIT ?",
                            {tenant, int64_t{limit}}));
  std::vector<InboxItem> out;
  for (const Row& row : rows) {
    InboxItem item;
    item.reply = ReadReply(row, tenant);
    item.answered_template = row.Text(9);
    const nlohmann::json vars = nlohmann::json::parse(row.Text(10), nullptr, /*allow_exceptions=*/false);
    if (vars.is_object() && vars.contains("text") && vars["text"].is_string()) item.answered_text = vars["text"].get<std::string>();
    item.resident_name = row.Text(11);
    item.resident_id = row.Int(12);
    out.push_back(std::move(item));
  }
  return out;
}

Result<std::vector<ThreadEntry>> ResidentThread(Connection& conn, const std::string& tenant, int64_t resident_id,
                                                const std::vector<std::string>& addresses, int limit) {
  // '' first: with no address the list matches nothing.
  const std::string in = "''" + std::string(addresses.empty() ? "" : ", ") + internal::SqlList(addresses.size());
  const std::vector<Value> addr(addresses.begin(), addresses.end());
  std::vector<Value> mp{tenant, resident_id};
  mp.insert(mp.end(), addr.begin(), addr.end());
  mp.insert(mp.end(), addr.begin(), addr.end());
  mp.emplace_back(int64_t{limit});
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows messages,
      conn.Query("SELECT id, COALESCE(sent_at, created_at), COALESCE(channel_used, channels), template_key, CAST(variables AS TEXT), "
                 "state FROM messages WHERE tenant_code = ? AND (resident_id = ? OR address IN (" +
                     in + ") OR address_used IN (" + in + ")) ORDER BY id DESC LIMIT ?",
                 mp));
  std::vector<Value> rp{tenant};
  rp.insert(rp.end(), addr.begin(), addr.end());
  rp.push_back(tenant);
  rp.push_back(resident_id);
  rp.emplace_back(int64_t{limit});
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows replies,
      conn.Query("SELECT id, received_at, channel, body, state FROM replies WHERE tenant_code = ? AND (from_address IN (" + in +
                     ") OR message_id IN (SELECT id FROM messages WHERE tenant_code = ? AND resident_id = ?)) ORDER BY "
                     "received_at DESC, id DESC LIMIT ?",
                 rp));
  std::vector<ThreadEntry> out;
  for (const Row& r : messages) {
    ThreadEntry e;
    e.id = r.Int(0);
    e.at_ms = r.Int(1);
    e.channel = r.Text(2);
    e.template_key = r.Text(3);
    const nlohmann::json vars = nlohmann::json::parse(r.Text(4), nullptr, /*allow_exceptions=*/false);
    if (vars.is_object() && vars.contains("text") && vars["text"].is_string()) e.text = vars["text"].get<std::string>();
    e.state = r.Text(5);
    out.push_back(std::move(e));
  }
  for (const Row& r : replies) {
    ThreadEntry e;
    e.incoming = true;
    e.id = r.Int(0);
    e.at_ms = r.Int(1);
    e.channel = r.Text(2);
    e.text = r.Text(3);
    e.state = r.Text(4);
    out.push_back(std::move(e));
  }
  std::stable_sort(out.begin(), out.end(), [](const ThreadEntry& a, const ThreadEntry& b) { return a.at_ms > b.at_ms; });
  if (out.size() > static_cast<size_t>(limit)) out.resize(limit);
  return out;
}

Result<Reply> GetReply(Connection& conn, const std::string& tenant, int64_t id) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows,
                             conn.Query("SELECT id, message_id, channel, from_address, body, received_at, dedupe_key, stop_request, "
                                        "state FROM replies WHERE tenant_code = ? AND id = ?",
                                        {tenant, id}));
  if (rows.empty()) return NotFoundError("no such reply", "unknown_reply");
  return ReadReply(rows[0], tenant);
}

Status SetReplyState(Connection& conn, const std::string& tenant, int64_t id, const std::string& state) {
  if (state != "unread" && state != "read" && state != "done") return InvalidArgumentError("state", "must be unread, read or done");
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows,
                             conn.Query("UPDATE replies SET state = ? WHERE tenant_code = ? AND id = ? RETURNING id", {state, tenant, id}));
  if (rows.empty()) return NotFoundError("no such reply", "unknown_reply");
  return Status::Ok();
}

}  // namespace madoguchi::store
