// src/store/care/follow_up.cpp — see follow_up.hpp.
#include "store/care/follow_up.hpp"

#include "common/time_format.hpp"
#include "formats/care_records.hpp"
#include "store/accounts/accounts.hpp"
#include "store/care/settings.hpp"
#include "store/outbox/messages.hpp"

namespace madoguchi::store {
namespace {

constexpr int64_t kDayMs = 86'400'000;

constexpr char kEpisodeColumns[] =
    "e.id, e.application_id, e.state, e.starts_on, e.planned_end_on, e.first_check_in_on, e.name, e.kana, e.phone, e.email, e.age, "
    "e.risk_factors, e.call_priority, e.call_rule, e.call_score, e.call_from_missed, e.call_since, e.contact, "
    "COALESCE((SELECT l.line_user_id FROM care_line_links l WHERE l.application_id = e.application_id), '')";
constexpr int kEpisodeColumnCount = 19;

constexpr char kCheckInColumns[] = "c.id, c.episode_id, c.day, c.state, c.send_at, c.remind_at, c.call_at, c.answered_at";
constexpr int kCheckInColumnCount = 8;

constexpr char kReportColumns[] =
    "r.id, r.episode_id, r.check_in_id, r.source, r.report, r.priority, r.rule_id, r.rule_version, r.risk_score, r.at, r.by_user";

int64_t DayNumber(booking::Day d) { return d.time_since_epoch().count(); }
booking::Day DayOf(int64_t n) { return booking::Day{std::chrono::days{n}}; }

Status BadRow(const std::string& what) { return InternalError("a stored home-care record does not read: " + what, "bad_stored_episode"); }

Result<care::EpisodeView> ReadEpisode(const Row& r, int at = 0) {
  care::EpisodeView e;
  e.id = r.Int(at + 0);
  e.application_id = r.Int(at + 1);
  e.active = r.Text(at + 2) == "active";
  e.starts_on = DayOf(r.Int(at + 3));
  e.planned_end_on = DayOf(r.Int(at + 4));
  e.first_check_in_on = DayOf(r.Int(at + 5));
  e.name = r.Text(at + 6);
  e.kana = r.Text(at + 7);
  e.phone = r.Text(at + 8);
  e.email = r.Text(at + 9);
  e.patient.age = static_cast<int>(r.Int(at + 10));
  e.patient.risk_factors = static_cast<int>(r.Int(at + 11));
  if (!r.IsNull(at + 12)) {
    const int64_t p = r.Int(at + 12);
    if (p < 0 || p > 3) return BadRow("call priority " + std::to_string(p));
    e.call = care::CallNeed{static_cast<care::Priority>(p), r.Text(at + 13), static_cast<int>(r.Int(at + 14)), r.Int(at + 15) != 0,
                            r.Int(at + 16)};
  }
  auto contact = care::ParseContact(r.Text(at + 17));
  if (!contact.ok()) return BadRow("contact " + r.Text(at + 17));
  e.contact = *contact;
  e.line_user_id = r.Text(at + 18);
  return e;
}

Result<care::CheckInRecord> ReadCheckIn(const Row& r, int at = 0) {
  care::CheckInRecord c;
  c.id = r.Int(at + 0);
  c.episode_id = r.Int(at + 1);
  c.day = DayOf(r.Int(at + 2));
  MADOGUCHI_ASSIGN_OR_RETURN(c.state, care::ParseCheckInState(r.Text(at + 3)));
  c.times = care::CheckInTimes{r.Int(at + 4), r.Int(at + 5), r.Int(at + 6)};
  if (!r.IsNull(at + 7)) c.answered_at_ms = r.Int(at + 7);
  return c;
}

Result<care::ReportRecord> ReadReport(const Row& r) {
  care::ReportRecord rec;
  rec.id = r.Int(0);
  rec.episode_id = r.Int(1);
  if (!r.IsNull(2)) rec.check_in_id = r.Int(2);
  MADOGUCHI_ASSIGN_OR_RETURN(rec.source, care::ParseReportSource(r.Text(3)));
  if (!r.IsNull(4)) {
    MADOGUCHI_ASSIGN_OR_RETURN(rec.report, formats::ParseHealthReportJson(r.Text(4)));
  }
  auto p = care::ParsePriority(r.Text(5));
  if (!p.ok()) return BadRow("priority " + r.Text(5));
  rec.classification = care::Classification{*p, r.Text(6), r.Text(7), static_cast<int>(r.Int(8))};
  rec.at_ms = r.Int(9);
  if (!r.IsNull(10)) rec.by_user = r.Int(10);
  return rec;
}

Result<care::CallRecord> ReadCall(const Row& r) {
  care::CallRecord c;
  c.episode_id = r.Int(0);
  c.operator_id = r.Int(1);
  auto o = care::ParseCallOutcome(r.Text(2));
  if (!o.ok()) return BadRow("call outcome " + r.Text(2));
  c.outcome = *o;
  c.notes = r.Text(3);
  c.at_ms = r.Int(4);
  return c;
}

Result<std::vector<care::EpisodeView>> Episodes(Connection& conn, const std::string& where, const std::vector<Value>& params) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows,
                             conn.Query(std::string("SELECT ") + kEpisodeColumns + " FROM care_episodes e WHERE " + where, params));
  std::vector<care::EpisodeView> out;
  out.reserve(rows.size());
  for (const Row& r : rows) {
    MADOGUCHI_ASSIGN_OR_RETURN(care::EpisodeView e, ReadEpisode(r));
    out.push_back(std::move(e));
  }
  return out;
}

Result<std::vector<care::DueCheckIn>> Due(Connection& conn, const std::string& where, const std::vector<Value>& params) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query(std::string("SELECT ") + kCheckInColumns + ", " + kEpisodeColumns +
                                                       " FROM care_check_ins c JOIN care_episodes e ON e.id = c.episode_id WHERE " + where,
                                                   params));
  std::vector<care::DueCheckIn> out;
  out.reserve(rows.size());
  for (const Row& r : rows) {
    care::DueCheckIn d;
    MADOGUCHI_ASSIGN_OR_RETURN(d.check_in, ReadCheckIn(r));
    MADOGUCHI_ASSIGN_OR_RETURN(d.episode, ReadEpisode(r, kCheckInColumnCount));
    out.push_back(std::move(d));
  }
  return out;
}

Result<std::vector<care::ReportRecord>> ReportsOf(Connection& conn, const std::string& tenant, int64_t episode_id, int limit) {
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows rows, conn.Query(std::string("SELECT ") + kReportColumns +
                                " FROM care_reports r WHERE r.tenant_code = ? AND r.episode_id = ? ORDER BY r.at DESC, r.id DESC LIMIT ?",
                            {tenant, episode_id, int64_t{limit}}));
  std::vector<care::ReportRecord> out;
  for (const Row& r : rows) {
    MADOGUCHI_ASSIGN_OR_RETURN(care::ReportRecord rec, ReadReport(r));
    out.push_back(std::move(rec));
  }
  return out;
}

constexpr char kCallColumns[] = "k.episode_id, k.operator_id, k.outcome, k.notes, k.at, u.display_name";

Result<std::vector<std::pair<care::CallRecord, std::string>>> CallsOf(Connection& conn, const std::string& tenant, int64_t episode_id,
                                                                      int limit) {
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows rows, conn.Query(std::string("SELECT ") + kCallColumns +
                                " FROM care_calls k LEFT JOIN users u ON u.id = k.operator_id WHERE k.tenant_code = ? AND k.episode_id = ? "
                                "ORDER BY k.at DESC, k.id DESC LIMIT ?",
                            {tenant, episode_id, int64_t{limit}}));
  std::vector<std::pair<care::CallRecord, std::string>> out;
  for (const Row& r : rows) {
    MADOGUCHI_ASSIGN_OR_RETURN(care::CallRecord c, ReadCall(r));
    out.emplace_back(std::move(c), r.Text(5));
  }
  return out;
}

Result<std::string> ReceiptOf(Connection& conn, int64_t application_id) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query("SELECT receipt FROM care_applications WHERE id = ?", {application_id}));
  return rows.empty() ? std::string() : rows[0].Text(0);
}

Result<CallListEntry> EntryFor(Connection& conn, const std::string& tenant, care::EpisodeView e, booking::Day today) {
  CallListEntry out;
  MADOGUCHI_ASSIGN_OR_RETURN(out.receipt, ReceiptOf(conn, e.application_id));
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows,
                             conn.Query("SELECT state FROM care_check_ins WHERE episode_id = ? AND day = ?", {e.id, DayNumber(today)}));
  if (!rows.empty()) {
    MADOGUCHI_ASSIGN_OR_RETURN(out.today, care::ParseCheckInState(rows[0].Text(0)));
  }
  MADOGUCHI_ASSIGN_OR_RETURN(std::vector<care::ReportRecord> reports, ReportsOf(conn, tenant, e.id, 1));
  if (!reports.empty()) out.last_report = std::move(reports[0]);
  MADOGUCHI_ASSIGN_OR_RETURN(auto calls, CallsOf(conn, tenant, e.id, 1));
  if (!calls.empty()) out.last_call = std::move(calls[0].first);
  out.episode = std::move(e);
  return out;
}

Result<std::vector<CallListEntry>> CallList(Connection& conn, const std::string& tenant, booking::Day today, int max_priority, int limit) {
  MADOGUCHI_ASSIGN_OR_RETURN(std::vector<care::EpisodeView> episodes,
                             Episodes(conn,
                                      "e.tenant_code = ? AND e.state = 'active' AND e.call_priority IS NOT NULL AND e.call_priority <= ? "
                                      "ORDER BY e.call_priority, e.call_score DESC, e.call_since, e.id LIMIT ?",
                                      {tenant, int64_t{max_priority}, int64_t{limit}}));
  std::vector<CallListEntry> out;
  out.reserve(episodes.size());
  for (care::EpisodeView& e : episodes) {
    MADOGUCHI_ASSIGN_OR_RETURN(CallListEntry entry, EntryFor(conn, tenant, std::move(e), today));
    out.push_back(std::move(entry));
  }
  return out;
}

}  // namespace

// ---- the port ----

Result<care::CareSettings> SqlFollowUpPort::TenantSettings(const std::string& tenant) { return LoadCareSettings(conn_, tenant); }

Result<care::EpisodeView> SqlFollowUpPort::GetEpisode(const std::string& tenant, int64_t id) {
  MADOGUCHI_ASSIGN_OR_RETURN(std::vector<care::EpisodeView> found, Episodes(conn_, "e.tenant_code = ? AND e.id = ?", {tenant, id}));
  if (found.empty()) return NotFoundError("no such home-care patient", "episode_not_found");
  return std::move(found[0]);
}

Result<std::vector<care::EpisodeView>> SqlFollowUpPort::EpisodesToCheckIn(const std::string& tenant, booking::Day day, int limit) {
  return Episodes(conn_,
                  "e.tenant_code = ? AND e.state = 'active' AND e.planned_end_on >= ? AND e.first_check_in_on <= ? AND NOT EXISTS "
                  "(SELECT 1 FROM care_check_ins c WHERE c.episode_id = e.id AND c.day = ?) ORDER BY e.id LIMIT ?",
                  {tenant, DayNumber(day), DayNumber(day), DayNumber(day), int64_t{limit}});
}

Result<std::vector<care::EpisodeView>> SqlFollowUpPort::EpisodesPastEnd(const std::string& tenant, booking::Day day, int limit) {
  return Episodes(conn_, "e.tenant_code = ? AND e.state = 'active' AND e.planned_end_on < ? ORDER BY e.planned_end_on, e.id LIMIT ?",
                  {tenant, DayNumber(day), int64_t{limit}});
}

Result<std::optional<int64_t>> SqlFollowUpPort::InsertCheckIn(const std::string& tenant, int64_t episode_id, booking::Day day,
                                                              const care::CheckInTimes& t) {
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows rows, conn_.Query("INSERT INTO care_check_ins (tenant_code, episode_id, day, state, send_at, remind_at, call_at, updated_at) "
                             "VALUES (?, ?, ?, 'sent', ?, ?, ?, ?) ON CONFLICT (episode_id, day) DO NOTHING RETURNING id",
                             {tenant, episode_id, DayNumber(day), t.send_at_ms, t.remind_at_ms, t.call_at_ms, t.send_at_ms}));
  if (rows.empty()) return std::optional<int64_t>();
  return std::optional<int64_t>(rows[0].Int(0));
}

Result<care::CheckInRecord> SqlFollowUpPort::GetCheckIn(const std::string& tenant, int64_t id) {
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows rows,
      conn_.Query(std::string("SELECT ") + kCheckInColumns + " FROM care_check_ins c WHERE c.tenant_code = ? AND c.id = ?", {tenant, id}));
  if (rows.empty()) return NotFoundError("no such check-in", "check_in_not_found");
  return ReadCheckIn(rows[0]);
}

Result<std::optional<care::CheckInRecord>> SqlFollowUpPort::CheckInOn(const std::string& tenant, int64_t episode_id, booking::Day day) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn_.Query(std::string("SELECT ") + kCheckInColumns +
                                                        " FROM care_check_ins c WHERE c.tenant_code = ? AND c.episode_id = ? AND c.day = ?",
                                                    {tenant, episode_id, DayNumber(day)}));
  if (rows.empty()) return std::optional<care::CheckInRecord>();
  MADOGUCHI_ASSIGN_OR_RETURN(care::CheckInRecord c, ReadCheckIn(rows[0]));
  return std::optional<care::CheckInRecord>(std::move(c));
}

Result<std::vector<care::DueCheckIn>> SqlFollowUpPort::CheckInsToRemind(const std::string& tenant, int64_t now_ms, int limit) {
  return Due(conn_, "c.tenant_code = ? AND c.state = 'sent' AND c.remind_at <= ? AND e.state = 'active' ORDER BY c.remind_at, c.id LIMIT ?",
             {tenant, now_ms, int64_t{limit}});
}

Result<std::vector<care::DueCheckIn>> SqlFollowUpPort::CheckInsToMiss(const std::string& tenant, int64_t now_ms, int limit) {
  return Due(conn_,
             "c.tenant_code = ? AND c.state IN ('sent', 'reminded') AND c.call_at <= ? AND e.state = 'active' ORDER BY c.call_at, c.id "
             "LIMIT ?",
             {tenant, now_ms, int64_t{limit}});
}

Result<bool> SqlFollowUpPort::MoveCheckIn(const std::string& tenant, int64_t id, const std::vector<care::CheckInState>& from,
                                          care::CheckInState to, int64_t now_ms) {
  if (from.empty()) return false;
  const std::string to_name(care::CheckInStateName(to));
  std::string in;
  std::vector<Value> params{to_name, now_ms, to_name, now_ms, tenant, id};
  for (care::CheckInState s : from) {
    in += in.empty() ? "?" : ", ?";
    params.emplace_back(std::string(care::CheckInStateName(s)));
  }
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows rows,
      conn_.Query("UPDATE care_check_ins SET state = ?, updated_at = ?, answered_at = CASE WHEN ? = 'answered' THEN ? ELSE answered_at END "
                  "WHERE tenant_code = ? AND id = ? AND state IN (" +
                      in + ") RETURNING id",
                  params));
  return !rows.empty();
}

Result<std::vector<care::ReportRecord>> SqlFollowUpPort::Reports(const std::string& tenant, int64_t episode_id) {
  // An episode lasts weeks: its reports are a few dozen at most.
  return ReportsOf(conn_, tenant, episode_id, 500);
}

Result<int64_t> SqlFollowUpPort::InsertReport(const std::string& tenant, const care::ReportRecord& r) {
  const Value check_in = r.check_in_id ? Value(*r.check_in_id) : Value(nullptr);
  const Value report = r.report ? Value(formats::HealthReportJson(*r.report)) : Value(nullptr);
  const Value by = r.by_user ? Value(*r.by_user) : Value(nullptr);
  return conn_.InsertReturningId(
      "INSERT INTO care_reports (tenant_code, episode_id, check_in_id, source, report, priority, rule_id, rule_version, risk_score, at, "
      "by_user) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {tenant, r.episode_id, check_in, std::string(care::ReportSourceName(r.source)), report,
       std::string(care::PriorityName(r.classification.priority)), r.classification.rule_id, r.classification.version,
       int64_t{r.classification.risk_score}, r.at_ms, by});
}

Status SqlFollowUpPort::SetCallNeed(const std::string& tenant, int64_t episode_id, const std::optional<care::CallNeed>& need) {
  if (!need) {
    return conn_
        .Query(
            "UPDATE care_episodes SET call_priority = NULL, call_rule = NULL, call_score = NULL, call_from_missed = NULL, call_since = "
            "NULL WHERE tenant_code = ? AND id = ?",
            {tenant, episode_id})
        .status();
  }
  return conn_
      .Query(
          "UPDATE care_episodes SET call_priority = ?, call_rule = ?, call_score = ?, call_from_missed = ?, call_since = ? WHERE "
          "tenant_code = ? AND id = ?",
          {static_cast<int64_t>(need->priority), need->rule_id, int64_t{need->risk_score}, int64_t{need->from_missed ? 1 : 0},
           need->since_ms, tenant, episode_id})
      .status();
}

Result<int64_t> SqlFollowUpPort::InsertCall(const std::string& tenant, const care::CallRecord& c) {
  return conn_.InsertReturningId(
      "INSERT INTO care_calls (tenant_code, episode_id, operator_id, outcome, notes, at) VALUES (?, ?, ?, ?, ?, ?)",
      {tenant, c.episode_id, c.operator_id, std::string(care::CallOutcomeName(c.outcome)), c.notes, c.at_ms});
}

Result<bool> SqlFollowUpPort::EndEpisode(const std::string& tenant, int64_t id, int64_t now_ms) {
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows rows, conn_.Query("UPDATE care_episodes SET state = 'ended', ended_at = ? WHERE tenant_code = ? AND id = ? AND state = 'active' "
                             "RETURNING id",
                             {now_ms, tenant, id}));
  return !rows.empty();
}

Result<bool> SqlFollowUpPort::ExtendEpisode(const std::string& tenant, int64_t id, booking::Day planned_end_on, int64_t doctor, int64_t) {
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows rows,
      conn_.Query("UPDATE care_episodes SET planned_end_on = ?, extended_by = ? WHERE tenant_code = ? AND id = ? AND state = 'active' "
                  "RETURNING id",
                  {DayNumber(planned_end_on), doctor, tenant, id}));
  return !rows.empty();
}

Status SqlFollowUpPort::SetKitPhotoDeleteAfter(const std::string& tenant, int64_t application_id, int64_t delete_after_ms) {
  return conn_
      .Query("UPDATE care_photos SET delete_after = ? WHERE tenant_code = ? AND application_id = ? AND kind = 'kit' AND deleted_at IS NULL",
             {delete_after_ms, tenant, application_id})
      .status();
}

Result<std::optional<messaging::Message>> SqlFollowUpPort::AnsweredMessage(const std::string& tenant, int64_t message_id) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows,
                             conn_.Query(std::string("SELECT ") + kStoredMessageColumns + " FROM messages WHERE tenant_code = ? AND id = ?",
                                         {tenant, message_id}));
  if (rows.empty()) return std::optional<messaging::Message>();
  MADOGUCHI_ASSIGN_OR_RETURN(StoredMessage m, ReadStoredMessage(rows[0]));
  return std::optional<messaging::Message>(std::move(m.message));
}

Status SqlFollowUpPort::Enqueue(const std::vector<messaging::Message>& messages, int64_t now_ms) {
  return EnqueueMessages(conn_, messages, now_ms);
}

// ---- LINE links ----

namespace {

// Counted with the residents' guesses (the table's scopes are staff and resident), the subject
// named apart from a ticket's ("tenant:券番号"), the source "line:" and the tenant and LINE user.
constexpr std::string_view kLinkGuessScope = "resident";
std::string LinkSubject(const std::string& who) { return "care_link:" + who; }

Result<std::optional<care::FollowUpPort::LineLink>> LineLinkWhere(Connection& conn, const std::string& where,
                                                                  const std::vector<Value>& params) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query("SELECT l.application_id, COALESCE(l.line_user_id, ''), a.state, e.state "
                                                   "FROM care_line_links l JOIN care_applications a ON a.id = l.application_id "
                                                   "LEFT JOIN care_episodes e ON e.application_id = l.application_id WHERE " +
                                                       where,
                                                   params));
  if (rows.empty()) return std::optional<care::FollowUpPort::LineLink>();
  care::FollowUpPort::LineLink link;
  link.application_id = rows[0].Int(0);
  link.line_user_id = rows[0].Text(1);
  MADOGUCHI_ASSIGN_OR_RETURN(link.state, care::ParseApplicationState(rows[0].Text(2)));
  if (!rows[0].IsNull(3)) link.episode_active = rows[0].Text(3) == "active";
  return std::optional<care::FollowUpPort::LineLink>(link);
}

}  // namespace

Result<care::FollowUpPort::LineLink> SqlFollowUpPort::OfferLineLink(const std::string& tenant, int64_t application_id,
                                                                    const std::string& code_hash, int64_t now_ms) {
  // Only an application of the tenant's gets a link row.
  MADOGUCHI_RETURN_IF_ERROR(
      conn_
          .Query("INSERT INTO care_line_links (application_id, tenant_code, code_hash, offered_at) SELECT id, tenant_code, ?, ? "
                 "FROM care_applications WHERE tenant_code = ? AND id = ? ON CONFLICT (application_id) DO NOTHING",
                 {code_hash, now_ms, tenant, application_id})
          .status());
  MADOGUCHI_ASSIGN_OR_RETURN(std::optional<LineLink> link,
                             LineLinkWhere(conn_, "l.tenant_code = ? AND l.application_id = ?", {tenant, application_id}));
  if (!link) return NotFoundError("no such application", "application_not_found");
  return *link;
}

Result<std::optional<care::FollowUpPort::LineLink>> SqlFollowUpPort::FindLineLink(const std::string& tenant, const std::string& code_hash) {
  return LineLinkWhere(conn_, "l.tenant_code = ? AND l.code_hash = ?", {tenant, code_hash});
}

Result<bool> SqlFollowUpPort::SetLineUser(const std::string& tenant, int64_t application_id, const std::string& line_user_id,
                                          int64_t now_ms) {
  // Conditional, so two LINE users sending one word at once cannot both take it.
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows rows, conn_.Query("UPDATE care_line_links SET line_user_id = ?, linked_at = ? WHERE tenant_code = ? AND application_id = ? "
                             "AND line_user_id IS NULL RETURNING application_id",
                             {line_user_id, now_ms, tenant, application_id}));
  return !rows.empty();
}

Result<bool> SqlFollowUpPort::UnlinkApplication(const std::string& tenant, int64_t application_id) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows,
                             conn_.Query("UPDATE care_line_links SET line_user_id = NULL, linked_at = NULL WHERE tenant_code = ? "
                                         "AND application_id = ? AND line_user_id IS NOT NULL RETURNING application_id",
                                         {tenant, application_id}));
  return !rows.empty();
}

Status SqlFollowUpPort::ForgetLineUser(const std::string& tenant, const std::string& line_user_id) {
  return conn_
      .Query("UPDATE care_line_links SET line_user_id = NULL, linked_at = NULL WHERE tenant_code = ? AND line_user_id = ?",
             {tenant, line_user_id})
      .status();
}

Status SqlFollowUpPort::LockLinkGuesses(const std::string& who) { return LockGuessSubject(conn_, kLinkGuessScope, LinkSubject(who)); }

Result<accounts::FailureCounts> SqlFollowUpPort::LinkGuessFailures(const std::string& who, int64_t since_ms) {
  return CountGuessFailures(conn_, kLinkGuessScope, LinkSubject(who), "line:" + who, since_ms);
}

Result<int64_t> SqlFollowUpPort::RecordLinkGuess(const std::string& who, int64_t now_ms) {
  return RecordGuessFailure(conn_, kLinkGuessScope, LinkSubject(who), "line:" + who, now_ms, now_ms - 86'400'000);
}

Status SqlFollowUpPort::ForgetLinkGuess(int64_t id) { return ForgetGuessFailure(conn_, id); }

// ---- the pages' reads ----

Result<std::vector<std::string>> TenantsInHomeCare(Connection& conn) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows,
                             conn.Query("SELECT DISTINCT tenant_code FROM care_episodes WHERE state = 'active' ORDER BY tenant_code"));
  std::vector<std::string> out;
  for (const Row& r : rows) out.push_back(r.Text(0));
  return out;
}

Result<std::vector<CallListEntry>> ListCallList(Connection& conn, const std::string& tenant, booking::Day today, int limit) {
  return CallList(conn, tenant, today, 3, limit);
}

Result<int64_t> CountCallList(Connection& conn, const std::string& tenant) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query("SELECT COUNT(*) FROM care_episodes WHERE tenant_code = ? AND state = 'active' AND "
                                                   "call_priority IS NOT NULL",
                                                   {tenant}));
  return rows.empty() ? 0 : rows[0].Int(0);
}

Result<PatientRecord> GetPatientRecord(Connection& conn, const std::string& tenant, int64_t episode_id) {
  PatientRecord out;
  SqlFollowUpPort port(conn);
  MADOGUCHI_ASSIGN_OR_RETURN(out.episode, port.GetEpisode(tenant, episode_id));
  MADOGUCHI_ASSIGN_OR_RETURN(out.receipt, ReceiptOf(conn, out.episode.application_id));
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query(std::string("SELECT ") + kCheckInColumns +
                                                       " FROM care_check_ins c WHERE c.tenant_code = ? AND c.episode_id = ? "
                                                       "ORDER BY c.day DESC",
                                                   {tenant, episode_id}));
  for (const Row& r : rows) {
    MADOGUCHI_ASSIGN_OR_RETURN(care::CheckInRecord c, ReadCheckIn(r));
    out.check_ins.push_back(c);
  }
  MADOGUCHI_ASSIGN_OR_RETURN(out.reports, ReportsOf(conn, tenant, episode_id, 500));
  MADOGUCHI_ASSIGN_OR_RETURN(auto calls, CallsOf(conn, tenant, episode_id, 500));
  for (auto& [c, name] : calls) {
    out.calls.push_back(std::move(c));
    out.operator_names.push_back(std::move(name));
  }
  return out;
}

Result<CareDashboard> GetCareDashboard(Connection& conn, const std::string& tenant, int64_t now_ms) {
  CareDashboard d;
  const booking::Day today = JapanDay(now_ms);
  for (int i = 0; i < 7; ++i) d.days.push_back(DayCounts{today - std::chrono::days{i}});
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query("SELECT day, state, COUNT(*) FROM care_check_ins WHERE tenant_code = ? AND day > ? "
                                                   "GROUP BY day, state",
                                                   {tenant, DayNumber(today) - 7}));
  for (const Row& r : rows) {
    const int64_t back = DayNumber(today) - r.Int(0);
    if (back < 0 || back >= 7) continue;
    DayCounts& c = d.days[static_cast<size_t>(back)];
    const int64_t n = r.Int(2);
    c.sent += n;
    const std::string state = r.Text(1);
    if (state == "answered") c.answered += n;
    if (state == "reminded") c.reminded += n;
    if (state == "missed") c.missed += n;
  }
  MADOGUCHI_ASSIGN_OR_RETURN(rows, conn.Query("SELECT COUNT(*) FROM care_episodes WHERE tenant_code = ? AND state = 'active'", {tenant}));
  d.active_episodes = rows.empty() ? 0 : rows[0].Int(0);
  MADOGUCHI_ASSIGN_OR_RETURN(rows, conn.Query("SELECT call_priority, COUNT(*) FROM care_episodes WHERE tenant_code = ? AND state = "
                                              "'active' AND call_priority IS NOT NULL GROUP BY call_priority",
                                              {tenant}));
  for (const Row& r : rows) {
    if (r.Int(0) >= 0 && r.Int(0) <= 3) d.to_call[static_cast<size_t>(r.Int(0))] = r.Int(1);
  }
  MADOGUCHI_ASSIGN_OR_RETURN(d.open_p0, CallList(conn, tenant, today, 0, 50));
  MADOGUCHI_ASSIGN_OR_RETURN(
      rows, conn.Query("SELECT COUNT(*), COALESCE(SUM(CASE WHEN submitted_at < ? THEN 1 ELSE 0 END), 0) FROM care_applications WHERE "
                       "tenant_code = ? AND state = 'waiting'",
                       {now_ms - kDayMs, tenant}));
  if (!rows.empty()) {
    d.waiting_applications = rows[0].Int(0);
    d.overdue_applications = rows[0].Int(1);
  }
  MADOGUCHI_ASSIGN_OR_RETURN(
      rows, conn.Query("SELECT COUNT(*) FROM care_applications WHERE tenant_code = ? AND state = 'photo_requested'", {tenant}));
  d.photo_requested = rows.empty() ? 0 : rows[0].Int(0);
  return d;
}

}  // namespace madoguchi::store
