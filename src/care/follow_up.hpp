// src/care/follow_up.hpp — daily health observation of home-care patients: the check-in each
// patient gets every day at the tenant's time (a short signed link to the form), the form's
// answers read, the number a patient may reply instead (1 変わりなし, 2 悪くなった, 3 電話がほしい),
// the reminder at the first deadline and the operators' call list at the second, the triage of
// every report and of every missed check-in (care/triage.hpp), the calls operators log, and the
// episode's end with its closing message unless a doctor extends it.
//
// Storage is reached only through `FollowUpPort` inside the caller's transaction (src/store
// implements it). A round (`FollowUpService::Round`) is idempotent: a check-in is one row per
// patient and day, every move is conditional on the state it leaves and every message has a dedupe
// key, so any process may run rounds at once. docs/care.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "accounts/accounts.hpp"
#include "booking/booking.hpp"
#include "care/application.hpp"
#include "care/triage.hpp"
#include "common/clock.hpp"
#include "common/status.hpp"
#include "messaging/message.hpp"

namespace madoguchi::care {

// ---- rules ----

// A check-in's times on `day`: sent, the reminder's deadline, the call list's.
struct CheckInTimes {
  int64_t send_at_ms = 0, remind_at_ms = 0, call_at_ms = 0;
};
CheckInTimes CheckInTimesOn(booking::Day day, const CheckInRules& r);

// The first check-in's day for a patient confirmed at `decided_at_ms`: that day when it is before
// the day's reminder deadline (the check-in goes out at once), else the next day.
booking::Day FirstCheckInDay(int64_t decided_at_ms, const CheckInRules& r);

// sent → answered, or → reminded → answered | missed (no answer by the call deadline). A missed
// check-in answered late is answered.
enum class CheckInState { kSent, kReminded, kAnswered, kMissed };
std::string_view CheckInStateName(CheckInState s);  // "sent", "reminded", "answered", "missed"
// Errors: kInternal "unknown_state".
Result<CheckInState> ParseCheckInState(std::string_view name);

// How a report came: the form, a number replied to the SMS (or in LINE), an operator on the phone.
enum class ReportSource { kForm, kNumberReply, kOperator, kMissed };
std::string_view ReportSourceName(ReportSource s);  // "form", "number_reply", "operator", "missed"
Result<ReportSource> ParseReportSource(std::string_view name);

// The number a patient replies instead of opening the form. Read from the reply's text: one digit
// 1-3 (half- or full-width), spaces around it allowed; nullopt for anything else (the reply is
// then an ordinary message for the inbox).
std::optional<NumberReply> ReadNumberReply(std::string_view body);

// The MHLW's 13 urgent symptoms (緊急性の高い症状), asked first as one question with its list.
inline constexpr size_t kUrgentSymptomCount = 13;

// Reads the check-in form: urgent (yes/no: any of the 13), temperature (℃, 34–42, optional),
// spo2 (%, 70–100, optional: not everyone has an oximeter), each daily item s_<name> (pale_face,
// cough, …) yes/no/unknown, note (free text up to 1000 bytes, lines allowed). Problems:
// "required", "not_a_number", "out_of_range", "yes_no_unknown", "too_long", "bad_text".
Problems ReadHealthReport(const FormFields& fields, int64_t now_ms, HealthReport& out);

// An operator's call to a patient: whether they were reached, and what was done.
enum class CallOutcome { kReached, kNoAnswer, kAdvised119, kReferred, kWrongNumber };
std::string_view CallOutcomeName(CallOutcome o);  // "reached", "no_answer", "advised_119", "referred", "wrong_number"
Result<CallOutcome> ParseCallOutcome(std::string_view name, std::string_view field = "outcome");
// Whether the call settles the need to call (no answer and a wrong number do not: the patient
// stays on the list).
bool SettlesCall(CallOutcome o);

// What the patient is shown after sending the form: call 119 now, we will call you, or thank you.
enum class Advice { kCall119, kWeWillCall, kThanks };
Advice AdviceFor(const Classification& c);

// Who goes on the call list: a report classed P0 or P1 (call now, call today), and every missed
// check-in whatever its class (staff must find out why). A later report that is P2 or P3 takes a
// patient off when a missed check-in put them there; the need a report raised stays until an
// operator settles it by a call.
struct CallNeed {
  Priority priority = Priority::kP3;
  std::string rule_id;  // the rule that put them there
  int risk_score = 0;
  bool from_missed = false;
  int64_t since_ms = 0;
};
// The need after classification `c` (of a report, or of a missed check-in when `missed`), given
// the one already open. nullopt: not on the list.
std::optional<CallNeed> CallNeedAfter(const std::optional<CallNeed>& open, const Classification& c, bool missed, int64_t now_ms);

// An episode may be extended by a doctor by 1..14 days at a time, up to 60 days from its start.
// Errors: kInvalidArgument "days"; kFailedPrecondition "episode_ended".
inline constexpr int kMaxExtensionDays = 14;
inline constexpr int kMaxEpisodeDays = 60;

// ---- LINE ----
// A patient reaches the daily check-ins in LINE by sending the tenant's LINE account the code
// their status page shows: 「連携 ABCD-EFGH」. From then on every message about them (check-ins,
// reminders, the doctor's result, the closing message) goes to that LINE user instead of the SMS
// (an email copy still goes where there was one); a number replied in LINE answers a check-in as
// one replied by SMS does. Unfollowing the account undoes the link: messages go by SMS again.

// The code: 10 characters of kLineLinkAlphabet (no 0/O, 1/I, so it is read back without doubt),
// 50 bits, derived from the service's secret and the application (the same every time the page
// is shown); stored only as its SHA-256.
inline constexpr std::string_view kLineLinkAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
inline constexpr size_t kLineLinkCodeLength = 10;
// "ABCDEFGHJK" → "ABCDE-FGHJK", as the page shows it.
std::string LineLinkCodeInGroups(std::string_view code);

// A LINE text read as a link request: 「連携」 (or れんけい / レンケイ, then perhaps コード) and the
// code, or the code alone in its shown form (5, a hyphen, 5); any case, full-width, spaces and
// hyphens anywhere. nullopt: the text is not a link request (it goes on to the booking
// conversation or the inbox); an empty code: a request whose code is not 10 of the alphabet's.
std::optional<std::string> ReadLineLinkRequest(std::string_view text);

// Whether an application's LINE link may be made: while it waits for a doctor or a new photo, or
// is confirmed and its home care goes on; not once refused or ended.
bool LineLinkable(ApplicationState state, std::optional<bool> episode_active);

// Wrong codes from one LINE user: at most 5 in 15 minutes, then none until the oldest is 15
// minutes old. Counted by the LINE user who sends them, so nobody can use up another's tries.
inline constexpr accounts::ThrottlePolicy kLineLinkThrottle{std::chrono::minutes{15}, 5, 1'000'000, std::chrono::seconds{1}};

enum class LineLinkOutcome { kLinked, kAlreadyLinked, kUnknownCode, kUsedByAnother, kEnded, kMalformed, kThrottled };
struct LineLinked {
  LineLinkOutcome outcome = LineLinkOutcome::kLinked;
  int64_t application_id = 0;  // the code's application (0 when none was found)
};

// ---- storage ----

struct EpisodeView {
  int64_t id = 0, application_id = 0;
  bool active = true;
  booking::Day starts_on{}, planned_end_on{}, first_check_in_on{};
  std::string name, kana, phone, email;
  Contact contact = Contact::kSms;  // how the check-ins reach them, unless linked in LINE
  std::string line_user_id;         // the LINE link (empty: none), before `contact`
  Patient patient;
  std::optional<CallNeed> call;
};

struct CheckInRecord {
  int64_t id = 0, episode_id = 0;
  booking::Day day{};
  CheckInState state = CheckInState::kSent;
  CheckInTimes times;
  std::optional<int64_t> answered_at_ms;
};

// A check-in due for a step, with its patient.
struct DueCheckIn {
  CheckInRecord check_in;
  EpisodeView episode;
};

struct ReportRecord {
  int64_t id = 0, episode_id = 0;
  std::optional<int64_t> check_in_id;
  ReportSource source = ReportSource::kForm;
  std::optional<HealthReport> report;  // nullopt for a missed check-in
  Classification classification;
  int64_t at_ms = 0;
  std::optional<int64_t> by_user;  // the operator who took it on the phone
};

struct CallRecord {
  int64_t episode_id = 0, operator_id = 0;
  CallOutcome outcome = CallOutcome::kReached;
  std::string notes;
  int64_t at_ms = 0;
};

class FollowUpPort {
 public:
  virtual ~FollowUpPort() = default;
  // The tenant's settings (as CarePort::TenantSettings).
  virtual Result<CareSettings> TenantSettings(const std::string& tenant) = 0;
  // kNotFound "episode_not_found" (also another tenant's).
  virtual Result<EpisodeView> GetEpisode(const std::string& tenant, int64_t id) = 0;
  // Active episodes whose check-ins have begun by `day`, that end on or after it and have no
  // check-in that day; at most `limit`.
  virtual Result<std::vector<EpisodeView>> EpisodesToCheckIn(const std::string& tenant, booking::Day day, int limit) = 0;
  // Active episodes planned to end before `day`; at most `limit`.
  virtual Result<std::vector<EpisodeView>> EpisodesPastEnd(const std::string& tenant, booking::Day day, int limit) = 0;
  // The check-in's id; nullopt when the episode has one that day already.
  virtual Result<std::optional<int64_t>> InsertCheckIn(const std::string& tenant, int64_t episode_id, booking::Day day,
                                                       const CheckInTimes& times) = 0;
  // kNotFound "check_in_not_found".
  virtual Result<CheckInRecord> GetCheckIn(const std::string& tenant, int64_t id) = 0;
  // The episode's check-in on `day`; nullopt when none was sent.
  virtual Result<std::optional<CheckInRecord>> CheckInOn(const std::string& tenant, int64_t episode_id, booking::Day day) = 0;
  // Sent check-ins past their reminder deadline / sent or reminded ones past their call deadline.
  virtual Result<std::vector<DueCheckIn>> CheckInsToRemind(const std::string& tenant, int64_t now_ms, int limit) = 0;
  virtual Result<std::vector<DueCheckIn>> CheckInsToMiss(const std::string& tenant, int64_t now_ms, int limit) = 0;
  // Moves the check-in to `to` when it is in one of `from`; false otherwise.
  virtual Result<bool> MoveCheckIn(const std::string& tenant, int64_t id, const std::vector<CheckInState>& from, CheckInState to,
                                   int64_t now_ms) = 0;
  // The episode's reports, newest first.
  virtual Result<std::vector<ReportRecord>> Reports(const std::string& tenant, int64_t episode_id) = 0;
  virtual Result<int64_t> InsertReport(const std::string& tenant, const ReportRecord& r) = 0;
  virtual Status SetCallNeed(const std::string& tenant, int64_t episode_id, const std::optional<CallNeed>& need) = 0;
  virtual Result<int64_t> InsertCall(const std::string& tenant, const CallRecord& c) = 0;
  // Ends the active episode; false when it is not active.
  virtual Result<bool> EndEpisode(const std::string& tenant, int64_t id, int64_t now_ms) = 0;
  // A new planned end for the active episode, by `doctor`; false when it is not active.
  virtual Result<bool> ExtendEpisode(const std::string& tenant, int64_t id, booking::Day planned_end_on, int64_t doctor,
                                     int64_t now_ms) = 0;
  // When the kit photo of the episode's application is to be deleted (the episode was extended).
  virtual Status SetKitPhotoDeleteAfter(const std::string& tenant, int64_t application_id, int64_t delete_after_ms) = 0;
  // The outbox message a reply answers; nullopt when there is none.
  virtual Result<std::optional<messaging::Message>> AnsweredMessage(const std::string& tenant, int64_t message_id) = 0;
  virtual Status Enqueue(const std::vector<messaging::Message>& messages, int64_t now_ms) = 0;

  // LINE links (rows keyed by application, looked up by the code's hash).
  struct LineLink {
    int64_t application_id = 0;
    std::string line_user_id;  // empty: not linked
    ApplicationState state = ApplicationState::kWaiting;
    std::optional<bool> episode_active;  // nullopt: no episode (yet)
  };
  // The application's link, made with `code_hash` when it has none. kNotFound
  // "application_not_found" (also another tenant's).
  virtual Result<LineLink> OfferLineLink(const std::string& tenant, int64_t application_id, const std::string& code_hash,
                                         int64_t now_ms) = 0;
  virtual Result<std::optional<LineLink>> FindLineLink(const std::string& tenant, const std::string& code_hash) = 0;
  // Links the application to the LINE user when it is linked to nobody; false when it is already
  // (another LINE user took it meanwhile).
  virtual Result<bool> SetLineUser(const std::string& tenant, int64_t application_id, const std::string& line_user_id, int64_t now_ms) = 0;
  // Unlinks the application; false when it was not linked.
  virtual Result<bool> UnlinkApplication(const std::string& tenant, int64_t application_id) = 0;
  // Unlinks every application of the LINE user (they unfollowed the account).
  virtual Status ForgetLineUser(const std::string& tenant, const std::string& line_user_id) = 0;
  // Wrong codes by one LINE user (`who`): serialised per user until the transaction ends,
  // counted since a time, recorded (an id), taken back.
  virtual Status LockLinkGuesses(const std::string& who) = 0;
  virtual Result<accounts::FailureCounts> LinkGuessFailures(const std::string& who, int64_t since_ms) = 0;
  virtual Result<int64_t> RecordLinkGuess(const std::string& who, int64_t now_ms) = 0;
  virtual Status ForgetLinkGuess(int64_t id) = 0;
};

// The check-in a message asked for (a care_check_in or its reminder); nullopt for any other message.
std::optional<int64_t> CheckInOfMessage(const messaging::Message& m);

// ---- the service ----

struct RoundCounts {
  int sent = 0, reminded = 0, missed = 0, ended = 0;
  bool more = false;  // a step stopped at its limit: run again
};

struct Reported {
  ReportRecord report;
  Advice advice = Advice::kThanks;
};

class FollowUpService {
 public:
  // `clock` outlives the service; `secret` signs the check-in links.
  FollowUpService(const Clock& clock, std::string secret) : clock_(clock), secret_(std::move(secret)) {}

  // One round for a tenant at the clock's time: episodes past their end are closed with the
  // closing message; today's check-ins are sent (from the send time until the reminder deadline;
  // a patient whose check-ins begin later in the day gets one at once); reminders; missed
  // check-ins classified and put on the call list. Each step takes at most `limit` rows.
  Result<RoundCounts> Round(FollowUpPort& port, const std::string& tenant, int limit) const;

  // A report for check-in `check_in_id` (from the form or a number reply): stored with its
  // classification; the call list updated. Errors: kNotFound "check_in_not_found";
  // kFailedPrecondition "episode_ended"; the port's.
  Result<Reported> Report(FollowUpPort& port, const std::string& tenant, int64_t check_in_id, const HealthReport& report,
                          ReportSource source) const;

  // The number a patient replied to a check-in's message. Errors as Report's.
  Result<Reported> NumberReplied(FollowUpPort& port, const std::string& tenant, int64_t check_in_id, NumberReply n) const;

  // A reply (already stored for the inbox) to message `message_id`: when it answers a check-in's
  // message with a number (ReadNumberReply), the report it makes; nullopt when it is not one (an
  // ordinary reply for the inbox). Errors as Report's, but an ended episode is nullopt too.
  Result<std::optional<Reported>> TakeNumberReply(FollowUpPort& port, const std::string& tenant, int64_t message_id,
                                                  std::string_view body) const;

  // An operator's call, logged; a settling outcome takes the patient off the call list. Errors:
  // kInvalidArgument "notes" (over 2000 bytes or not text); kNotFound "episode_not_found".
  Result<int64_t> LogCall(FollowUpPort& port, const std::string& tenant, int64_t episode_id, int64_t operator_id, CallOutcome outcome,
                          const std::string& notes) const;

  // An operator took today's report on the phone (the patient cannot use the form or reply): it
  // answers today's check-in, made without a message when none was sent. Errors: as Report's;
  // kNotFound "episode_not_found".
  Result<Reported> ReportByPhone(FollowUpPort& port, const std::string& tenant, int64_t episode_id, int64_t operator_id,
                                 const HealthReport& report) const;

  // Staff send the day's check-in now — a patient who says it never came, or one confirmed after
  // the day's reminder deadline whom staff want to hear from today: when there is no check-in
  // today, one is made and sent at once, with an hour before each deadline (as a late round
  // does); when there is one, its link is sent again (at most once a minute). Errors: kNotFound
  // "episode_not_found"; kFailedPrecondition "episode_ended".
  Result<CheckInRecord> SendCheckInNow(FollowUpPort& port, const std::string& tenant, int64_t episode_id) const;

  // A doctor extends the episode by `days`; check-ins go on to the new end. Errors: as above.
  Result<EpisodeView> Extend(FollowUpPort& port, const std::string& tenant, int64_t episode_id, int64_t doctor, int days) const;

  // The LINE link code of application `application_id` (LineLinkCode), and whether it is linked:
  // the link is offered (stored) when it is not yet. nullopt: not linkable now (LineLinkable).
  // Errors: the port's.
  struct LineLinkOffer {
    std::string code;
    bool linked = false;
  };
  Result<std::optional<LineLinkOffer>> OfferLineLink(FollowUpPort& port, const std::string& tenant, int64_t application_id) const;

  // A LINE text from `line_user_id`: nullopt when it is no link request (ReadLineLinkRequest),
  // else what came of it (kMalformed: no code in it, nothing looked up). Each code tried counts
  // against the user (kLineLinkThrottle), reserved before it is looked up and taken back when it
  // is found; past the limit kThrottled without looking. Errors: the port's.
  Result<std::optional<LineLinked>> LinkLine(FollowUpPort& port, const std::string& tenant, const std::string& line_user_id,
                                             std::string_view text) const;

  // The patient (on the status page) or staff undo the LINE link of application
  // `application_id`: messages go by SMS (or email) again. False when it was not linked. Errors:
  // the port's.
  Result<bool> UnlinkLine(FollowUpPort& port, const std::string& tenant, int64_t application_id) const;

  // The check-in link's token and its reading back (nullopt: forged, another tenant's, expired).
  std::string CheckInToken(const std::string& tenant, int64_t check_in_id, int64_t expires_at_ms) const;
  std::optional<int64_t> ReadCheckInToken(const std::string& tenant, const std::string& token) const;
  // When a check-in's link stops opening: the end of the day after the check-in's.
  static int64_t CheckInLinkExpiry(booking::Day day);

  // The message of a check-in (template care_check_in, or care_check_in_reminder).
  std::vector<messaging::Message> CheckInMessages(const std::string& tenant, const EpisodeView& e, const CheckInRecord& c, bool reminder,
                                                  int64_t now_ms) const;

 private:
  std::string LineLinkCode(const std::string& tenant, int64_t application_id) const;
  Result<Reported> Record(FollowUpPort& port, const std::string& tenant, const CheckInRecord& c, const HealthReport& report,
                          ReportSource source, std::optional<int64_t> by_user = std::nullopt) const;

  const Clock& clock_;
  std::string secret_;
};

}  // namespace madoguchi::care
