// src/store/care/applications.hpp — home-test applications over SQL: care::CarePort on one
// connection inside the caller's transaction, and the reads the doctors' pages make.
//
// Concurrency: a lease is taken by one `UPDATE … WHERE id = ? AND state = 'waiting' AND
// (lease_until IS NULL OR lease_until < now OR lease_doctor = me)`: one row, atomic on both
// backends (PostgreSQL re-checks the WHERE on the row's latest version; SQLite has one writer), so
// two doctors never hold one application. The next in the queue is taken with `FOR UPDATE SKIP
// LOCKED` on PostgreSQL. A decision is recorded only by the lease's holder while it runs.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "care/service.hpp"
#include "store/care/photo_files.hpp"
#include "store/database.hpp"

namespace madoguchi::store {

class SqlCarePort final : public care::CarePort {
 public:
  // `conn` and `files` outlive the port.
  SqlCarePort(Connection& conn, const PhotoFiles& files) : conn_(conn), files_(files) {}

  Result<care::CareSettings> TenantSettings(const std::string& tenant) override;
  Result<std::string> KeepPhoto(const std::string& tenant, care::PhotoKind kind, const std::string& jpeg) override;
  Result<int64_t> InsertApplication(const std::string& tenant, const care::NewApplication& a) override;
  Result<care::ApplicationRecord> GetApplication(const std::string& tenant, int64_t id) override;
  Result<bool> ReplaceKitPhoto(const std::string& tenant, int64_t id, const std::string& photo, const care::KitReading& reading,
                               const care::Intake& intake, int automatic_returns, int64_t now_ms) override;
  Result<bool> TakeLease(const std::string& tenant, int64_t id, int64_t doctor, int64_t now_ms, int64_t until_ms) override;
  Result<std::optional<int64_t>> TakeNextLease(const std::string& tenant, int64_t doctor, int64_t now_ms, int64_t until_ms) override;
  Status ReleaseLease(const std::string& tenant, int64_t id, int64_t doctor) override;
  Result<bool> RecordDecision(const std::string& tenant, int64_t id, int64_t doctor, care::Decision d, const std::string& reason,
                              care::ApplicationState to, int64_t now_ms) override;
  Result<int64_t> InsertEpisode(const std::string& tenant, int64_t application_id, const care::NewEpisode& episode,
                                int64_t now_ms) override;
  Status SetPhotoDeleteAfter(const std::string& tenant, int64_t application_id, care::PhotoKind kind, int64_t delete_after_ms) override;
  Status Enqueue(const std::vector<messaging::Message>& messages, int64_t now_ms) override;

 private:
  Connection& conn_;
  const PhotoFiles& files_;
};

// A line of the doctors' queue.
struct QueueEntry {
  int64_t id = 0;
  std::string receipt;
  int queue_rank = 2;
  std::string category;  // the pre-read's
  double test_line = 0;
  int64_t submitted_at_ms = 0;
  std::optional<int64_t> lease_doctor;  // someone holds it now
  std::string lease_doctor_name;
};
struct QueuePage {
  std::vector<QueueEntry> entries;
  int64_t waiting = 0;  // all waiting applications of the tenant
};
// The waiting applications by rank and waiting time, `limit` from `offset`. Errors: the database's.
Result<QueuePage> ListQueue(Connection& conn, const std::string& tenant, int64_t now_ms, int limit, int offset);

// The episode a confirmation opened, if any. Errors: the database's.
Result<std::optional<care::EpisodeRecord>> FindEpisode(Connection& conn, const std::string& tenant, int64_t application_id);

// Applications counted by state (for the dashboard). Errors: the database's.
Result<std::vector<std::pair<std::string, int64_t>>> CountApplicationsByState(Connection& conn, const std::string& tenant);

// The reference of the application's photo of `kind` now held; nullopt when deleted or none.
Result<std::optional<std::string>> CurrentPhoto(Connection& conn, const std::string& tenant, int64_t application_id, care::PhotoKind kind);

// Deletes the photos whose time has come (delete_after ≤ now): the row is marked deleted and the
// file removed unless another row still holds the same file. Returns how many were deleted.
// Errors: the database's, the files'.
Result<int> SweepPhotos(Connection& conn, const PhotoFiles& files, int64_t now_ms);

// The confirmed cases decided on the Japan day starting at `day_start_ms`, for the health centre's
// daily list: receipt, decided_at, then the answers' JSON. Errors: the database's.
struct ConfirmedCase {
  int64_t application_id = 0;
  std::string receipt;
  int64_t decided_at_ms = 0;
  care::ApplicationForm form;
  booking::Day starts_on{}, planned_end_on{};
};
Result<std::vector<ConfirmedCase>> ConfirmedOn(Connection& conn, const std::string& tenant, int64_t day_start_ms, int64_t day_end_ms);

}  // namespace madoguchi::store
