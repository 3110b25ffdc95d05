// src/store/outbox/delivery.cpp — see delivery.hpp.
#include "store/outbox/delivery.hpp"

#include <algorithm>
#include <map>

#include "store/internal/sql_list.hpp"

namespace madoguchi::store {
namespace {

using Kind = AttemptOutcome::Kind;

int64_t VariableInt(const messaging::Variables& vars, const std::string& name) {
  auto it = vars.find(name);
  if (it == vars.end()) return 0;
  const auto* v = std::get_if<int64_t>(&it->second);
  return v ? *v : 0;
}

// Looks up how each claimed message's recipient is reached and what its template names.
Status FillReachAndContext(Connection& conn, std::vector<ClaimedMessage>& claimed) {
  if (claimed.empty()) return Status::Ok();
  std::vector<Value> ids;
  std::set<int64_t> venue_ids;
  for (const ClaimedMessage& c : claimed) {
    ids.emplace_back(c.stored.id);
    if (int64_t v = VariableInt(c.stored.message.variables, "venue_id"); v > 0) venue_ids.insert(v);
  }
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows rows,
      conn.Query(
          "SELECT m.id, t.name, COALESCE(r.phone, ''), COALESCE(g.phone, ''), "
          "COALESCE((SELECT lu.line_user_id FROM line_users lu WHERE lu.tenant_code = m.tenant_code AND lu.resident_id = m.resident_id "
          "ORDER BY lu.updated_at DESC LIMIT 1), ''), COALESCE(r.email, '') "
          "FROM messages m JOIN tenants t ON t.code = m.tenant_code LEFT JOIN residents r ON r.id = m.resident_id "
          "LEFT JOIN tenant_guidance g ON g.tenant_code = m.tenant_code WHERE m.id IN (" +
              internal::SqlList(ids.size()) + ")",
          ids));
  std::map<int64_t, const Row*> by_id;
  for (const Row& r : rows) by_id[r.Int(0)] = &r;
  std::map<int64_t, std::pair<std::string, std::string>> venues;
  if (!venue_ids.empty()) {
    std::vector<Value> vids(venue_ids.begin(), venue_ids.end());
    MADOGUCHI_ASSIGN_OR_RETURN(
        Rows vrows, conn.Query("SELECT id, name, address FROM venues WHERE id IN (" + internal::SqlList(vids.size()) + ")", vids));
    for (const Row& r : vrows) venues[r.Int(0)] = {r.Text(1), r.Text(2)};
  }
  for (ClaimedMessage& c : claimed) {
    const messaging::Message& m = c.stored.message;
    auto it = by_id.find(c.stored.id);
    if (it == by_id.end()) return InternalError("a claimed message vanished", "claim_lost");
    const Row& r = *it->second;
    c.context.tenant_name = r.Text(1);
    c.context.window_phone = r.Text(3);
    if (m.resident_id) {
      c.reach.phone = r.Text(2);
      c.reach.line_user_id = r.Text(4);
      c.reach.email = r.Text(5);
    } else if (messaging::IsLineUserId(m.address)) {
      c.reach.line_user_id = m.address;
    } else if (m.address.find('@') != std::string::npos) {
      c.reach.email = m.address;
    } else {
      c.reach.phone = m.address;
    }
    if (auto v = venues.find(VariableInt(m.variables, "venue_id")); v != venues.end()) {
      c.context.venue_name = v->second.first;
      c.context.venue_address = v->second.second;
    }
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<ClaimedMessage>> ClaimMessages(Connection& conn, const std::string& worker, int64_t now_ms, int64_t lease_ms,
                                                  int limit) {
  // SKIP LOCKED: a row another worker's claim has locked is passed over, not waited for.
  const std::string lock = conn.backend() == Backend::kPostgres ? " FOR UPDATE SKIP LOCKED" : "";
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows rows,
      conn.Query("UPDATE messages SET state = 'sending', lease_owner = ?, lease_until = ? WHERE id IN (SELECT id FROM messages "
                 "WHERE state = 'queued' AND next_attempt_at <= ? AND (campaign_id IS NULL OR campaign_id NOT IN (SELECT id FROM "
                 "campaigns WHERE state = 'paused')) ORDER BY priority, next_attempt_at LIMIT ?" +
                     lock + ") RETURNING " + kStoredMessageColumns + ", priority, next_attempt_at",
                 {worker, now_ms + lease_ms, now_ms, int64_t{limit}}));
  std::vector<std::pair<std::pair<int64_t, int64_t>, ClaimedMessage>> ordered;
  for (const Row& r : rows) {
    MADOGUCHI_ASSIGN_OR_RETURN(StoredMessage s, ReadStoredMessage(r));
    ClaimedMessage c;
    c.stored = std::move(s);
    ordered.push_back({{r.Int(16), r.Int(17)}, std::move(c)});
  }
  // RETURNING gives no order; send in the order claimed.
  std::stable_sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<ClaimedMessage> out;
  out.reserve(ordered.size());
  for (auto& [key, c] : ordered) out.push_back(std::move(c));
  MADOGUCHI_RETURN_IF_ERROR(FillReachAndContext(conn, out));
  return out;
}

Result<int64_t> ReclaimExpiredLeases(Connection& conn, int64_t now_ms) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query("UPDATE messages SET state = 'queued', lease_owner = NULL, lease_until = NULL, "
                                                   "next_attempt_at = ? WHERE state = 'sending' AND lease_until < ? RETURNING id",
                                                   {now_ms, now_ms}));
  return static_cast<int64_t>(rows.size());
}

namespace {

// The sent ones of a batch in one statement (most of a campaign's outcomes): their rows locked in
// id order first, as the delivery reports' writer locks them, so the two never deadlock. A report
// that came first (delivered, failed) keeps its state. How many the worker no longer held.
Result<int64_t> RecordSent(Connection& conn, const std::string& worker, std::vector<const AttemptOutcome*> sent, int64_t now_ms) {
  if (sent.empty()) return int64_t{0};
  std::sort(sent.begin(), sent.end(), [](const AttemptOutcome* a, const AttemptOutcome* b) { return a->id < b->id; });
  std::vector<Value> ids;
  for (const AttemptOutcome* o : sent) ids.emplace_back(o->id);
  if (conn.backend() == Backend::kPostgres) {
    MADOGUCHI_RETURN_IF_ERROR(
        conn.Query("SELECT id FROM messages WHERE id IN (" + internal::SqlList(ids.size()) + ") ORDER BY id FOR UPDATE", ids).status());
  }
  std::vector<Value> params = {now_ms};  // in the statement's order: the time, each row, the worker
  for (const AttemptOutcome* o : sent) {
    for (Value v :
         {Value(o->id), o->channel ? Value(std::string(messaging::DeliveryName(*o->channel))) : Value(nullptr), Value(o->address_used),
          o->provider_id.empty() ? Value(nullptr) : Value(o->provider_id), Value(int64_t{o->parts}), Value(o->cost_sen)}) {
      params.push_back(std::move(v));
    }
  }
  params.emplace_back(worker);
  // VALUES' columns are column1… on both backends; the casts give PostgreSQL their types.
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows rows,
      conn.Query(
          "UPDATE messages SET state = CASE WHEN state = 'sending' THEN 'sent' ELSE state END, attempts = attempts + 1, "
          "channel_used = v.column2, address_used = v.column3, provider_id = v.column4, parts = v.column5, cost_sen = v.column6, "
          "last_error = CASE WHEN state = 'sending' THEN NULL ELSE last_error END, lease_owner = NULL, lease_until = NULL, "
          "sent_at = v.sent_at_ms FROM (SELECT column1, column2, column3, column4, column5, column6, CAST(? AS BIGINT) AS sent_at_ms FROM (VALUES " +
              internal::SqlList(sent.size(),
                                "(CAST(? AS BIGINT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS BIGINT), "
                                "CAST(? AS BIGINT))") +
              ") AS x) AS v WHERE messages.id = v.column1 AND lease_owner = ? AND "
              "(state = 'sending' OR state = 'delivered' OR state = 'failed') RETURNING messages.id",
          params));
  return static_cast<int64_t>(sent.size() - rows.size());
}

}  // namespace

Result<int64_t> RecordOutcomes(Connection& conn, const std::string& worker, const std::vector<AttemptOutcome>& outcomes, int64_t now_ms) {
  std::vector<const AttemptOutcome*> sent;
  for (const AttemptOutcome& o : outcomes) {
    if (o.kind == Kind::kSent) sent.push_back(&o);
  }
  MADOGUCHI_ASSIGN_OR_RETURN(int64_t lost, RecordSent(conn, worker, std::move(sent), now_ms));
  for (const AttemptOutcome& o : outcomes) {
    if (o.kind == Kind::kSent) continue;
    Result<Rows> r = [&]() -> Result<Rows> {
      switch (o.kind) {
        case Kind::kSent: break;
        case Kind::kRetry:
        case Kind::kDeferred:
          return conn.Query(std::string("UPDATE messages SET state = 'queued', ") +
                                (o.kind == Kind::kRetry ? "attempts = attempts + 1, last_error = ?, " : "last_error = ?, ") +
                                "next_attempt_at = ?, lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ? AND "
                                "state = 'sending' RETURNING id",
                            {o.kind == Kind::kRetry ? Value(o.error) : Value(nullptr), o.next_attempt_at_ms, o.id, worker});
        case Kind::kFailed:
        case Kind::kExpired:
        case Kind::kSuppressed: {
          const std::string state = o.kind == Kind::kFailed ? "failed" : o.kind == Kind::kExpired ? "expired" : "suppressed";
          return conn.Query(std::string("UPDATE messages SET state = '") + state + "', " +
                                (o.kind == Kind::kFailed ? "attempts = attempts + 1, " : "") +
                                "last_error = ?, lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ? AND "
                                "state = 'sending' RETURNING id",
                            {o.error.empty() ? Value(nullptr) : Value(o.error), o.id, worker});
        }
      }
      return InternalError("unknown outcome", "unknown_outcome");
    }();
    if (!r.ok()) return r.status();
    if (r->empty()) ++lost;
  }
  return lost;
}

Result<bool> RecordPartReport(Connection& conn, int64_t id, int part, int parts, messaging::PartReport report, int64_t now_ms) {
  const std::string lock = conn.backend() == Backend::kPostgres ? " FOR UPDATE" : "";
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query("SELECT state, parts_delivered FROM messages WHERE id = ?" + lock, {id}));
  if (rows.empty()) return NotFoundError("no message has this id", "unknown_message");
  MADOGUCHI_ASSIGN_OR_RETURN(messaging::MessageState state, messaging::ParseMessageState(rows[0].Text(0)));
  const messaging::ReportEffect e = messaging::StateAfterReport(report, part, parts, state, rows[0].Int(1));
  if (!e.changed) return false;
  const bool delivered = e.state == messaging::MessageState::kDelivered;
  MADOGUCHI_RETURN_IF_ERROR(
      conn.Query("UPDATE messages SET state = ?, parts_delivered = ?, delivered_at = ?, last_error = ? WHERE id = ?",
                 {std::string(messaging::MessageStateName(e.state)), e.delivered_mask, delivered ? Value(now_ms) : Value(nullptr),
                  e.state == messaging::MessageState::kFailed ? Value(std::string("undelivered")) : Value(nullptr), id})
          .status());
  return true;
}

Result<BounceRecorded> RecordEmailBounce(Connection& conn, int64_t id, const messaging::BounceEffect& effect, int64_t now_ms) {
  const std::string lock = conn.backend() == Backend::kPostgres ? " FOR UPDATE" : "";
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows,
                             conn.Query("SELECT state, channel_used, address_used, tenant_code FROM messages WHERE id = ?" + lock, {id}));
  // A message not yet recorded as sent has no channel yet: an email sent this way names its
  // channel when it was claimed by a worker holding an SMTP client, so only "email" is taken.
  if (rows.empty() || (!rows[0].IsNull(1) && rows[0].Text(1) != "email") || (rows[0].IsNull(1) && rows[0].Text(0) != "sending")) {
    return NotFoundError("no email has this id", "unknown_message");
  }
  MADOGUCHI_ASSIGN_OR_RETURN(messaging::MessageState state, messaging::ParseMessageState(rows[0].Text(0)));
  const messaging::BounceChange change = messaging::StateAfterBounce(effect, state);
  BounceRecorded out;
  if (!change.changed) return out;
  out.changed = true;
  const bool delivered = change.state == messaging::MessageState::kDelivered;
  MADOGUCHI_RETURN_IF_ERROR(
      conn.Query("UPDATE messages SET state = ?, last_error = ?, delivered_at = ? WHERE id = ?",
                 {std::string(messaging::MessageStateName(change.state)), effect.error.empty() ? Value(nullptr) : Value(effect.error),
                  delivered ? Value(now_ms) : Value(nullptr), id})
          .status());
  if (effect.suppress && !rows[0].IsNull(2)) {
    MADOGUCHI_RETURN_IF_ERROR(Suppress(conn, rows[0].Text(3), rows[0].Text(2), "invalid", std::nullopt, now_ms));
    out.suppressed = true;
  }
  return out;
}

Result<std::set<std::string>> SuppressedAmong(Connection& conn, const std::string& tenant, const std::vector<std::string>& addresses) {
  std::set<std::string> out;
  if (addresses.empty()) return out;
  std::vector<Value> params{tenant};
  for (const std::string& a : addresses) params.emplace_back(a);
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query("SELECT address FROM suppressions WHERE tenant_code = ? AND address IN (" +
                                                       internal::SqlList(addresses.size()) + ")",
                                                   params));
  for (const Row& r : rows) out.insert(r.Text(0));
  return out;
}

Status Suppress(Connection& conn, const std::string& tenant, const std::string& address, const std::string& reason,
                std::optional<int64_t> by_user, int64_t now_ms) {
  return conn
      .Query(
          "INSERT INTO suppressions (tenant_code, address, reason, created_by, created_at) VALUES (?, ?, ?, ?, ?) "
          "ON CONFLICT (tenant_code, address) DO NOTHING",
          {tenant, address, reason, by_user ? Value(*by_user) : Value(nullptr), now_ms})
      .status();
}

Result<messaging::SendingSettings> GetSendingSettings(Connection& conn, const std::string& tenant) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query("SELECT quiet_start_min, quiet_end_min, max_sms_parts, sms_sen_per_part, sms_sender, "
                                                   "email_from, email_from_name "
                                                   "FROM messaging_settings WHERE tenant_code = ?",
                                                   {tenant}));
  messaging::SendingSettings s;
  if (rows.empty()) return s;
  s.quiet_start_min = static_cast<int>(rows[0].Int(0));
  s.quiet_end_min = static_cast<int>(rows[0].Int(1));
  s.max_sms_parts = static_cast<int>(rows[0].Int(2));
  s.sms_sen_per_part = rows[0].Int(3);
  s.sms_sender = rows[0].Text(4);
  s.email_from = rows[0].Text(5);
  s.email_from_name = rows[0].Text(6);
  return s;
}

Status SaveSendingSettings(Connection& conn, const std::string& tenant, const messaging::SendingSettings& s, int64_t now_ms) {
  MADOGUCHI_RETURN_IF_ERROR(messaging::ValidateSendingSettings(s));
  return conn
      .Query(
          "INSERT INTO messaging_settings (tenant_code, quiet_start_min, quiet_end_min, max_sms_parts, sms_sen_per_part, sms_sender, "
          "email_from, email_from_name, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_code) DO UPDATE SET quiet_start_min = excluded.quiet_start_min, "
          "quiet_end_min = excluded.quiet_end_min, max_sms_parts = excluded.max_sms_parts, sms_sen_per_part = excluded.sms_sen_per_part, "
          "sms_sender = excluded.sms_sender, email_from = excluded.email_from, email_from_name = excluded.email_from_name, "
          "updated_at = excluded.updated_at",
          {tenant, int64_t{s.quiet_start_min}, int64_t{s.quiet_end_min}, int64_t{s.max_sms_parts}, s.sms_sen_per_part, s.sms_sender,
           s.email_from, s.email_from_name, now_ms})
      .status();
}

Result<DeliveryRecord> GetDelivery(Connection& conn, int64_t id) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows,
                             conn.Query("SELECT state, attempts, COALESCE(last_error, ''), COALESCE(channel_used, ''), "
                                        "COALESCE(address_used, ''), COALESCE(parts, 0), parts_delivered, COALESCE(cost_sen, 0), "
                                        "next_attempt_at, sent_at, delivered_at FROM messages WHERE id = ?",
                                        {id}));
  if (rows.empty()) return NotFoundError("no message has this id", "unknown_message");
  const Row& r = rows[0];
  DeliveryRecord d;
  d.id = id;
  MADOGUCHI_ASSIGN_OR_RETURN(d.state, messaging::ParseMessageState(r.Text(0)));
  d.attempts = static_cast<int>(r.Int(1));
  d.last_error = r.Text(2);
  d.channel_used = r.Text(3);
  d.address_used = r.Text(4);
  d.parts = static_cast<int>(r.Int(5));
  d.parts_delivered = r.Int(6);
  d.cost_sen = r.Int(7);
  d.next_attempt_at_ms = r.Int(8);
  if (!r.IsNull(9)) d.sent_at_ms = r.Int(9);
  if (!r.IsNull(10)) d.delivered_at_ms = r.Int(10);
  return d;
}

Result<OutboxHealth> GetOutboxHealth(Connection& conn, const std::string& tenant, int64_t now_ms) {
  OutboxHealth h;
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows states, conn.Query("SELECT state, COUNT(*) FROM messages WHERE tenant_code = ? GROUP BY state ORDER BY state", {tenant}));
  for (const Row& r : states) h.by_state.emplace_back(r.Text(0), r.Int(1));
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows counts, conn.Query("SELECT "
                              "(SELECT COUNT(*) FROM messages WHERE tenant_code = ? AND state = 'queued' AND next_attempt_at <= ?), "
                              "(SELECT COUNT(*) FROM messages WHERE tenant_code = ? AND state = 'queued' AND "
                              "(last_error = 'sms_gateway_unavailable' OR last_error = 'sms_gateway_refused')), "
                              "(SELECT COUNT(*) FROM messages WHERE tenant_code = ? AND sent_at >= ?), "
                              "(SELECT COUNT(*) FROM messages WHERE tenant_code = ? AND delivered_at >= ?)",
                              {tenant, now_ms - 60'000, tenant, tenant, now_ms - 300'000, tenant, now_ms - 300'000}));
  h.overdue = counts.at(0).Int(0);
  h.gateway_failures = counts.at(0).Int(1);
  h.sent_last_5min = counts.at(0).Int(2);
  h.delivered_last_5min = counts.at(0).Int(3);
  MADOGUCHI_ASSIGN_OR_RETURN(Rows latency,
                             conn.Query("SELECT COUNT(*), COALESCE(SUM(delivered_at - sent_at), 0) FROM (SELECT delivered_at, "
                                        "sent_at FROM messages WHERE tenant_code = ? AND state = 'delivered' AND "
                                        "sent_at IS NOT NULL AND delivered_at IS NOT NULL ORDER BY delivered_at DESC LIMIT 200) d",
                                        {tenant}));
  if (latency.at(0).Int(0) > 0) h.report_latency_ms = std::max<int64_t>(0, latency.at(0).Int(1) / latency.at(0).Int(0));
  return h;
}

Result<std::vector<std::pair<std::string, int64_t>>> CountByState(Connection& conn) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query("SELECT state, COUNT(*) FROM messages GROUP BY state ORDER BY state"));
  std::vector<std::pair<std::string, int64_t>> out;
  for (const Row& r : rows) out.emplace_back(r.Text(0), r.Int(1));
  return out;
}

}  // namespace madoguchi::store
