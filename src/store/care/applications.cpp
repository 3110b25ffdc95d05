// src/store/care/applications.cpp — see applications.hpp.
#include "store/care/applications.hpp"

#include "formats/care_records.hpp"
#include "store/care/settings.hpp"
#include "store/outbox/messages.hpp"

namespace madoguchi::store {
namespace {

constexpr char kColumns[] =
    "id, tenant_code, receipt, state, queue_rank, answers, reading, automatic_returns, photos_sent, submitted_at, updated_at, "
    "lease_doctor, lease_until, decision, reason, decided_by, decided_at, "
    "COALESCE((SELECT l.line_user_id FROM care_line_links l WHERE l.application_id = care_applications.id), '')";

int64_t DayNumber(booking::Day d) { return d.time_since_epoch().count(); }
booking::Day DayOf(int64_t n) { return booking::Day{std::chrono::days{n}}; }

std::string KindName(care::PhotoKind k) { return std::string(care::PhotoKindName(k)); }

Result<care::ApplicationRecord> ReadApplication(const Row& r) {
  care::ApplicationRecord a;
  a.id = r.Int(0);
  a.tenant = r.Text(1);
  a.receipt = r.Text(2);
  MADOGUCHI_ASSIGN_OR_RETURN(a.state, care::ParseApplicationState(r.Text(3)));
  a.queue_rank = static_cast<int>(r.Int(4));
  MADOGUCHI_ASSIGN_OR_RETURN(a.form, formats::ParseApplicationFormJson(r.Text(5)));
  MADOGUCHI_ASSIGN_OR_RETURN(a.reading, formats::ParseKitReadingJson(r.Text(6)));
  a.automatic_returns = static_cast<int>(r.Int(7));
  a.photos_sent = static_cast<int>(r.Int(8));
  a.submitted_at_ms = r.Int(9);
  a.updated_at_ms = r.Int(10);
  if (!r.IsNull(11)) a.lease_doctor = r.Int(11);
  if (!r.IsNull(12)) a.lease_until_ms = r.Int(12);
  if (!r.IsNull(13)) {
    auto d = care::ParseDecision(r.Text(13));
    if (!d.ok()) return InternalError("a stored decision does not read", "bad_stored_application");
    a.decision = *d;
  }
  a.reason = r.Text(14);
  if (!r.IsNull(15)) a.decided_by = r.Int(15);
  if (!r.IsNull(16)) a.decided_at_ms = r.Int(16);
  a.line_user_id = r.Text(17);
  return a;
}

Status InsertPhoto(Connection& conn, const std::string& tenant, int64_t application_id, care::PhotoKind kind, const std::string& ref,
                   int64_t now_ms) {
  return conn
      .Query("INSERT INTO care_photos (tenant_code, application_id, kind, ref, is_current, created_at) VALUES (?, ?, ?, ?, 1, ?)",
             {tenant, application_id, KindName(kind), ref, now_ms})
      .status();
}

}  // namespace

Result<care::CareSettings> SqlCarePort::TenantSettings(const std::string& tenant) { return LoadCareSettings(conn_, tenant); }

Result<std::string> SqlCarePort::KeepPhoto(const std::string& tenant, care::PhotoKind kind, const std::string& jpeg) {
  return files_.Write(tenant, kind, jpeg);
}

Result<int64_t> SqlCarePort::InsertApplication(const std::string& tenant, const care::NewApplication& a) {
  MADOGUCHI_ASSIGN_OR_RETURN(
      int64_t id,
      conn_.InsertReturningId(
          "INSERT INTO care_applications (tenant_code, receipt, state, queue_rank, answers, family_kana, phone, reading, category, "
          "test_line, automatic_returns, photos_sent, submitted_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
          {tenant, a.receipt, std::string(care::ApplicationStateName(a.intake.state)), int64_t{a.intake.queue_rank},
           formats::ApplicationFormJson(a.form), a.form.applicant.family_kana + a.form.applicant.given_kana, a.form.applicant.phone,
           formats::KitReadingJson(a.reading), std::string(care::KitCategoryName(a.reading.category)), a.reading.test_line,
           int64_t{a.automatic_returns}, a.now_ms, a.now_ms}));
  MADOGUCHI_RETURN_IF_ERROR(InsertPhoto(conn_, tenant, id, care::PhotoKind::kKit, a.kit_photo, a.now_ms));
  MADOGUCHI_RETURN_IF_ERROR(InsertPhoto(conn_, tenant, id, care::PhotoKind::kId, a.id_photo, a.now_ms));
  return id;
}

Result<care::ApplicationRecord> SqlCarePort::GetApplication(const std::string& tenant, int64_t id) {
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows rows, conn_.Query(std::string("SELECT ") + kColumns + " FROM care_applications WHERE tenant_code = ? AND id = ?", {tenant, id}));
  if (rows.empty()) return NotFoundError("no such application", "application_not_found");
  MADOGUCHI_ASSIGN_OR_RETURN(care::ApplicationRecord a, ReadApplication(rows[0]));
  MADOGUCHI_ASSIGN_OR_RETURN(auto kit, CurrentPhoto(conn_, tenant, id, care::PhotoKind::kKit));
  MADOGUCHI_ASSIGN_OR_RETURN(auto id_photo, CurrentPhoto(conn_, tenant, id, care::PhotoKind::kId));
  a.kit_photo = kit.value_or("");
  a.id_photo = id_photo.value_or("");
  return a;
}

Result<bool> SqlCarePort::ReplaceKitPhoto(const std::string& tenant, int64_t id, const std::string& photo, const care::KitReading& reading,
                                          const care::Intake& intake, int automatic_returns, int64_t now_ms) {
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows rows,
      conn_.Query(
          "UPDATE care_applications SET state = ?, queue_rank = ?, reading = ?, category = ?, test_line = ?, automatic_returns = ?, "
          "photos_sent = photos_sent + 1, updated_at = ? WHERE tenant_code = ? AND id = ? AND state = 'photo_requested' RETURNING id",
          {std::string(care::ApplicationStateName(intake.state)), int64_t{intake.queue_rank}, formats::KitReadingJson(reading),
           std::string(care::KitCategoryName(reading.category)), reading.test_line, int64_t{automatic_returns}, now_ms, tenant, id}));
  if (rows.empty()) return false;
  // The photo it replaces is deleted with the others (a decision sets when); it is no longer shown.
  MADOGUCHI_RETURN_IF_ERROR(
      conn_.Query("UPDATE care_photos SET is_current = 0 WHERE application_id = ? AND kind = 'kit' AND is_current = 1", {id}).status());
  MADOGUCHI_RETURN_IF_ERROR(InsertPhoto(conn_, tenant, id, care::PhotoKind::kKit, photo, now_ms));
  return true;
}

Result<bool> SqlCarePort::TakeLease(const std::string& tenant, int64_t id, int64_t doctor, int64_t now_ms, int64_t until_ms) {
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows rows, conn_.Query("UPDATE care_applications SET lease_doctor = ?, lease_until = ? WHERE tenant_code = ? AND id = ? AND state = "
                             "'waiting' AND (lease_until IS NULL OR lease_until < ? OR lease_doctor = ?) RETURNING id",
                             {doctor, until_ms, tenant, id, now_ms, doctor}));
  return !rows.empty();
}

Result<std::optional<int64_t>> SqlCarePort::TakeNextLease(const std::string& tenant, int64_t doctor, int64_t now_ms, int64_t until_ms) {
  const std::string lock = conn_.backend() == Backend::kPostgres ? " FOR UPDATE SKIP LOCKED" : "";
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows rows,
      conn_.Query("UPDATE care_applications SET lease_doctor = ?, lease_until = ? WHERE id = (SELECT id FROM care_applications WHERE "
                  "tenant_code = ? AND state = 'waiting' AND (lease_until IS NULL OR lease_until < ?) ORDER BY queue_rank, submitted_at, "
                  "id LIMIT 1" +
                      lock + ") AND state = 'waiting' AND (lease_until IS NULL OR lease_until < ?) RETURNING id",
                  {doctor, until_ms, tenant, now_ms, now_ms}));
  if (rows.empty()) return std::optional<int64_t>{};
  return std::optional<int64_t>(rows[0].Int(0));
}

Status SqlCarePort::ReleaseLease(const std::string& tenant, int64_t id, int64_t doctor) {
  return conn_
      .Query("UPDATE care_applications SET lease_doctor = NULL, lease_until = NULL WHERE tenant_code = ? AND id = ? AND lease_doctor = ?",
             {tenant, id, doctor})
      .status();
}

Result<bool> SqlCarePort::RecordDecision(const std::string& tenant, int64_t id, int64_t doctor, care::Decision d, const std::string& reason,
                                         care::ApplicationState to, int64_t now_ms) {
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows rows,
      conn_.Query("UPDATE care_applications SET state = ?, decision = ?, reason = ?, decided_by = ?, decided_at = ?, updated_at = ?, "
                  "lease_doctor = NULL, lease_until = NULL WHERE tenant_code = ? AND id = ? AND state = 'waiting' AND lease_doctor = ? "
                  "AND lease_until >= ? RETURNING id",
                  {std::string(care::ApplicationStateName(to)), std::string(care::DecisionName(d)), reason, doctor, now_ms, now_ms, tenant,
                   id, doctor, now_ms}));
  return !rows.empty();
}

Result<int64_t> SqlCarePort::InsertEpisode(const std::string& tenant, int64_t application_id, const care::NewEpisode& e, int64_t now_ms) {
  const care::EpisodePatient& p = e.patient;
  return conn_.InsertReturningId(
      "INSERT INTO care_episodes (tenant_code, application_id, state, starts_on, planned_end_on, created_at, first_check_in_on, name, kana, "
      "phone, email, contact, age, risk_factors) VALUES (?, ?, 'active', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {tenant, application_id, DayNumber(e.plan.starts_on), DayNumber(e.plan.planned_end_on), now_ms, DayNumber(e.first_check_in_on),
       p.name, p.kana, p.phone, p.email, std::string(care::ContactName(p.contact)), int64_t{p.patient.age},
       int64_t{p.patient.risk_factors}});
}

Status SqlCarePort::SetPhotoDeleteAfter(const std::string& tenant, int64_t application_id, care::PhotoKind kind, int64_t delete_after_ms) {
  return conn_
      .Query("UPDATE care_photos SET delete_after = ? WHERE tenant_code = ? AND application_id = ? AND kind = ? AND deleted_at IS NULL",
             {delete_after_ms, tenant, application_id, KindName(kind)})
      .status();
}

Status SqlCarePort::Enqueue(const std::vector<messaging::Message>& messages, int64_t now_ms) {
  return EnqueueMessages(conn_, messages, now_ms);
}

Result<QueuePage> ListQueue(Connection& conn, const std::string& tenant, int64_t now_ms, int limit, int offset) {
  QueuePage page;
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows rows,
      conn.Query("SELECT a.id, a.receipt, a.queue_rank, a.category, a.test_line, a.submitted_at, CASE WHEN a.lease_until >= ? THEN "
                 "a.lease_doctor END, u.display_name FROM care_applications a LEFT JOIN users u ON u.id = a.lease_doctor AND "
                 "a.lease_until >= ? WHERE a.tenant_code = ? AND a.state = 'waiting' ORDER BY a.queue_rank, a.submitted_at, a.id LIMIT ? "
                 "OFFSET ?",
                 {now_ms, now_ms, tenant, int64_t{limit}, int64_t{offset}}));
  for (const Row& r : rows) {
    QueueEntry e;
    e.id = r.Int(0);
    e.receipt = r.Text(1);
    e.queue_rank = static_cast<int>(r.Int(2));
    e.category = r.Text(3);
    e.test_line = r.Double(4);
    e.submitted_at_ms = r.Int(5);
    if (!r.IsNull(6)) e.lease_doctor = r.Int(6);
    e.lease_doctor_name = r.Text(7);
    page.entries.push_back(std::move(e));
  }
  MADOGUCHI_ASSIGN_OR_RETURN(Rows count,
                             conn.Query("SELECT COUNT(*) FROM care_applications WHERE tenant_code = ? AND state = 'waiting'", {tenant}));
  page.waiting = count.empty() ? 0 : count[0].Int(0);
  return page;
}

Result<std::optional<care::EpisodeRecord>> FindEpisode(Connection& conn, const std::string& tenant, int64_t application_id) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query("SELECT id, starts_on, planned_end_on FROM care_episodes WHERE tenant_code = ? AND "
                                                   "application_id = ?",
                                                   {tenant, application_id}));
  if (rows.empty()) return std::optional<care::EpisodeRecord>{};
  return std::optional<care::EpisodeRecord>(
      care::EpisodeRecord{rows[0].Int(0), application_id, DayOf(rows[0].Int(1)), DayOf(rows[0].Int(2))});
}

Result<std::vector<std::pair<std::string, int64_t>>> CountApplicationsByState(Connection& conn, const std::string& tenant) {
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows rows, conn.Query("SELECT state, COUNT(*) FROM care_applications WHERE tenant_code = ? GROUP BY state ORDER BY state", {tenant}));
  std::vector<std::pair<std::string, int64_t>> out;
  for (const Row& r : rows) out.emplace_back(r.Text(0), r.Int(1));
  return out;
}

Result<std::optional<std::string>> CurrentPhoto(Connection& conn, const std::string& tenant, int64_t application_id, care::PhotoKind kind) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query("SELECT ref FROM care_photos WHERE tenant_code = ? AND application_id = ? AND kind = ? "
                                                   "AND is_current = 1 AND deleted_at IS NULL ORDER BY id DESC LIMIT 1",
                                                   {tenant, application_id, KindName(kind)}));
  if (rows.empty()) return std::optional<std::string>{};
  return std::optional<std::string>(rows[0].Text(0));
}

Result<int> SweepPhotos(Connection& conn, const PhotoFiles& files, int64_t now_ms) {
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows due, conn.Query("UPDATE care_photos SET deleted_at = ? WHERE delete_after <= ? AND deleted_at IS NULL RETURNING tenant_code, "
                           "kind, ref",
                           {now_ms, now_ms}));
  int deleted = 0;
  for (const Row& r : due) {
    const std::string tenant = r.Text(0), kind_name = r.Text(1), ref = r.Text(2);
    const care::PhotoKind kind = kind_name == "id" ? care::PhotoKind::kId : care::PhotoKind::kKit;
    MADOGUCHI_ASSIGN_OR_RETURN(Rows still, conn.Query("SELECT 1 FROM care_photos WHERE tenant_code = ? AND kind = ? AND ref = ? AND "
                                                      "deleted_at IS NULL LIMIT 1",
                                                      {tenant, kind_name, ref}));
    if (still.empty()) MADOGUCHI_RETURN_IF_ERROR(files.Remove(tenant, kind, ref));
    ++deleted;
  }
  return deleted;
}

Result<std::vector<ConfirmedCase>> ConfirmedOn(Connection& conn, const std::string& tenant, int64_t day_start_ms, int64_t day_end_ms) {
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows rows, conn.Query("SELECT a.id, a.receipt, a.decided_at, a.answers, e.starts_on, e.planned_end_on FROM care_applications a JOIN "
                            "care_episodes e ON e.application_id = a.id WHERE a.tenant_code = ? AND a.state = 'confirmed' AND "
                            "a.decided_at >= ? AND a.decided_at < ? ORDER BY a.decided_at, a.id",
                            {tenant, day_start_ms, day_end_ms}));
  std::vector<ConfirmedCase> out;
  for (const Row& r : rows) {
    ConfirmedCase c;
    c.application_id = r.Int(0);
    c.receipt = r.Text(1);
    c.decided_at_ms = r.Int(2);
    MADOGUCHI_ASSIGN_OR_RETURN(c.form, formats::ParseApplicationFormJson(r.Text(3)));
    c.starts_on = DayOf(r.Int(4));
    c.planned_end_on = DayOf(r.Int(5));
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace madoguchi::store
