// src/care/service.hpp — the care core: a resident applies (the form read, the photos cleaned, the
// kit photo pre-read, the receipt sent), sends a new photo when asked, a doctor claims an
// application under a lease and decides; a confirmation opens the home-care episode. Each is one
// call, the same for pages, the API and the CLI.
//
// Storage is reached only through `CarePort`, a narrow interface over one connection inside the
// caller's transaction (src/store implements it; tests over memory). Decoding and reading photos is
// the slow part (milliseconds a photo): `Prepare` does it with no port, outside any transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "care/application.hpp"
#include "care/kit_read.hpp"
#include "care/photo.hpp"
#include "common/clock.hpp"
#include "common/status.hpp"
#include "messaging/message.hpp"

namespace madoguchi::care {

// An application as it is stored.
struct ApplicationRecord {
  int64_t id = 0;
  std::string tenant, receipt;
  ApplicationState state = ApplicationState::kWaiting;
  int queue_rank = 2;
  ApplicationForm form;
  std::string kit_photo, id_photo;  // references (content hashes); empty once deleted
  KitReading reading;               // the pre-read of the kit photo now held
  int automatic_returns = 0;        // photos the pre-read sent back
  int photos_sent = 1;
  int64_t submitted_at_ms = 0, updated_at_ms = 0;
  std::optional<int64_t> lease_doctor, lease_until_ms;
  std::optional<Decision> decision;  // the last one made
  std::string reason;
  std::optional<int64_t> decided_by, decided_at_ms;
  std::string line_user_id;  // the patient's LINE link (empty: none): notices go there instead of SMS
};

// What Submit stores.
struct NewApplication {
  std::string receipt;
  ApplicationForm form;
  std::string kit_photo, id_photo;  // KeepPhoto's references
  KitReading reading;
  Intake intake;
  int automatic_returns = 0;
  int64_t now_ms = 0;
};

// What a confirmation opens.
struct NewEpisode {
  EpisodePlan plan;
  booking::Day first_check_in_on{};  // FirstCheckInDay's
  EpisodePatient patient;
};

struct EpisodeRecord {
  int64_t id = 0, application_id = 0;
  booking::Day starts_on{}, planned_end_on{};
};

// Storage as the service needs it, for one tenant, inside the caller's transaction; errors are
// the database's unless a method says otherwise.
class CarePort {
 public:
  virtual ~CarePort() = default;
  // The tenant's settings as saved, the defaults where none are. kInternal "bad_stored_settings"
  // when saved ones do not read: never the defaults in their place.
  virtual Result<CareSettings> TenantSettings(const std::string& tenant) = 0;
  // Keeps a cleaned photo (JPEG, no metadata) and returns its reference (the same bytes, the same reference).
  virtual Result<std::string> KeepPhoto(const std::string& tenant, PhotoKind kind, const std::string& jpeg) = 0;
  // The new application's id. kAlreadyExists when its receipt number is taken.
  virtual Result<int64_t> InsertApplication(const std::string& tenant, const NewApplication& a) = 0;
  // kNotFound "application_not_found" (also another tenant's).
  virtual Result<ApplicationRecord> GetApplication(const std::string& tenant, int64_t id) = 0;
  // A new kit photo for an application awaiting one; false when it no longer is (it changed meanwhile).
  virtual Result<bool> ReplaceKitPhoto(const std::string& tenant, int64_t id, const std::string& photo, const KitReading& reading,
                                       const Intake& intake, int automatic_returns, int64_t now_ms) = 0;
  // Gives the waiting application to `doctor` until `until_ms` when nobody else holds it (a lease
  // that ran out is nobody's); false otherwise.
  virtual Result<bool> TakeLease(const std::string& tenant, int64_t id, int64_t doctor, int64_t now_ms, int64_t until_ms) = 0;
  // The first waiting application by rank and waiting time that nobody holds, given to `doctor`;
  // nullopt when there is none.
  virtual Result<std::optional<int64_t>> TakeNextLease(const std::string& tenant, int64_t doctor, int64_t now_ms, int64_t until_ms) = 0;
  // Ends the lease early (the doctor left it undecided).
  virtual Status ReleaseLease(const std::string& tenant, int64_t id, int64_t doctor) = 0;
  // Records the decision when `doctor` still holds the lease at `now_ms` and the application is
  // waiting; false otherwise (nothing changes).
  virtual Result<bool> RecordDecision(const std::string& tenant, int64_t id, int64_t doctor, Decision d, const std::string& reason,
                                      ApplicationState to, int64_t now_ms) = 0;
  virtual Result<int64_t> InsertEpisode(const std::string& tenant, int64_t application_id, const NewEpisode& episode, int64_t now_ms) = 0;
  // When the application's photo of `kind` is to be deleted.
  virtual Status SetPhotoDeleteAfter(const std::string& tenant, int64_t application_id, PhotoKind kind, int64_t delete_after_ms) = 0;
  virtual Status Enqueue(const std::vector<messaging::Message>& messages, int64_t now_ms) = 0;
};

// What a resident sent: the form's fields and the two photos' bytes.
struct ApplicationInput {
  FormFields fields;
  std::string kit_photo, id_photo;
};

// An application read and its photos made fit to keep, before anything is stored.
struct Prepared {
  Problems problems;        // not empty: the form does not read (or a photo is refused); nothing else is set
  Eligibility eligibility;  // not eligible: the screen's refusal, nothing else is set
  ApplicationForm form;
  std::string kit_jpeg, id_jpeg;
  KitReading reading;
  bool ok() const { return problems.empty() && eligibility.eligible; }
};

struct Applied {
  int64_t id = 0;
  std::string receipt;
  ApplicationState state = ApplicationState::kWaiting;
  KitReading reading;
  std::string status_token;  // StatusToken's
};

struct Decided {
  ApplicationRecord application;
  std::optional<EpisodeRecord> episode;
};

class CareService {
 public:
  // The lease a doctor holds an application under, renewed each time they open it.
  static constexpr int64_t kLeaseMs = 10 * 60'000;
  // How long a resident's status link opens.
  static constexpr int64_t kStatusLinkMs = 30LL * 86'400'000;

  // `clock` outlives the service; `status_secret` signs the residents' status links.
  CareService(const Clock& clock, std::string status_secret) : clock_(clock), secret_(std::move(status_secret)) {}

  // Reads the form (ReadApplicationForm), checks the screen (CheckScreen), cleans both photos
  // (CleanPhoto: problems on kit_photo / id_photo, "required" when one is missing) and pre-reads
  // the kit photo. No port: call it outside the transaction.
  Prepared Prepare(const ApplicationInput& input, const CareSettings& settings) const;

  // Stores a prepared application: the photos, the application in the queue (or back to the
  // resident when the pre-read cannot read the photo), the message with its receipt number and
  // status link. Errors: kInvalidArgument when `p` is not ok; the port's.
  Result<Applied> Submit(CarePort& port, const std::string& tenant, const Prepared& p) const;

  // A new kit photo sent on the status link, cleaned and pre-read (no port: outside the
  // transaction). Errors: kInvalidArgument on kit_photo: "required", CleanPhoto's.
  struct NewPhoto {
    std::string jpeg;
    KitReading reading;
  };
  Result<NewPhoto> PrepareNewPhoto(const std::string& kit_photo) const;
  // Stores it: the application waits for a doctor again, or goes back once more. Errors:
  // kFailedPrecondition "no_photo_asked" when the application is not awaiting a photo; the port's.
  Result<Applied> SendNewPhoto(CarePort& port, const std::string& tenant, int64_t id, const NewPhoto& photo) const;

  // The doctor takes application `id` (or, without one, the first waiting) under a lease.
  // Errors: kNotFound "application_not_found", "queue_empty"; kFailedPrecondition
  // "already_decided", "awaiting_photo"; kConflict "held_by_another" (another doctor holds it).
  Result<ApplicationRecord> Claim(CarePort& port, const std::string& tenant, int64_t doctor, std::optional<int64_t> id) const;

  // The doctor's decision on an application they hold: recorded with its reason; a confirmation
  // opens the home-care episode; the resident is told; photos get their retention. Errors:
  // CheckDecision's; kConflict "lease_lost" (the lease ran out and another doctor took it, or it
  // changed meanwhile).
  Result<Decided> Decide(CarePort& port, const std::string& tenant, int64_t doctor, int64_t id, Decision d,
                         const std::string& reason) const;

  // The signed status link's token for an application, and its reading back: nullopt when the
  // token is forged, another tenant's or expired.
  std::string StatusToken(const std::string& tenant, int64_t id, int64_t expires_at_ms) const;
  std::optional<int64_t> ReadStatusToken(const std::string& tenant, const std::string& token) const;

 private:
  std::vector<messaging::Message> NoticeFor(const std::string& tenant, const ApplicationRecord& a, const std::string& template_key,
                                            const std::string& dedupe, int64_t now_ms) const;

  const Clock& clock_;
  std::string secret_;
};

}  // namespace madoguchi::care
