#include "care/follow_up.hpp"

#include "common/name_table.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>

#include "common/crypto.hpp"
#include "common/text.hpp"
#include "common/time_format.hpp"

namespace madoguchi::care {

namespace {

constexpr std::string_view kCheckInPurpose = "care_check_in";
constexpr int64_t kMinuteMs = 60'000;
constexpr int64_t kDayMs = 86'400'000;
// A check-in sent late (the patient was confirmed, or the server came back, after the send time)
// still gives the patient this long before each deadline.
constexpr int64_t kLateGraceMs = 60 * kMinuteMs;

constexpr std::array<std::pair<CheckInState, std::string_view>, 4> kStateNames = {{
    {CheckInState::kSent, "sent"},
    {CheckInState::kReminded, "reminded"},
    {CheckInState::kAnswered, "answered"},
    {CheckInState::kMissed, "missed"},
}};

constexpr std::array<std::pair<ReportSource, std::string_view>, 4> kSourceNames = {{
    {ReportSource::kForm, "form"},
    {ReportSource::kNumberReply, "number_reply"},
    {ReportSource::kOperator, "operator"},
    {ReportSource::kMissed, "missed"},
}};

constexpr std::array<std::pair<CallOutcome, std::string_view>, 5> kOutcomeNames = {{
    {CallOutcome::kReached, "reached"},
    {CallOutcome::kNoAnswer, "no_answer"},
    {CallOutcome::kAdvised119, "advised_119"},
    {CallOutcome::kReferred, "referred"},
    {CallOutcome::kWrongNumber, "wrong_number"},
}};

std::string One(const FormFields& f, const std::string& name) {
  auto it = f.find(name);
  return it == f.end() ? std::string() : text::Trim(it->second);
}

Status Required(const std::string& field) { return InvalidArgumentError(field, "is required", "required"); }

// An optional number within [lo, hi], typed as people type it (full-width digits, a comma for the point).
std::optional<double> OptionalNumber(const FormFields& f, const std::string& field, double lo, double hi, Problems& problems) {
  std::string v = text::AsTyped(One(f, field));
  std::replace(v.begin(), v.end(), ',', '.');
  // The unit people type after the number (37.2℃, 37.2度, 97%, ９７％).
  for (std::string_view unit : {"℃", "°C", "度", "°", "%", "％"}) {
    if (v.size() > unit.size() && v.ends_with(unit)) {
      v.resize(v.size() - unit.size());
      break;
    }
  }
  if (v.empty()) return std::nullopt;
  double x = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
  if (ec != std::errc() || end != v.data() + v.size() || !std::isfinite(x)) {
    problems.push_back(InvalidArgumentError(field, "must be a number", "not_a_number"));
    return std::nullopt;
  }
  if (x < lo || x > hi) {
    problems.push_back(InvalidArgumentError(
        field, "must be from " + std::to_string(static_cast<int>(lo)) + " to " + std::to_string(static_cast<int>(hi)), "out_of_range"));
    return std::nullopt;
  }
  return x;
}

std::string EpisodeDedupe(int64_t episode_id, const std::string& what) { return "care_ep:" + std::to_string(episode_id) + ":" + what; }

messaging::Message ToPatient(const std::string& tenant, const EpisodeView& e, const std::string& template_key, std::string dedupe,
                             int64_t now_ms) {
  messaging::Message m;
  m.tenant = tenant;
  if (!e.line_user_id.empty()) {
    // Linked in LINE: there, whatever the form said.
    m.address = e.line_user_id;
    m.channels = {messaging::Delivery::kLine};
  } else {
    // As the patient chose on the form; an email address is always there when email was chosen.
    const bool by_email = e.contact == Contact::kEmail && !e.email.empty();
    m.address = by_email ? e.email : e.phone;
    m.channels = {by_email ? messaging::Delivery::kEmail : messaging::Delivery::kSms};
  }
  m.template_key = template_key;
  m.purpose = messaging::Purpose::kFollowUp;
  m.due_at_ms = now_ms;
  m.dedupe_key = std::move(dedupe);
  m.variables["episode_id"] = e.id;
  return m;
}

// The times of a check-in sent at `now_ms`, after the day's send time: an hour kept before each deadline.
CheckInTimes SentLate(const CheckInTimes& day, int64_t now_ms) {
  CheckInTimes t = day;
  t.send_at_ms = now_ms;
  t.remind_at_ms = std::max(day.remind_at_ms, now_ms + kLateGraceMs);
  t.call_at_ms = std::max(day.call_at_ms, t.remind_at_ms + kLateGraceMs);
  return t;
}

}  // namespace

CheckInTimes CheckInTimesOn(booking::Day day, const CheckInRules& r) {
  CheckInTimes t;
  t.send_at_ms = JapanMidnightMs(day) + r.send_minute * kMinuteMs;
  t.remind_at_ms = t.send_at_ms + r.remind_after_minutes * kMinuteMs;
  t.call_at_ms = t.send_at_ms + r.call_after_minutes * kMinuteMs;
  return t;
}

booking::Day FirstCheckInDay(int64_t decided_at_ms, const CheckInRules& r) {
  const booking::Day day = JapanDay(decided_at_ms);
  return decided_at_ms < CheckInTimesOn(day, r).remind_at_ms ? day : day + std::chrono::days{1};
}

std::string LineLinkCodeInGroups(std::string_view code) {
  const size_t half = code.size() / 2;
  return std::string(code.substr(0, half)) + "-" + std::string(code.substr(half));
}

std::optional<std::string> ReadLineLinkRequest(std::string_view text) {
  std::string t = text::AsTyped(text);  // full-width digits and dashes in ASCII, spaces dropped
  bool prefixed = false;
  for (std::string_view word : {"連携", "れんけい", "レンケイ"}) {
    if (t.starts_with(word)) {
      t.erase(0, word.size());
      prefixed = true;
      break;
    }
  }
  if (prefixed && t.starts_with("コード")) t.erase(0, std::string_view("コード").size());
  std::string code;
  bool stray = false;
  size_t hyphen_at = std::string::npos;
  for (size_t i = 0; i < t.size();) {
    const auto c = static_cast<unsigned char>(t[i]);
    if (std::isalnum(c)) {
      code += static_cast<char>(std::toupper(c));
      ++i;
    } else if (c == 0xEF && i + 2 < t.size() &&
               (static_cast<unsigned char>(t[i + 1]) == 0xBC || static_cast<unsigned char>(t[i + 1]) == 0xBD)) {
      // Ａ..Ｚ (EF BC A1..BA), ａ..ｚ (EF BD 81..9A).
      const auto d = static_cast<unsigned char>(t[i + 2]);
      if (static_cast<unsigned char>(t[i + 1]) == 0xBC && d >= 0xA1 && d <= 0xBA) code += static_cast<char>('A' + (d - 0xA1));
      else if (static_cast<unsigned char>(t[i + 1]) == 0xBD && d >= 0x81 && d <= 0x9A) code += static_cast<char>('A' + (d - 0x81));
      else stray = true;
      i += 3;
    } else if (c == '-' || t.compare(i, 3, "ー") == 0 || t.compare(i, 3, "‐") == 0 || t.compare(i, 3, "−") == 0) {
      if (hyphen_at == std::string::npos) hyphen_at = code.size();
      i += c == '-' ? 1 : 3;
    } else if (c == ':' || c == '\n' || c == '\r' || c == '\t' || t.compare(i, 3, "「") == 0 || t.compare(i, 3, "」") == 0) {
      i += c < 0x80 ? 1 : 3;
    } else {
      stray = true;
      i += 1;
    }
  }
  const bool fits = !stray && code.size() == kLineLinkCodeLength &&
                    std::all_of(code.begin(), code.end(), [](char ch) { return kLineLinkAlphabet.find(ch) != std::string_view::npos; });
  if (!prefixed) {
    // The code alone only in the form the page shows it: an ordinary reply is never taken for one.
    if (!fits || hyphen_at != kLineLinkCodeLength / 2) return std::nullopt;
    return code;
  }
  return fits ? code : std::string();
}

bool LineLinkable(ApplicationState state, std::optional<bool> episode_active) {
  switch (state) {
    case ApplicationState::kWaiting:
    case ApplicationState::kPhotoRequested: return true;
    case ApplicationState::kConfirmed: return episode_active.value_or(true);
    case ApplicationState::kNotConfirmed:
    case ApplicationState::kSeeClinic: return false;
  }
  return false;
}

std::string_view CheckInStateName(CheckInState s) { return NameOf(kStateNames, s); }
Result<CheckInState> ParseCheckInState(std::string_view name) {
  if (auto s = ValueOf(kStateNames, name)) return *s;
  return Status(StatusCode::kInternal, "unknown_state", "a stored check-in state this build does not know: " + std::string(name));
}

std::string_view ReportSourceName(ReportSource s) { return NameOf(kSourceNames, s); }
Result<ReportSource> ParseReportSource(std::string_view name) {
  if (auto s = ValueOf(kSourceNames, name)) return *s;
  return Status(StatusCode::kInternal, "unknown_source", "a stored report source this build does not know: " + std::string(name));
}

std::optional<NumberReply> ReadNumberReply(std::string_view body) {
  // A phone may end the text with a line break.
  std::string flat(body);
  std::replace(flat.begin(), flat.end(), '\n', ' ');
  const std::string typed = text::AsTyped(text::Trim(flat));
  if (typed == "1") return NumberReply::kNoChange;
  if (typed == "2") return NumberReply::kWorse;
  if (typed == "3") return NumberReply::kCallMe;
  return std::nullopt;
}

Problems ReadHealthReport(const FormFields& f, int64_t now_ms, HealthReport& out) {
  Problems problems;
  out = HealthReport{};
  out.at_ms = now_ms;
  const std::string urgent = One(f, "urgent");
  if (urgent == "yes" || urgent == "no") {
    out.urgent = urgent == "yes";
  } else {
    problems.push_back(urgent.empty() ? Required("urgent") : InvalidArgumentError("urgent", "answer yes or no", "yes_or_no"));
  }
  if (auto t = OptionalNumber(f, "temperature", 34, 42, problems)) out.temperature = std::round(*t * 10) / 10;
  if (auto s = OptionalNumber(f, "spo2", 70, 100, problems)) {
    if (*s != std::floor(*s)) {
      problems.push_back(InvalidArgumentError("spo2", "must be a whole number", "not_whole"));
    } else {
      out.spo2 = static_cast<int>(*s);
    }
  }
  for (size_t i = 0; i < kSymptomCount; ++i) {
    const std::string field = "s_" + std::string(SymptomName(static_cast<Symptom>(i)));
    const std::string v = One(f, field);
    if (v == "yes") {
      out.answers[i] = Answer::kYes;
    } else if (v == "no") {
      out.answers[i] = Answer::kNo;
    } else if (v == "unknown") {
      out.answers[i] = Answer::kUnknown;
    } else {
      problems.push_back(v.empty() ? Required(field) : InvalidArgumentError(field, "answer yes, no or unknown", "yes_no_unknown"));
    }
  }
  std::string note = One(f, "note");
  if (note.size() > 1000) {
    problems.push_back(InvalidArgumentError("note", "must be at most 1000 bytes", "too_long"));
  } else {
    std::string flat = note;
    std::replace(flat.begin(), flat.end(), '\n', ' ');
    std::replace(flat.begin(), flat.end(), '\r', ' ');
    if (!text::IsValidUtf8(note) || text::HasControlChars(flat)) {
      problems.push_back(InvalidArgumentError("note", "must be text", "bad_text"));
    } else {
      out.note = std::move(note);
    }
  }
  return problems;
}

std::string_view CallOutcomeName(CallOutcome o) { return NameOf(kOutcomeNames, o); }
Result<CallOutcome> ParseCallOutcome(std::string_view name, std::string_view field) {
  if (auto o = ValueOf(kOutcomeNames, name)) return *o;
  return InvalidArgumentError(std::string(field), "choose how the call went", "unknown_outcome");
}
// No answer and a wrong number leave the need open: someone must still reach the patient (a P0
// with a wrong number is the health centre's to find another way).
bool SettlesCall(CallOutcome o) { return o != CallOutcome::kNoAnswer && o != CallOutcome::kWrongNumber; }

Advice AdviceFor(const Classification& c) {
  if (c.priority == Priority::kP0) return Advice::kCall119;
  if (c.priority == Priority::kP1) return Advice::kWeWillCall;
  return Advice::kThanks;
}

std::optional<CallNeed> CallNeedAfter(const std::optional<CallNeed>& open, const Classification& c, bool missed, int64_t now_ms) {
  const bool calls = missed || c.priority <= Priority::kP1;
  if (!calls) {
    // An answer takes off a patient whom only a missed check-in put on the list.
    if (open && open->from_missed) return std::nullopt;
    return open;
  }
  CallNeed need{c.priority, c.rule_id, c.risk_score, missed, now_ms};
  if (!open) return need;
  // Waiting counts from when the need became this urgent.
  if (open->priority == need.priority) need.since_ms = open->since_ms;
  // The more urgent need stands; at the same priority a report's reason replaces a missed check-in's.
  if (open->priority < need.priority) return open;
  if (open->priority == need.priority && (missed || !open->from_missed)) return open;
  return need;
}

std::optional<int64_t> CheckInOfMessage(const messaging::Message& m) {
  if (m.template_key != "care_check_in" && m.template_key != "care_check_in_reminder") return std::nullopt;
  auto it = m.variables.find("check_in_id");
  if (it == m.variables.end()) return std::nullopt;
  const auto* id = std::get_if<int64_t>(&it->second);
  if (id == nullptr || *id <= 0) return std::nullopt;
  return *id;
}

// ---- the service ----

std::string FollowUpService::CheckInToken(const std::string& tenant, int64_t check_in_id, int64_t expires_at_ms) const {
  return crypto::SignTenantRecord(secret_, kCheckInPurpose, tenant, check_in_id, expires_at_ms);
}

std::string FollowUpService::LineLinkCode(const std::string& tenant, int64_t application_id) const {
  // A byte's low 5 bits pick one of the 32 characters: every character equally likely.
  const std::string mac = crypto::HmacSha256(secret_, "care_line_link|" + tenant + "|" + std::to_string(application_id));
  std::string code;
  for (size_t i = 0; i < kLineLinkCodeLength; ++i) code += kLineLinkAlphabet[static_cast<unsigned char>(mac[i]) & 31];
  return code;
}

Result<std::optional<FollowUpService::LineLinkOffer>> FollowUpService::OfferLineLink(FollowUpPort& port, const std::string& tenant,
                                                                                     int64_t application_id) const {
  const std::string code = LineLinkCode(tenant, application_id);
  MADOGUCHI_ASSIGN_OR_RETURN(FollowUpPort::LineLink link,
                             port.OfferLineLink(tenant, application_id, crypto::Sha256Hex(code), clock_.NowMs()));
  if (!LineLinkable(link.state, link.episode_active)) return std::optional<LineLinkOffer>();
  return std::optional<LineLinkOffer>(LineLinkOffer{code, !link.line_user_id.empty()});
}

Result<std::optional<LineLinked>> FollowUpService::LinkLine(FollowUpPort& port, const std::string& tenant, const std::string& line_user_id,
                                                            std::string_view text) const {
  using Out = std::optional<LineLinked>;
  const std::optional<std::string> code = ReadLineLinkRequest(text);
  if (!code) return Out();
  if (code->empty()) return Out(LineLinked{LineLinkOutcome::kMalformed, 0});
  const int64_t now = clock_.NowMs();
  const std::string who = tenant + ":" + line_user_id;
  MADOGUCHI_RETURN_IF_ERROR(port.LockLinkGuesses(who));
  MADOGUCHI_ASSIGN_OR_RETURN(accounts::FailureCounts counts,
                             port.LinkGuessFailures(who, now - std::chrono::milliseconds(kLineLinkThrottle.window).count()));
  if (accounts::Throttle(kLineLinkThrottle, counts, now)) return Out(LineLinked{LineLinkOutcome::kThrottled, 0});
  // Reserved before the look-up, taken back when the code is found.
  MADOGUCHI_ASSIGN_OR_RETURN(int64_t guess, port.RecordLinkGuess(who, now));
  MADOGUCHI_ASSIGN_OR_RETURN(std::optional<FollowUpPort::LineLink> link, port.FindLineLink(tenant, crypto::Sha256Hex(*code)));
  if (!link) return Out(LineLinked{LineLinkOutcome::kUnknownCode, 0});
  MADOGUCHI_RETURN_IF_ERROR(port.ForgetLinkGuess(guess));
  LineLinked out{LineLinkOutcome::kLinked, link->application_id};
  if (!LineLinkable(link->state, link->episode_active)) {
    out.outcome = LineLinkOutcome::kEnded;
  } else if (link->line_user_id == line_user_id) {
    out.outcome = LineLinkOutcome::kAlreadyLinked;
  } else if (!link->line_user_id.empty()) {
    out.outcome = LineLinkOutcome::kUsedByAnother;
  } else {
    MADOGUCHI_ASSIGN_OR_RETURN(bool took, port.SetLineUser(tenant, link->application_id, line_user_id, now));
    if (!took) out.outcome = LineLinkOutcome::kUsedByAnother;
  }
  return Out(out);
}

Result<bool> FollowUpService::UnlinkLine(FollowUpPort& port, const std::string& tenant, int64_t application_id) const {
  return port.UnlinkApplication(tenant, application_id);
}

std::optional<int64_t> FollowUpService::ReadCheckInToken(const std::string& tenant, const std::string& token) const {
  return crypto::VerifyTenantRecord(secret_, kCheckInPurpose, tenant, token, clock_.NowMs());
}

int64_t FollowUpService::CheckInLinkExpiry(booking::Day day) { return JapanMidnightMs(day + std::chrono::days{2}); }

std::vector<messaging::Message> FollowUpService::CheckInMessages(const std::string& tenant, const EpisodeView& e, const CheckInRecord& c,
                                                                 bool reminder, int64_t now_ms) const {
  const std::string dedupe = "care_ci:" + std::to_string(c.id) + (reminder ? ":remind" : "");
  messaging::Message m = ToPatient(tenant, e, reminder ? "care_check_in_reminder" : "care_check_in", dedupe, now_ms);
  // Not worth sending once the operators are calling instead.
  m.expires_at_ms = std::max(c.times.call_at_ms, now_ms + 1);
  m.variables["check_in_id"] = c.id;
  const int64_t expires = CheckInLinkExpiry(c.day);
  m.variables["link_path"] = "/r/" + tenant + "/care/c/" + CheckInToken(tenant, c.id, expires);
  m.variables["link_expires_ms"] = expires;
  return {m};
}

Result<RoundCounts> FollowUpService::Round(FollowUpPort& port, const std::string& tenant, int limit) const {
  const int64_t now = clock_.NowMs();
  const booking::Day today = JapanDay(now);
  MADOGUCHI_ASSIGN_OR_RETURN(CareSettings settings, port.TenantSettings(tenant));
  const CheckInTimes times = CheckInTimesOn(today, settings.check_in);
  RoundCounts n;
  if (now >= times.send_at_ms) {
    // Episodes past their planned end close with the closing message, at the day's send time.
    MADOGUCHI_ASSIGN_OR_RETURN(std::vector<EpisodeView> ending, port.EpisodesPastEnd(tenant, today, limit));
    n.more = n.more || static_cast<int>(ending.size()) >= limit;
    for (const EpisodeView& e : ending) {
      MADOGUCHI_ASSIGN_OR_RETURN(bool ended, port.EndEpisode(tenant, e.id, now));
      if (!ended) continue;
      MADOGUCHI_RETURN_IF_ERROR(port.SetCallNeed(tenant, e.id, std::nullopt));
      MADOGUCHI_RETURN_IF_ERROR(port.Enqueue({ToPatient(tenant, e, "care_episode_ended", EpisodeDedupe(e.id, "ended"), now)}, now));
      ++n.ended;
    }
  }
  if (now >= times.send_at_ms && now < times.call_at_ms - 2 * kLateGraceMs) {
    MADOGUCHI_ASSIGN_OR_RETURN(std::vector<EpisodeView> due, port.EpisodesToCheckIn(tenant, today, limit));
    n.more = n.more || static_cast<int>(due.size()) >= limit;
    const CheckInTimes t = SentLate(times, now);
    for (const EpisodeView& e : due) {
      MADOGUCHI_ASSIGN_OR_RETURN(std::optional<int64_t> id, port.InsertCheckIn(tenant, e.id, today, t));
      if (!id) continue;
      CheckInRecord c{*id, e.id, today, CheckInState::kSent, t, std::nullopt};
      MADOGUCHI_RETURN_IF_ERROR(port.Enqueue(CheckInMessages(tenant, e, c, false, now), now));
      ++n.sent;
    }
  }
  MADOGUCHI_ASSIGN_OR_RETURN(std::vector<DueCheckIn> to_remind, port.CheckInsToRemind(tenant, now, limit));
  n.more = n.more || static_cast<int>(to_remind.size()) >= limit;
  for (const DueCheckIn& d : to_remind) {
    MADOGUCHI_ASSIGN_OR_RETURN(bool moved, port.MoveCheckIn(tenant, d.check_in.id, {CheckInState::kSent}, CheckInState::kReminded, now));
    if (!moved) continue;
    MADOGUCHI_RETURN_IF_ERROR(port.Enqueue(CheckInMessages(tenant, d.episode, d.check_in, true, now), now));
    ++n.reminded;
  }
  MADOGUCHI_ASSIGN_OR_RETURN(std::vector<DueCheckIn> to_miss, port.CheckInsToMiss(tenant, now, limit));
  n.more = n.more || static_cast<int>(to_miss.size()) >= limit;
  for (const DueCheckIn& d : to_miss) {
    MADOGUCHI_ASSIGN_OR_RETURN(
        bool moved, port.MoveCheckIn(tenant, d.check_in.id, {CheckInState::kSent, CheckInState::kReminded}, CheckInState::kMissed, now));
    if (!moved) continue;
    MADOGUCHI_ASSIGN_OR_RETURN(std::vector<ReportRecord> stored, port.Reports(tenant, d.episode.id));
    std::vector<HealthReport> earlier;
    for (const ReportRecord& r : stored) {
      if (r.report) earlier.push_back(*r.report);
    }
    ReportRecord rec;
    rec.episode_id = d.episode.id;
    rec.check_in_id = d.check_in.id;
    rec.source = ReportSource::kMissed;
    rec.classification = Classify(std::nullopt, earlier, d.episode.patient, settings.triage);
    rec.at_ms = now;
    MADOGUCHI_ASSIGN_OR_RETURN(rec.id, port.InsertReport(tenant, rec));
    MADOGUCHI_RETURN_IF_ERROR(
        port.SetCallNeed(tenant, d.episode.id, CallNeedAfter(d.episode.call, rec.classification, /*missed=*/true, now)));
    ++n.missed;
  }
  return n;
}

Result<Reported> FollowUpService::Record(FollowUpPort& port, const std::string& tenant, const CheckInRecord& c, const HealthReport& report,
                                         ReportSource source, std::optional<int64_t> by_user) const {
  const int64_t now = clock_.NowMs();
  MADOGUCHI_ASSIGN_OR_RETURN(EpisodeView e, port.GetEpisode(tenant, c.episode_id));
  if (!e.active) return FailedPreconditionError("the home care has ended", "episode_ended");
  MADOGUCHI_ASSIGN_OR_RETURN(CareSettings settings, port.TenantSettings(tenant));
  MADOGUCHI_ASSIGN_OR_RETURN(std::vector<ReportRecord> stored, port.Reports(tenant, e.id));
  std::vector<HealthReport> earlier;
  for (const ReportRecord& r : stored) {
    if (r.report) earlier.push_back(*r.report);
  }
  Reported out;
  out.report.episode_id = e.id;
  out.report.check_in_id = c.id;
  out.report.source = source;
  out.report.by_user = by_user;
  out.report.report = report;
  out.report.report->at_ms = now;
  out.report.classification = Classify(out.report.report, earlier, e.patient, settings.triage);
  out.report.at_ms = now;
  MADOGUCHI_ASSIGN_OR_RETURN(out.report.id, port.InsertReport(tenant, out.report));
  MADOGUCHI_RETURN_IF_ERROR(
      port.MoveCheckIn(tenant, c.id, {CheckInState::kSent, CheckInState::kReminded, CheckInState::kMissed}, CheckInState::kAnswered, now)
          .status());
  std::optional<CallNeed> need = CallNeedAfter(e.call, out.report.classification, /*missed=*/false, now);
  const bool changed =
      need.has_value() != e.call.has_value() ||
      (need && (need->priority != e.call->priority || need->rule_id != e.call->rule_id || need->from_missed != e.call->from_missed));
  if (changed) MADOGUCHI_RETURN_IF_ERROR(port.SetCallNeed(tenant, e.id, need));
  out.advice = AdviceFor(out.report.classification);
  return out;
}

Result<Reported> FollowUpService::Report(FollowUpPort& port, const std::string& tenant, int64_t check_in_id, const HealthReport& report,
                                         ReportSource source) const {
  MADOGUCHI_ASSIGN_OR_RETURN(CheckInRecord c, port.GetCheckIn(tenant, check_in_id));
  return Record(port, tenant, c, report, source);
}

Result<Reported> FollowUpService::NumberReplied(FollowUpPort& port, const std::string& tenant, int64_t check_in_id, NumberReply n) const {
  HealthReport r;
  r.number_reply = n;
  return Report(port, tenant, check_in_id, r, ReportSource::kNumberReply);
}

Result<std::optional<Reported>> FollowUpService::TakeNumberReply(FollowUpPort& port, const std::string& tenant, int64_t message_id,
                                                                 std::string_view body) const {
  const std::optional<NumberReply> n = ReadNumberReply(body);
  if (!n) return std::optional<Reported>();
  MADOGUCHI_ASSIGN_OR_RETURN(std::optional<messaging::Message> answered, port.AnsweredMessage(tenant, message_id));
  if (!answered) return std::optional<Reported>();
  const std::optional<int64_t> check_in = CheckInOfMessage(*answered);
  if (!check_in) return std::optional<Reported>();
  Result<Reported> r = NumberReplied(port, tenant, *check_in, *n);
  if (!r.ok() && r.status().key() == "episode_ended") return std::optional<Reported>();
  if (!r.ok()) return r.status();
  return std::optional<Reported>(std::move(*r));
}

Result<Reported> FollowUpService::ReportByPhone(FollowUpPort& port, const std::string& tenant, int64_t episode_id, int64_t operator_id,
                                                const HealthReport& report) const {
  const int64_t now = clock_.NowMs();
  const booking::Day today = JapanDay(now);
  MADOGUCHI_ASSIGN_OR_RETURN(EpisodeView e, port.GetEpisode(tenant, episode_id));
  if (!e.active) return FailedPreconditionError("the home care has ended", "episode_ended");
  MADOGUCHI_ASSIGN_OR_RETURN(std::optional<CheckInRecord> c, port.CheckInOn(tenant, e.id, today));
  if (!c) {
    MADOGUCHI_ASSIGN_OR_RETURN(CareSettings settings, port.TenantSettings(tenant));
    const CheckInTimes t = SentLate(CheckInTimesOn(today, settings.check_in), now);
    MADOGUCHI_ASSIGN_OR_RETURN(std::optional<int64_t> id, port.InsertCheckIn(tenant, e.id, today, t));
    if (!id) return InternalError("a check-in appeared while taking a report", "check_in_race");
    c = CheckInRecord{*id, e.id, today, CheckInState::kSent, t, std::nullopt};
  }
  return Record(port, tenant, *c, report, ReportSource::kOperator, operator_id);
}

Result<CheckInRecord> FollowUpService::SendCheckInNow(FollowUpPort& port, const std::string& tenant, int64_t episode_id) const {
  const int64_t now = clock_.NowMs();
  const booking::Day today = JapanDay(now);
  MADOGUCHI_ASSIGN_OR_RETURN(EpisodeView e, port.GetEpisode(tenant, episode_id));
  if (!e.active) return FailedPreconditionError("the home care has ended", "episode_ended");
  MADOGUCHI_ASSIGN_OR_RETURN(std::optional<CheckInRecord> sent, port.CheckInOn(tenant, e.id, today));
  if (sent) {
    if (now - sent->times.send_at_ms < kMinuteMs) return *sent;  // just sent (a double click)
    std::vector<messaging::Message> again = CheckInMessages(tenant, e, *sent, false, now);
    for (messaging::Message& m : again) {
      m.dedupe_key = "care_ci:" + std::to_string(sent->id) + ":again:" + std::to_string(now / kMinuteMs);
      m.expires_at_ms = std::max(m.expires_at_ms.value_or(0), now + kLateGraceMs);
    }
    MADOGUCHI_RETURN_IF_ERROR(port.Enqueue(again, now));
    return *sent;
  }
  MADOGUCHI_ASSIGN_OR_RETURN(CareSettings settings, port.TenantSettings(tenant));
  const CheckInTimes t = SentLate(CheckInTimesOn(today, settings.check_in), now);
  MADOGUCHI_ASSIGN_OR_RETURN(std::optional<int64_t> id, port.InsertCheckIn(tenant, e.id, today, t));
  if (!id) return InternalError("a check-in appeared while sending one", "check_in_race");
  CheckInRecord c{*id, e.id, today, CheckInState::kSent, t, std::nullopt};
  MADOGUCHI_RETURN_IF_ERROR(port.Enqueue(CheckInMessages(tenant, e, c, false, now), now));
  return c;
}

Result<int64_t> FollowUpService::LogCall(FollowUpPort& port, const std::string& tenant, int64_t episode_id, int64_t operator_id,
                                         CallOutcome outcome, const std::string& notes) const {
  if (notes.size() > 2000) return InvalidArgumentError("notes", "must be at most 2000 bytes", "too_long");
  std::string flat = notes;
  std::replace(flat.begin(), flat.end(), '\n', ' ');
  std::replace(flat.begin(), flat.end(), '\r', ' ');
  if (!text::IsValidUtf8(notes) || text::HasControlChars(flat)) return InvalidArgumentError("notes", "must be text", "bad_text");
  MADOGUCHI_ASSIGN_OR_RETURN(EpisodeView e, port.GetEpisode(tenant, episode_id));
  const int64_t now = clock_.NowMs();
  MADOGUCHI_ASSIGN_OR_RETURN(int64_t id, port.InsertCall(tenant, CallRecord{e.id, operator_id, outcome, notes, now}));
  if (SettlesCall(outcome) && e.call) MADOGUCHI_RETURN_IF_ERROR(port.SetCallNeed(tenant, e.id, std::nullopt));
  return id;
}

Result<EpisodeView> FollowUpService::Extend(FollowUpPort& port, const std::string& tenant, int64_t episode_id, int64_t doctor,
                                            int days) const {
  if (days < 1 || days > kMaxExtensionDays) {
    return InvalidArgumentError("days", "must be from 1 to " + std::to_string(kMaxExtensionDays) + " days", "out_of_range");
  }
  MADOGUCHI_ASSIGN_OR_RETURN(EpisodeView e, port.GetEpisode(tenant, episode_id));
  if (!e.active) return FailedPreconditionError("the home care has ended", "episode_ended");
  const booking::Day end = e.planned_end_on + std::chrono::days{days};
  if ((end - e.starts_on).count() > kMaxEpisodeDays) {
    return InvalidArgumentError("days", "home care may last at most " + std::to_string(kMaxEpisodeDays) + " days", "too_long");
  }
  const int64_t now = clock_.NowMs();
  MADOGUCHI_ASSIGN_OR_RETURN(bool extended, port.ExtendEpisode(tenant, e.id, end, doctor, now));
  if (!extended) return FailedPreconditionError("the home care has ended", "episode_ended");
  MADOGUCHI_ASSIGN_OR_RETURN(CareSettings settings, port.TenantSettings(tenant));
  MADOGUCHI_RETURN_IF_ERROR(
      port.SetKitPhotoDeleteAfter(tenant, e.application_id, PhotoDeleteAfterMs(PhotoKind::kKit, now, end, settings.episode)));
  messaging::Message m =
      ToPatient(tenant, e, "care_episode_extended", EpisodeDedupe(e.id, "extended:" + std::to_string(end.time_since_epoch().count())), now);
  m.variables["end_day_ms"] = JapanMidnightMs(end);
  MADOGUCHI_RETURN_IF_ERROR(port.Enqueue({m}, now));
  return port.GetEpisode(tenant, e.id);
}

}  // namespace madoguchi::care
