// src/store/outbox/campaigns.cpp — see campaigns.hpp.
#include "store/outbox/campaigns.hpp"

#include "common/time_format.hpp"
#include "store/outbox/messages.hpp"

namespace madoguchi::store {
namespace {

constexpr size_t kInsertChunk = 500;  // messages per INSERT statement

// A CSV line read back by csv::ReadCsv only (not a spreadsheet's: nothing is neutralised): every
// cell quoted, quotes doubled.
std::string QuotedLine(const std::vector<std::string>& cells) {
  std::string out;
  for (size_t i = 0; i < cells.size(); ++i) {
    out += i ? ",\"" : "\"";
    for (char ch : cells[i]) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    out += '"';
  }
  return out + "\r\n";
}

Result<std::vector<std::pair<std::string, int64_t>>> CountsOf(Connection& conn, int64_t id) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows,
                             conn.Query("SELECT state, COUNT(*) FROM messages WHERE campaign_id = ? GROUP BY state ORDER BY state", {id}));
  std::vector<std::pair<std::string, int64_t>> out;
  for (const Row& r : rows) out.emplace_back(r.Text(0), r.Int(1));
  return out;
}

Result<CampaignRecord> ReadCampaign(Connection& conn, const Row& r) {
  CampaignRecord c;
  c.id = r.Int(0);
  c.name = r.Text(1);
  c.body = r.Text(2);
  MADOGUCHI_ASSIGN_OR_RETURN(c.state, messaging::ParseCampaignState(r.Text(3)));
  c.starts_at_ms = r.Int(4);
  c.recipients = r.Int(5);
  c.parts = r.Int(6);
  c.cost_sen = r.Int(7);
  c.created_at_ms = r.Int(8);
  c.link = r.Text(9);
  if (!r.IsNull(10)) c.send_job = r.Int(10);
  MADOGUCHI_ASSIGN_OR_RETURN(c.by_state, CountsOf(conn, c.id));
  MADOGUCHI_ASSIGN_OR_RETURN(Rows replies, conn.Query("SELECT COUNT(*) FROM replies WHERE message_id IN (SELECT id FROM messages WHERE "
                                                      "campaign_id = ?)",
                                                      {c.id}));
  c.replies = replies.at(0).Int(0);
  MADOGUCHI_ASSIGN_OR_RETURN(Rows opened, conn.Query("SELECT COUNT(*) FROM short_links WHERE opens > 0 AND message_id IN (SELECT id FROM "
                                                     "messages WHERE campaign_id = ?)",
                                                     {c.id}));
  c.opened = opened.at(0).Int(0);
  return c;
}

constexpr char kCampaignColumns[] = "id, name, body, state, starts_at, recipients, parts, cost_sen, created_at, link, send_job";

}  // namespace

messaging::CampaignState CampaignRecord::Shown(int64_t now_ms) const {
  int64_t open = 0;
  for (const auto& [s, n] : by_state) {
    if (s == "queued" || s == "sending") open += n;
  }
  return messaging::CurrentCampaignState(state, open, starts_at_ms, now_ms);
}

namespace {

Status CheckNew(const NewCampaign& c) {
  if (c.name.empty() || c.name.size() > 200) return InvalidArgumentError("name", "must be 1 to 200 bytes");
  if (c.plan == nullptr || !c.plan->problems.empty() || c.plan->recipients.empty()) {
    return InvalidArgumentError("file", "the recipients have problems; nothing was queued", "campaign_has_problems");
  }
  return Status::Ok();
}

Result<int64_t> InsertCampaign(Connection& conn, const NewCampaign& c, const std::string& state, const std::string& csv, int64_t now_ms) {
  return conn.InsertReturningId(
      "INSERT INTO campaigns (tenant_code, name, body, state, starts_at, recipients, parts, cost_sen, recipients_csv, segment, "
      "link, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {c.tenant, c.name, c.body, state, c.starts_at_ms, static_cast<int64_t>(c.plan->recipients.size()), c.plan->total_parts,
       c.plan->cost_sen, csv, c.segment, c.plan->link, c.created_by ? Value(*c.created_by) : Value(nullptr), now_ms, now_ms});
}

// One message per recipient (an SMS, or an email where there is no mobile), due at the campaign's start, written in chunks.
Status WriteMessages(Connection& conn, const std::string& tenant, int64_t id, int64_t starts_at_ms, const messaging::CampaignPlan& plan,
                     int64_t now_ms) {
  std::vector<messaging::Message> chunk;
  chunk.reserve(kInsertChunk);
  for (const messaging::CampaignRecipient& r : plan.recipients) {
    messaging::Message m;
    m.tenant = tenant;
    m.address = r.phone.empty() ? r.email : r.phone;
    m.channels = {r.phone.empty() ? messaging::Delivery::kEmail : messaging::Delivery::kSms};
    m.template_key = "campaign_text";
    m.variables = {{"text", r.text}};
    if (!plan.link.empty()) m.variables["link"] = plan.link;
    m.purpose = messaging::Purpose::kCampaign;
    m.due_at_ms = starts_at_ms;
    m.dedupe_key = "campaign:" + std::to_string(id) + ":" + std::to_string(r.row);
    m.campaign_id = id;
    chunk.push_back(std::move(m));
    if (chunk.size() == kInsertChunk) {
      MADOGUCHI_RETURN_IF_ERROR(EnqueueMessages(conn, chunk, now_ms));
      chunk.clear();
    }
  }
  return EnqueueMessages(conn, chunk, now_ms);
}

}  // namespace

Result<int64_t> CreateCampaign(Connection& conn, const NewCampaign& c, int64_t now_ms) {
  MADOGUCHI_RETURN_IF_ERROR(CheckNew(c));
  MADOGUCHI_ASSIGN_OR_RETURN(int64_t id, InsertCampaign(conn, c, "scheduled", "", now_ms));
  MADOGUCHI_RETURN_IF_ERROR(WriteMessages(conn, c.tenant, id, c.starts_at_ms, *c.plan, now_ms));
  return id;
}

Result<int64_t> SaveCampaignDraft(Connection& conn, const NewCampaign& c, const std::string& recipients_csv, int64_t now_ms) {
  MADOGUCHI_RETURN_IF_ERROR(CheckNew(c));
  return InsertCampaign(conn, c, "draft", recipients_csv, now_ms);
}

Result<RecipientList> SegmentList(Connection& conn, const std::string& tenant, const messaging::Segment& segment) {
  const bool booked = segment.kind == messaging::Segment::Kind::kBookedOn;
  Result<Rows> rows = Rows{};
  if (booked) {
    const int64_t from = JapanMidnightMs(segment.day), to = JapanMidnightMs(segment.day + std::chrono::days{1});
    rows = conn.Query(
        "SELECT r.phone, r.email, r.name, s.starts_at, v.name FROM bookings b JOIN residents r ON r.id = b.resident_id "
        "JOIN slots s ON s.id = b.slot_id JOIN venues v ON v.id = s.venue_id WHERE b.tenant_code = ? "
        "AND b.state IN ('booked', 'checked_in') AND s.starts_at >= ? AND s.starts_at < ? ORDER BY s.starts_at, r.id",
        {tenant, from, to});
  } else {
    rows = conn.Query(
        "SELECT r.phone, r.email, r.name FROM residents r WHERE r.tenant_code = ? AND NOT EXISTS (SELECT 1 FROM bookings b "
        "WHERE b.resident_id = r.id AND b.state IN ('booked', 'checked_in', 'vaccinated')) AND NOT EXISTS (SELECT 1 FROM "
        "vaccinations x WHERE x.resident_id = r.id) ORDER BY r.id",
        {tenant});
  }
  if (!rows.ok()) return rows.status();
  RecipientList out;
  out.segment = messaging::SegmentSpec(segment);
  out.csv = QuotedLine(messaging::SegmentColumns(segment));
  for (const Row& r : *rows) {
    const messaging::SegmentMember m{r.Text(0), r.Text(1), r.Text(2), booked ? r.Int(3) : 0, booked ? r.Text(4) : ""};
    if (auto cells = messaging::SegmentCells(segment, m)) out.csv += QuotedLine(*cells);
    else ++out.unreachable;
  }
  return out;
}

Result<RecipientList> CampaignDraftList(Connection& conn, const std::string& tenant, int64_t id) {
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows rows, conn.Query("SELECT state, recipients_csv, segment FROM campaigns WHERE tenant_code = ? AND id = ?", {tenant, id}));
  if (rows.empty()) return NotFoundError("no such campaign", "unknown_campaign");
  if (rows[0].Text(0) != "draft") return FailedPreconditionError("the campaign is " + rows[0].Text(0), "campaign_" + rows[0].Text(0));
  if (rows[0].Text(2).empty()) return RecipientList{rows[0].Text(1), "", 0};
  MADOGUCHI_ASSIGN_OR_RETURN(messaging::Segment segment, messaging::ParseSegment(rows[0].Text(2)));
  return SegmentList(conn, tenant, segment);
}

Status MarkCampaignBeingSent(Connection& conn, const std::string& tenant, int64_t id, int64_t job) {
  // The campaign's row only (PostgreSQL locks no row of the outer join's nullable side).
  const std::string lock = conn.backend() == Backend::kPostgres ? " FOR UPDATE OF c" : "";
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows rows, conn.Query("SELECT c.state, c.send_job, COALESCE(j.state, '') FROM campaigns c LEFT JOIN jobs j ON j.id = c.send_job "
                            "WHERE c.tenant_code = ? AND c.id = ?" +
                                lock,
                            {tenant, id}));
  if (rows.empty()) return NotFoundError("no such campaign", "unknown_campaign");
  MADOGUCHI_ASSIGN_OR_RETURN(messaging::CampaignState from, messaging::ParseCampaignState(rows[0].Text(0)));
  MADOGUCHI_RETURN_IF_ERROR(messaging::CampaignTransition(from, "send").status());
  if (!rows[0].IsNull(1) && rows[0].Text(2) != "failed") {
    return FailedPreconditionError("the campaign is being sent already", "campaign_being_sent");
  }
  return conn.Query("UPDATE campaigns SET send_job = ? WHERE id = ?", {job, id}).status();
}

Status SendCampaignDraft(Connection& conn, const std::string& tenant, int64_t id, const messaging::CampaignPlan& plan, int64_t now_ms) {
  const std::string lock = conn.backend() == Backend::kPostgres ? " FOR UPDATE" : "";
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows,
                             conn.Query("SELECT state, starts_at FROM campaigns WHERE tenant_code = ? AND id = ?" + lock, {tenant, id}));
  if (rows.empty()) return NotFoundError("no such campaign", "unknown_campaign");
  MADOGUCHI_ASSIGN_OR_RETURN(messaging::CampaignState from, messaging::ParseCampaignState(rows[0].Text(0)));
  MADOGUCHI_RETURN_IF_ERROR(messaging::CampaignTransition(from, "send").status());
  if (!plan.problems.empty() || plan.recipients.empty()) {
    return InvalidArgumentError("file", "the recipients have problems; nothing was queued", "campaign_has_problems");
  }
  MADOGUCHI_RETURN_IF_ERROR(
      conn.Query("UPDATE campaigns SET state = 'scheduled', recipients = ?, parts = ?, cost_sen = ?, recipients_csv = '', "
                 "updated_at = ? WHERE id = ?",
                 {static_cast<int64_t>(plan.recipients.size()), plan.total_parts, plan.cost_sen, now_ms, id})
          .status());
  return WriteMessages(conn, tenant, id, rows[0].Int(1), plan, now_ms);
}

Result<CampaignRecord> GetCampaign(Connection& conn, const std::string& tenant, int64_t id) {
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows rows, conn.Query(std::string("SELECT ") + kCampaignColumns + " FROM campaigns WHERE tenant_code = ? AND id = ?", {tenant, id}));
  if (rows.empty()) return NotFoundError("no such campaign", "unknown_campaign");
  return ReadCampaign(conn, rows[0]);
}

Result<std::vector<CampaignRecord>> ListCampaigns(Connection& conn, const std::string& tenant, int limit) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query(std::string("SELECT ") + kCampaignColumns +
                                                       " FROM campaigns WHERE tenant_code = ? ORDER BY created_at DESC, id DESC LIMIT ?",
                                                   {tenant, int64_t{limit}}));
  std::vector<CampaignRecord> out;
  for (const Row& r : rows) {
    MADOGUCHI_ASSIGN_OR_RETURN(CampaignRecord c, ReadCampaign(conn, r));
    out.push_back(std::move(c));
  }
  return out;
}

Result<messaging::CampaignState> ChangeCampaign(Connection& conn, const std::string& tenant, int64_t id, const std::string& action,
                                                int64_t now_ms) {
  const std::string lock = conn.backend() == Backend::kPostgres ? " FOR UPDATE" : "";
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows,
                             conn.Query("SELECT state, starts_at FROM campaigns WHERE tenant_code = ? AND id = ?" + lock, {tenant, id}));
  if (rows.empty()) return NotFoundError("no such campaign", "unknown_campaign");
  MADOGUCHI_ASSIGN_OR_RETURN(messaging::CampaignState stored, messaging::ParseCampaignState(rows[0].Text(0)));
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows open, conn.Query("SELECT COUNT(*) FROM messages WHERE campaign_id = ? AND (state = 'queued' OR state = 'sending')", {id}));
  const messaging::CampaignState from = messaging::CurrentCampaignState(stored, open.at(0).Int(0), rows[0].Int(1), now_ms);
  if (action == "send")
    return FailedPreconditionError("a draft is sent with its recipients (SendCampaignDraft)", "campaign_" + rows[0].Text(0));
  MADOGUCHI_ASSIGN_OR_RETURN(messaging::CampaignState to, messaging::CampaignTransition(from, action));
  // A cancelled draft's recipient list (names and numbers) is not kept.
  const std::string drop_list = to == messaging::CampaignState::kCancelled ? ", recipients_csv = ''" : "";
  MADOGUCHI_RETURN_IF_ERROR(conn.Query("UPDATE campaigns SET state = ?, updated_at = ?" + drop_list + " WHERE id = ?",
                                       {std::string(messaging::CampaignStateName(to)), now_ms, id})
                                .status());
  if (to == messaging::CampaignState::kCancelled) {
    MADOGUCHI_RETURN_IF_ERROR(
        conn.Query("UPDATE messages SET state = 'cancelled' WHERE campaign_id = ? AND state = 'queued'", {id}).status());
  }
  return to;
}

namespace {

Result<std::vector<std::pair<int64_t, int64_t>>> PerMinute(Connection& conn, const std::string& sql, int64_t id) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query(sql, {id}));
  std::vector<std::pair<int64_t, int64_t>> out;
  for (const Row& r : rows) out.emplace_back(r.Int(0) * 60'000, r.Int(1));
  return out;
}

Status RequireCampaign(Connection& conn, const std::string& tenant, int64_t id) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query("SELECT 1 FROM campaigns WHERE tenant_code = ? AND id = ?", {tenant, id}));
  if (rows.empty()) return NotFoundError("no such campaign", "unknown_campaign");
  return Status::Ok();
}

}  // namespace

Result<CampaignActivity> GetCampaignActivity(Connection& conn, const std::string& tenant, int64_t id) {
  MADOGUCHI_RETURN_IF_ERROR(RequireCampaign(conn, tenant, id));
  CampaignActivity a;
  MADOGUCHI_ASSIGN_OR_RETURN(a.sent, PerMinute(conn,
                                               "SELECT sent_at / 60000, COUNT(*) FROM messages WHERE campaign_id = ? AND sent_at IS NOT "
                                               "NULL GROUP BY sent_at / 60000 ORDER BY 1",
                                               id));
  MADOGUCHI_ASSIGN_OR_RETURN(a.delivered, PerMinute(conn,
                                                    "SELECT delivered_at / 60000, COUNT(*) FROM messages WHERE campaign_id = ? AND "
                                                    "delivered_at IS NOT NULL GROUP BY delivered_at / 60000 ORDER BY 1",
                                                    id));
  MADOGUCHI_ASSIGN_OR_RETURN(a.opened, PerMinute(conn,
                                                 "SELECT l.first_opened_at / 60000, COUNT(*) FROM short_links l JOIN messages m ON m.id = "
                                                 "l.message_id WHERE m.campaign_id = ? AND l.first_opened_at IS NOT NULL GROUP BY "
                                                 "l.first_opened_at / 60000 ORDER BY 1",
                                                 id));
  MADOGUCHI_ASSIGN_OR_RETURN(a.replied, PerMinute(conn,
                                                  "SELECT f.at / 60000, COUNT(*) FROM (SELECT MIN(r.received_at) AS at FROM replies r JOIN "
                                                  "messages m ON m.id = r.message_id WHERE m.campaign_id = ? GROUP BY r.message_id) f "
                                                  "GROUP BY f.at / 60000 ORDER BY 1",
                                                  id));
  for (const auto& [minute, n] : a.replied) a.replied_recipients += n;
  return a;
}

Result<std::pair<std::vector<CampaignRecipientStatus>, int64_t>> ListCampaignRecipients(Connection& conn, const std::string& tenant,
                                                                                        int64_t id, RecipientFilter filter, int64_t offset,
                                                                                        int limit) {
  MADOGUCHI_RETURN_IF_ERROR(RequireCampaign(conn, tenant, id));
  std::string where = "m.campaign_id = ?";
  switch (filter) {
    case RecipientFilter::kAll: break;
    case RecipientFilter::kWaiting: where += " AND m.state IN ('queued', 'sending', 'sent')"; break;
    case RecipientFilter::kNotReached: where += " AND m.state IN ('failed', 'expired', 'suppressed', 'cancelled')"; break;
    case RecipientFilter::kOpened: where += " AND l.opens > 0"; break;
    case RecipientFilter::kReplied: where += " AND EXISTS (SELECT 1 FROM replies r WHERE r.message_id = m.id)"; break;
  }
  const std::string from = " FROM messages m LEFT JOIN short_links l ON l.message_id = m.id WHERE " + where;
  MADOGUCHI_ASSIGN_OR_RETURN(Rows total, conn.Query("SELECT COUNT(*)" + from, {id}));
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows rows, conn.Query("SELECT m.id, m.dedupe_key, COALESCE(m.address_used, m.address, ''), COALESCE(m.channel_used, m.channels), "
                            "m.state, COALESCE(m.last_error, ''), m.sent_at, m.delivered_at, COALESCE(l.opens, 0), (SELECT COUNT(*) FROM "
                            "replies r WHERE r.message_id = m.id)" +
                                from + " ORDER BY m.id LIMIT ? OFFSET ?",
                            {id, int64_t{limit}, offset}));
  std::vector<CampaignRecipientStatus> out;
  for (const Row& r : rows) {
    CampaignRecipientStatus c;
    c.message_id = r.Int(0);
    const std::string key = r.Text(1);  // campaign:<id>:<row>
    const size_t colon = key.rfind(':');
    if (colon != std::string::npos && colon + 1 < key.size()) c.row = std::atoi(key.c_str() + colon + 1);
    c.address = r.Text(2);
    c.channel = r.Text(3);
    c.state = r.Text(4);
    c.last_error = r.Text(5);
    if (!r.IsNull(6)) c.sent_at_ms = r.Int(6);
    if (!r.IsNull(7)) c.delivered_at_ms = r.Int(7);
    c.opens = r.Int(8);
    c.replies = r.Int(9);
    out.push_back(std::move(c));
  }
  return std::make_pair(std::move(out), total.at(0).Int(0));
}

}  // namespace madoguchi::store
