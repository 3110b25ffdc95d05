// src/store/care/follow_up.hpp — daily health observation over SQL: care::FollowUpPort on one
// connection inside the caller's transaction, and the reads the operators' and supervisors' pages
// make (the call list, a patient's record, the dashboard).
//
// Concurrency: a check-in is one row per episode and day (UNIQUE, inserted ON CONFLICT DO
// NOTHING); every move is one `UPDATE … WHERE state IN (…) RETURNING id`, so two rounds running at
// once (two processes on PostgreSQL) make each step once, and the outbox's dedupe keys make each
// message once.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "care/follow_up.hpp"
#include "store/database.hpp"

namespace madoguchi::store {

class SqlFollowUpPort final : public care::FollowUpPort {
 public:
  explicit SqlFollowUpPort(Connection& conn) : conn_(conn) {}

  Result<care::CareSettings> TenantSettings(const std::string& tenant) override;
  Result<care::EpisodeView> GetEpisode(const std::string& tenant, int64_t id) override;
  Result<std::vector<care::EpisodeView>> EpisodesToCheckIn(const std::string& tenant, booking::Day day, int limit) override;
  Result<std::vector<care::EpisodeView>> EpisodesPastEnd(const std::string& tenant, booking::Day day, int limit) override;
  Result<std::optional<int64_t>> InsertCheckIn(const std::string& tenant, int64_t episode_id, booking::Day day,
                                               const care::CheckInTimes& times) override;
  Result<care::CheckInRecord> GetCheckIn(const std::string& tenant, int64_t id) override;
  Result<std::optional<care::CheckInRecord>> CheckInOn(const std::string& tenant, int64_t episode_id, booking::Day day) override;
  Result<std::vector<care::DueCheckIn>> CheckInsToRemind(const std::string& tenant, int64_t now_ms, int limit) override;
  Result<std::vector<care::DueCheckIn>> CheckInsToMiss(const std::string& tenant, int64_t now_ms, int limit) override;
  Result<bool> MoveCheckIn(const std::string& tenant, int64_t id, const std::vector<care::CheckInState>& from, care::CheckInState to,
                           int64_t now_ms) override;
  Result<std::vector<care::ReportRecord>> Reports(const std::string& tenant, int64_t episode_id) override;
  Result<int64_t> InsertReport(const std::string& tenant, const care::ReportRecord& r) override;
  Status SetCallNeed(const std::string& tenant, int64_t episode_id, const std::optional<care::CallNeed>& need) override;
  Result<int64_t> InsertCall(const std::string& tenant, const care::CallRecord& c) override;
  Result<bool> EndEpisode(const std::string& tenant, int64_t id, int64_t now_ms) override;
  Result<bool> ExtendEpisode(const std::string& tenant, int64_t id, booking::Day planned_end_on, int64_t doctor, int64_t now_ms) override;
  Status SetKitPhotoDeleteAfter(const std::string& tenant, int64_t application_id, int64_t delete_after_ms) override;
  Result<std::optional<messaging::Message>> AnsweredMessage(const std::string& tenant, int64_t message_id) override;
  Status Enqueue(const std::vector<messaging::Message>& messages, int64_t now_ms) override;
  Result<LineLink> OfferLineLink(const std::string& tenant, int64_t application_id, const std::string& code_hash, int64_t now_ms) override;
  Result<std::optional<LineLink>> FindLineLink(const std::string& tenant, const std::string& code_hash) override;
  Result<bool> SetLineUser(const std::string& tenant, int64_t application_id, const std::string& line_user_id, int64_t now_ms) override;
  Result<bool> UnlinkApplication(const std::string& tenant, int64_t application_id) override;
  Status ForgetLineUser(const std::string& tenant, const std::string& line_user_id) override;
  Status LockLinkGuesses(const std::string& who) override;
  Result<accounts::FailureCounts> LinkGuessFailures(const std::string& who, int64_t since_ms) override;
  Result<int64_t> RecordLinkGuess(const std::string& who, int64_t now_ms) override;
  Status ForgetLinkGuess(int64_t id) override;

 private:
  Connection& conn_;
};

// The tenants with an active home-care episode (whom a round visits). Errors: the database's.
Result<std::vector<std::string>> TenantsInHomeCare(Connection& conn);

// A line of the operators' call list.
struct CallListEntry {
  care::EpisodeView episode;
  std::string receipt;
  std::optional<care::CheckInState> today;  // today's check-in, if one was sent
  std::optional<care::ReportRecord> last_report;
  std::optional<care::CallRecord> last_call;
};
// The patients to call, most urgent first: by priority, then risk score (higher first), then the
// longest waiting. Errors: the database's.
Result<std::vector<CallListEntry>> ListCallList(Connection& conn, const std::string& tenant, booking::Day today, int limit);
// How many patients are on the call list (the list above shows at most `limit` of them).
Result<int64_t> CountCallList(Connection& conn, const std::string& tenant);

// A patient's record for staff: the episode, its check-ins, reports and calls, newest first.
struct PatientRecord {
  care::EpisodeView episode;
  std::string receipt;
  std::vector<care::CheckInRecord> check_ins;
  std::vector<care::ReportRecord> reports;
  std::vector<care::CallRecord> calls;
  std::vector<std::string> operator_names;  // by calls
};
// Errors: kNotFound "episode_not_found"; the database's.
Result<PatientRecord> GetPatientRecord(Connection& conn, const std::string& tenant, int64_t episode_id);

// The supervisors' dashboard.
struct DayCounts {
  booking::Day day{};
  int64_t sent = 0, answered = 0, reminded = 0, missed = 0;  // check-ins of that day by where they are now (reminded: not answered yet)
};
struct CareDashboard {
  std::vector<DayCounts> days;  // the last 7 days, today first
  int64_t active_episodes = 0;
  std::array<int64_t, 4> to_call{};                            // patients on the call list by priority P0..P3
  std::vector<CallListEntry> open_p0;                          // up to 50
  int64_t waiting_applications = 0, overdue_applications = 0;  // waiting for a doctor; of them, over 24 hours
  int64_t photo_requested = 0;
};
// Errors: the database's.
Result<CareDashboard> GetCareDashboard(Connection& conn, const std::string& tenant, int64_t now_ms);

}  // namespace madoguchi::store
