#include "care/service.hpp"

#include <charconv>

#include "care/follow_up.hpp"
#include "common/crypto.hpp"
#include "common/time_format.hpp"

namespace madoguchi::care {

namespace {

constexpr std::string_view kStatusPurpose = "care_status";
constexpr int kReceiptAttempts = 5;

// The photo's problem under the form's field name.
Status OnField(const Status& s, const std::string& field) { return InvalidArgumentError(field, s.message(), s.key()); }

}  // namespace

Prepared CareService::Prepare(const ApplicationInput& input, const CareSettings& settings) const {
  Prepared p;
  const booking::Day today = JapanDay(clock_.NowMs());
  p.problems = ReadApplicationForm(input.fields, settings.eligibility, today, p.form);
  std::optional<CleanedPhoto> kit;
  for (auto [field, bytes] : {std::pair{"kit_photo", &input.kit_photo}, std::pair{"id_photo", &input.id_photo}}) {
    if (bytes->empty()) {
      p.problems.push_back(InvalidArgumentError(field, "is required", "required"));
      continue;
    }
    auto cleaned = CleanPhoto(*bytes, PhotoLimits{}, field);
    if (!cleaned.ok()) {
      p.problems.push_back(OnField(cleaned.status(), field));
      continue;
    }
    if (std::string_view(field) == "kit_photo") {
      p.kit_jpeg = cleaned->jpeg;
      kit = std::move(*cleaned);
    } else {
      p.id_jpeg = std::move(cleaned->jpeg);  // never analysed
    }
  }
  if (!p.problems.empty()) return p;
  auto eligibility = CheckScreen(p.form.screen, settings.eligibility, today);
  if (!eligibility.ok()) {
    p.problems.push_back(eligibility.status());
    return p;
  }
  p.eligibility = *eligibility;
  if (!p.eligibility.eligible) return p;
  auto reading = ReadKit(kit->bgr);
  if (!reading.ok()) {
    p.problems.push_back(OnField(reading.status(), "kit_photo"));
    return p;
  }
  p.reading = *reading;
  return p;
}

std::vector<messaging::Message> CareService::NoticeFor(const std::string& tenant, const ApplicationRecord& a,
                                                       const std::string& template_key, const std::string& dedupe, int64_t now_ms) const {
  messaging::Message m;
  m.tenant = tenant;
  // Linked in LINE (follow_up.hpp): there instead of the SMS.
  m.address = a.line_user_id.empty() ? a.form.applicant.phone : a.line_user_id;
  m.channels = {a.line_user_id.empty() ? messaging::Delivery::kSms : messaging::Delivery::kLine};
  m.template_key = template_key;
  m.purpose = messaging::Purpose::kKitReview;
  m.due_at_ms = now_ms;
  m.dedupe_key = "care:" + std::to_string(a.id) + ":" + dedupe;
  const int64_t link_expires = a.submitted_at_ms + kStatusLinkMs;
  m.variables["receipt"] = ReceiptInGroups(a.receipt);
  m.variables["application_id"] = a.id;
  if (link_expires > now_ms) {
    m.variables["link_path"] = "/r/" + tenant + "/care/s/" + StatusToken(tenant, a.id, link_expires);
    m.variables["link_expires_ms"] = link_expires;
  }
  std::vector<messaging::Message> out{m};
  if (!a.form.applicant.email.empty()) {
    messaging::Message e = m;
    e.address = a.form.applicant.email;
    e.channels = {messaging::Delivery::kEmail};
    e.dedupe_key += ":email";
    out.push_back(std::move(e));
  }
  return out;
}

Result<Applied> CareService::Submit(CarePort& port, const std::string& tenant, const Prepared& p) const {
  if (!p.ok()) return InvalidArgumentError("application", "the application was not prepared", "not_prepared");
  const int64_t now = clock_.NowMs();
  NewApplication a;
  a.form = p.form;
  a.reading = p.reading;
  a.intake = IntakeOf(p.reading, 0);
  a.automatic_returns = a.intake.state == ApplicationState::kPhotoRequested ? 1 : 0;
  a.now_ms = now;
  MADOGUCHI_ASSIGN_OR_RETURN(a.kit_photo, port.KeepPhoto(tenant, PhotoKind::kKit, p.kit_jpeg));
  MADOGUCHI_ASSIGN_OR_RETURN(a.id_photo, port.KeepPhoto(tenant, PhotoKind::kId, p.id_jpeg));
  std::optional<int64_t> id;
  for (int attempt = 0; attempt < kReceiptAttempts && !id; ++attempt) {
    a.receipt = NewReceiptNumber();
    auto inserted = port.InsertApplication(tenant, a);
    if (inserted.ok()) {
      id = *inserted;
    } else if (inserted.status().code() != StatusCode::kAlreadyExists) {
      return inserted.status();
    }
  }
  if (!id) return InternalError("no free receipt number after several draws", "receipt_exhausted");
  MADOGUCHI_ASSIGN_OR_RETURN(ApplicationRecord rec, port.GetApplication(tenant, *id));
  const bool returned = rec.state == ApplicationState::kPhotoRequested;
  MADOGUCHI_RETURN_IF_ERROR(
      port.Enqueue(NoticeFor(tenant, rec, returned ? "care_photo_retake" : "care_received", returned ? "retake:1" : "received", now), now));
  return Applied{rec.id, rec.receipt, rec.state, rec.reading, StatusToken(tenant, rec.id, rec.submitted_at_ms + kStatusLinkMs)};
}

Result<CareService::NewPhoto> CareService::PrepareNewPhoto(const std::string& kit_photo) const {
  if (kit_photo.empty()) return InvalidArgumentError("kit_photo", "is required", "required");
  auto cleaned = CleanPhoto(kit_photo, PhotoLimits{}, "kit_photo");
  if (!cleaned.ok()) return OnField(cleaned.status(), "kit_photo");
  MADOGUCHI_ASSIGN_OR_RETURN(KitReading reading, ReadKit(cleaned->bgr));
  return NewPhoto{std::move(cleaned->jpeg), reading};
}

Result<Applied> CareService::SendNewPhoto(CarePort& port, const std::string& tenant, int64_t id, const NewPhoto& photo) const {
  MADOGUCHI_ASSIGN_OR_RETURN(ApplicationRecord rec, port.GetApplication(tenant, id));
  if (rec.state != ApplicationState::kPhotoRequested) return FailedPreconditionError("no new photo is asked for", "no_photo_asked");
  const KitReading& reading = photo.reading;
  // A photo a doctor asked for goes to a doctor; one the pre-read sent back is read again.
  const bool doctor_asked = rec.decision == Decision::kUnclearPhoto;
  Intake intake = doctor_asked ? Intake{ApplicationState::kWaiting, reading.category == KitCategory::kReadable ? 0 : 2}
                               : IntakeOf(reading, rec.automatic_returns);
  const int returns = rec.automatic_returns + (intake.state == ApplicationState::kPhotoRequested ? 1 : 0);
  const int64_t now = clock_.NowMs();
  MADOGUCHI_ASSIGN_OR_RETURN(std::string ref, port.KeepPhoto(tenant, PhotoKind::kKit, photo.jpeg));
  MADOGUCHI_ASSIGN_OR_RETURN(bool replaced, port.ReplaceKitPhoto(tenant, id, ref, reading, intake, returns, now));
  if (!replaced) return ConflictError("the application changed meanwhile", "changed_meanwhile");
  MADOGUCHI_ASSIGN_OR_RETURN(rec, port.GetApplication(tenant, id));
  if (rec.state == ApplicationState::kPhotoRequested) {
    MADOGUCHI_RETURN_IF_ERROR(
        port.Enqueue(NoticeFor(tenant, rec, "care_photo_retake", "retake:" + std::to_string(rec.photos_sent), now), now));
  }
  return Applied{rec.id, rec.receipt, rec.state, rec.reading, StatusToken(tenant, rec.id, rec.submitted_at_ms + kStatusLinkMs)};
}

Result<ApplicationRecord> CareService::Claim(CarePort& port, const std::string& tenant, int64_t doctor, std::optional<int64_t> id) const {
  const int64_t now = clock_.NowMs();
  if (!id) {
    MADOGUCHI_ASSIGN_OR_RETURN(id, port.TakeNextLease(tenant, doctor, now, now + kLeaseMs));
    if (!id) return NotFoundError("no application is waiting", "queue_empty");
    return port.GetApplication(tenant, *id);
  }
  MADOGUCHI_ASSIGN_OR_RETURN(ApplicationRecord rec, port.GetApplication(tenant, *id));
  if (IsDecided(rec.state)) return FailedPreconditionError("the application is decided already", "already_decided");
  if (rec.state == ApplicationState::kPhotoRequested) return FailedPreconditionError("a new photo is awaited", "awaiting_photo");
  MADOGUCHI_ASSIGN_OR_RETURN(bool taken, port.TakeLease(tenant, *id, doctor, now, now + kLeaseMs));
  if (!taken) return ConflictError("another doctor is reviewing this application", "held_by_another");
  return port.GetApplication(tenant, *id);
}

Result<Decided> CareService::Decide(CarePort& port, const std::string& tenant, int64_t doctor, int64_t id, Decision d,
                                    const std::string& reason) const {
  MADOGUCHI_ASSIGN_OR_RETURN(ApplicationRecord rec, port.GetApplication(tenant, id));
  MADOGUCHI_RETURN_IF_ERROR(CheckDecision(rec.state, d, reason));
  const int64_t now = clock_.NowMs();
  const ApplicationState to = StateAfter(d);
  MADOGUCHI_ASSIGN_OR_RETURN(bool recorded, port.RecordDecision(tenant, id, doctor, d, reason, to, now));
  if (!recorded) return ConflictError("your review time ran out and the application changed; open it again", "lease_lost");
  MADOGUCHI_ASSIGN_OR_RETURN(CareSettings settings, port.TenantSettings(tenant));
  Decided out;
  std::optional<booking::Day> episode_end;
  if (d == Decision::kConfirm) {
    const EpisodePlan plan = PlanEpisode(rec.form, JapanDay(now), settings.episode);
    const NewEpisode episode{plan, FirstCheckInDay(now, settings.check_in), EpisodePatientOf(rec.form, JapanDay(now))};
    MADOGUCHI_ASSIGN_OR_RETURN(int64_t episode_id, port.InsertEpisode(tenant, id, episode, now));
    out.episode = EpisodeRecord{episode_id, id, plan.starts_on, plan.planned_end_on};
    episode_end = plan.planned_end_on;
  }
  if (d != Decision::kUnclearPhoto) {
    MADOGUCHI_RETURN_IF_ERROR(
        port.SetPhotoDeleteAfter(tenant, id, PhotoKind::kId, PhotoDeleteAfterMs(PhotoKind::kId, now, episode_end, settings.episode)));
    MADOGUCHI_RETURN_IF_ERROR(
        port.SetPhotoDeleteAfter(tenant, id, PhotoKind::kKit, PhotoDeleteAfterMs(PhotoKind::kKit, now, episode_end, settings.episode)));
  }
  MADOGUCHI_ASSIGN_OR_RETURN(out.application, port.GetApplication(tenant, id));
  static constexpr std::pair<Decision, const char*> kTemplates[] = {{Decision::kConfirm, "care_confirmed"},
                                                                    {Decision::kCannotConfirm, "care_not_confirmed"},
                                                                    {Decision::kUnclearPhoto, "care_photo_retake"},
                                                                    {Decision::kNotEligible, "care_see_clinic"}};
  std::string key;
  for (const auto& [decision, k] : kTemplates) {
    if (decision == d) key = k;
  }
  std::vector<messaging::Message> notices =
      NoticeFor(tenant, out.application, key, "decided:" + std::to_string(out.application.photos_sent), now);
  if (out.episode) {
    for (auto& m : notices) {
      m.variables["end_day_ms"] = JapanMidnightMs(out.episode->planned_end_on);
    }
  }
  MADOGUCHI_RETURN_IF_ERROR(port.Enqueue(notices, now));
  return out;
}

std::string CareService::StatusToken(const std::string& tenant, int64_t id, int64_t expires_at_ms) const {
  return crypto::SignTenantRecord(secret_, kStatusPurpose, tenant, id, expires_at_ms);
}

std::optional<int64_t> CareService::ReadStatusToken(const std::string& tenant, const std::string& token) const {
  return crypto::VerifyTenantRecord(secret_, kStatusPurpose, tenant, token, clock_.NowMs());
}

}  // namespace madoguchi::care
