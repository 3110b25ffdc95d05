// Daily health observation over SQL, on both backends: a confirmed patient gets the day's
// check-in at the tenant's time (once, however many rounds run), a reminder at the first deadline
// and the call list at the second; a report with SpO2 92 is P0 on the dashboard with its rule
// and version kept; a number replied to the check-in's SMS is that day's report; a settling call
// takes the patient off the list; the episode ends with its closing message unless extended.
#include "store/care/follow_up.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <latch>
#include <sstream>
#include <thread>

#include "common/clock.hpp"
#include "common/time_format.hpp"
#include "messaging/templates.hpp"
#include "store/accounts/accounts.hpp"
#include "store/care/applications.hpp"
#include "store/care/settings.hpp"
#include "store/outbox/messages.hpp"
#include "support/care_data.hpp"
#include "support/shared_data.hpp"
#include "support/status_matchers.hpp"
#include "support/test_db.hpp"

namespace madoguchi::store {
namespace {

using testing::IsOk;
using testing::TestDatabase;

constexpr char kTenant[] = "430005";
constexpr int64_t kNow = 1'796'184'000'000;  // 2026-12-02 13:00 in Japan
constexpr int64_t kHour = 3'600'000;
constexpr int64_t kDay = 24 * kHour;
// 2026-12-03 09:00 in Japan: the first check-in (confirmed at 13:00, past the day's reminder deadline).
constexpr int64_t kFirstSend = kNow + 20 * kHour;

care::FormFields Stable() {
  care::FormFields f{{"urgent", "no"}, {"temperature", "36.8"}, {"spo2", "97"}};
  for (size_t i = 0; i < care::kSymptomCount; ++i) f.emplace("s_" + std::string(care::SymptomName(static_cast<care::Symptom>(i))), "no");
  return f;
}

class FollowUpStoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    tdb_ = std::make_unique<TestDatabase>(GetParam());
    MADOGUCHI_REQUIRE_DB(*tdb_);
    MADOGUCHI_REQUIRE_SHARED_DATA("kits");
    db_ = tdb_->Open(true);
    ASSERT_NE(db_, nullptr);
    root_ = std::filesystem::temp_directory_path() / ("madoguchi-followup-" + std::to_string(::getpid()) + "-" + GetParam());
    std::filesystem::remove_all(root_);
    files_ = std::make_unique<PhotoFiles>(root_.string());
    ASSERT_THAT(
        InTransaction(
            *db_,
            [&](Connection& c) -> Status {
              MADOGUCHI_RETURN_IF_ERROR(InsertTenant(c, {kTenant, "熊本県", kNow}));
              MADOGUCHI_ASSIGN_OR_RETURN(doctor_, InsertUser(c, {"dr1", "医師 一", accounts::Role::kDoctor, "h", {kTenant}, 1}));
              MADOGUCHI_ASSIGN_OR_RETURN(operator_, InsertUser(c, {"op1", "係員 一", accounts::Role::kOperator, "h", {kTenant}, 1}));
              return Status::Ok();
            }),
        IsOk());
    clock_.SetMs(kNow);
    // A patient confirmed at 13:00.
    episode_ = Confirm(testing::CareAnswers());
    ASSERT_NE(episode_, 0);
  }
  // Applies with `form` and a real kit photo, and a doctor confirms; the episode's id (0 on failure).
  int64_t Confirm(const care::FormFields& form) {
    care::ApplicationInput in{form, testing::Slurp(testing::SharedData("kits") / "kit_032.jpg"),
                              testing::Slurp(testing::SharedData("kits") / "photo_with_gps_exif.jpg")};
    care::Prepared p = care_.Prepare(in, care::DefaultCareSettings());
    EXPECT_TRUE(p.ok());
    if (!p.ok()) return 0;
    int64_t episode = 0;
    EXPECT_THAT(InTransaction(*db_,
                              [&](Connection& c) -> Status {
                                SqlCarePort port(c, *files_);
                                MADOGUCHI_ASSIGN_OR_RETURN(care::Applied a, care_.Submit(port, kTenant, p));
                                MADOGUCHI_RETURN_IF_ERROR(care_.Claim(port, kTenant, doctor_, a.id).status());
                                MADOGUCHI_ASSIGN_OR_RETURN(care::Decided d,
                                                           care_.Decide(port, kTenant, doctor_, a.id, care::Decision::kConfirm, ""));
                                episode = d.episode->id;
                                return Status::Ok();
                              }),
                IsOk());
    return episode;
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  template <typename F>
  auto WithPort(F f) -> decltype(f(std::declval<care::FollowUpPort&>())) {
    std::optional<decltype(f(std::declval<care::FollowUpPort&>()))> out;
    Status s = InTransaction(*db_, [&](Connection& c) -> Status {
      SqlFollowUpPort port(c);
      out.emplace(f(port));
      return out->status();
    });
    if (!out) return s;
    return std::move(*out);
  }
  care::RoundCounts Round() {
    auto n = WithPort([&](care::FollowUpPort& port) { return follow_up_.Round(port, kTenant, 100); });
    EXPECT_THAT(n.status(), IsOk());
    return n.ok() ? *n : care::RoundCounts{};
  }
  std::vector<StoredMessage> Messages(const std::string& template_key) {
    std::vector<StoredMessage> all, out;
    EXPECT_THAT(WithConnection(*db_,
                               [&](Connection& c) -> Status {
                                 MADOGUCHI_ASSIGN_OR_RETURN(all, ListMessages(c, kTenant, 1000));
                                 return Status::Ok();
                               }),
                IsOk());
    for (auto& m : all) {
      if (m.message.template_key == template_key) out.push_back(m);
    }
    return out;
  }
  template <typename F>
  auto Read(F f) -> decltype(f(std::declval<Connection&>())) {
    std::optional<decltype(f(std::declval<Connection&>()))> out;
    Status s = WithConnection(*db_, [&](Connection& c) -> Status {
      out.emplace(f(c));
      return out->status();
    });
    if (!out) return s;
    return std::move(*out);
  }
  int64_t CheckInOf(const StoredMessage& m) { return *care::CheckInOfMessage(m.message); }

  std::unique_ptr<TestDatabase> tdb_;
  std::unique_ptr<Database> db_;
  std::filesystem::path root_;
  std::unique_ptr<PhotoFiles> files_;
  FakeClock clock_;
  care::CareService care_{clock_, "status-secret"};
  care::FollowUpService follow_up_{clock_, "status-secret"};
  int64_t doctor_ = 0, operator_ = 0, episode_ = 0;
};

TEST_P(FollowUpStoreTest, TheCheckInGoesOutOnceAtTheTenantsTimeThenAReminderThenTheCallList) {
  EXPECT_EQ(Round().sent, 0);  // confirmed at 13:00: the first check-in is tomorrow's
  clock_.SetMs(kFirstSend - 60'000);
  EXPECT_EQ(Round().sent, 0);  // 08:59
  clock_.SetMs(kFirstSend);
  EXPECT_EQ(Round().sent, 1);
  EXPECT_EQ(Round().sent, 0);  // a second round sends nothing more
  auto sent = Messages("care_check_in");
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].message.address, "+819012345678");
  const std::string link = messaging::VariableText(sent[0].message.variables, "link_path");
  EXPECT_TRUE(link.starts_with(std::string("/r/") + kTenant + "/care/c/")) << link;
  const std::string token = link.substr(link.rfind('/') + 1);
  EXPECT_EQ(follow_up_.ReadCheckInToken(kTenant, token), CheckInOf(sent[0]));
  EXPECT_EQ(follow_up_.ReadCheckInToken("131001", token), std::nullopt);  // another tenant's link opens nothing

  clock_.SetMs(kFirstSend + 3 * kHour);  // 12:00: no answer yet
  EXPECT_EQ(Round().reminded, 1);
  EXPECT_EQ(Messages("care_check_in_reminder").size(), 1u);
  EXPECT_EQ(Round().reminded, 0);
  clock_.SetMs(kFirstSend + 6 * kHour);  // 15:00: onto the call list
  EXPECT_EQ(Round().missed, 1);
  auto calls = Read([&](Connection& c) { return ListCallList(c, kTenant, JapanDay(clock_.NowMs()), 10); });
  ASSERT_THAT(calls.status(), IsOk());
  ASSERT_EQ(calls->size(), 1u);
  EXPECT_EQ((*calls)[0].episode.name, "熊本 花子");
  EXPECT_EQ((*calls)[0].episode.call->priority, care::Priority::kP2);  // 40 years old, no risk factor
  EXPECT_EQ((*calls)[0].episode.call->rule_id, "missed");
  EXPECT_EQ((*calls)[0].today, care::CheckInState::kMissed);
  // A late answer that is stable takes the patient off (only the missed check-in put them there).
  care::HealthReport stable;
  ASSERT_TRUE(care::ReadHealthReport(Stable(), clock_.NowMs(), stable).empty());
  ASSERT_THAT(WithPort([&](care::FollowUpPort& port) {
                return follow_up_.Report(port, kTenant, CheckInOf(sent[0]), stable, care::ReportSource::kForm);
              }).status(),
              IsOk());
  calls = Read([&](Connection& c) { return ListCallList(c, kTenant, JapanDay(clock_.NowMs()), 10); });
  EXPECT_TRUE(calls->empty());
}

TEST_P(FollowUpStoreTest, SpO2Of92IsP0OnTheDashboardUntilAnOperatorReachesThePatient) {
  clock_.SetMs(kFirstSend);
  ASSERT_EQ(Round().sent, 1);
  const int64_t check_in = CheckInOf(Messages("care_check_in")[0]);
  care::FormFields f = Stable();
  f.erase("spo2");
  f.emplace("spo2", "92");
  care::HealthReport report;
  ASSERT_TRUE(care::ReadHealthReport(f, clock_.NowMs(), report).empty());
  auto reported =
      WithPort([&](care::FollowUpPort& port) { return follow_up_.Report(port, kTenant, check_in, report, care::ReportSource::kForm); });
  ASSERT_THAT(reported.status(), IsOk());
  EXPECT_EQ(reported->advice, care::Advice::kCall119);
  EXPECT_EQ(reported->report.classification.rule_id, "spo2_93");
  auto dash = Read([&](Connection& c) { return GetCareDashboard(c, kTenant, clock_.NowMs()); });
  ASSERT_THAT(dash.status(), IsOk());
  EXPECT_EQ(dash->to_call[0], 1);
  ASSERT_EQ(dash->open_p0.size(), 1u);
  EXPECT_EQ(dash->open_p0[0].episode.id, episode_);
  EXPECT_EQ(dash->days[0].sent, 1);
  EXPECT_EQ(dash->days[0].answered, 1);
  // The classification is kept with its rule and the rule set's version.
  auto record = Read([&](Connection& c) { return GetPatientRecord(c, kTenant, episode_); });
  ASSERT_THAT(record.status(), IsOk());
  ASSERT_EQ(record->reports.size(), 1u);
  EXPECT_EQ(record->reports[0].classification.version, care::DefaultTriageRules().version);
  EXPECT_EQ(record->reports[0].report->spo2, 92);
  // A later stable report does not take off a P0: a person must call.
  care::HealthReport stable;
  ASSERT_TRUE(care::ReadHealthReport(Stable(), clock_.NowMs(), stable).empty());
  ASSERT_THAT(WithPort([&](care::FollowUpPort& port) {
                return follow_up_.Report(port, kTenant, check_in, stable, care::ReportSource::kForm);
              }).status(),
              IsOk());
  dash = Read([&](Connection& c) { return GetCareDashboard(c, kTenant, clock_.NowMs()); });
  EXPECT_EQ(dash->to_call[0], 1);
  // No answer keeps them on the list; reaching them takes them off.
  ASSERT_THAT(WithPort([&](care::FollowUpPort& port) {
                return follow_up_.LogCall(port, kTenant, episode_, operator_, care::CallOutcome::kNoAnswer, "");
              }).status(),
              IsOk());
  EXPECT_EQ(Read([&](Connection& c) { return GetCareDashboard(c, kTenant, clock_.NowMs()); })->to_call[0], 1);
  auto too_long = WithPort([&](care::FollowUpPort& port) {
    return follow_up_.LogCall(port, kTenant, episode_, operator_, care::CallOutcome::kReached, std::string(2001, 'a'));
  });
  EXPECT_EQ(too_long.status().field(), "notes");
  ASSERT_THAT(WithPort([&](care::FollowUpPort& port) {
                return follow_up_.LogCall(port, kTenant, episode_, operator_, care::CallOutcome::kAdvised119, "救急要請済み");
              }).status(),
              IsOk());
  dash = Read([&](Connection& c) { return GetCareDashboard(c, kTenant, clock_.NowMs()); });
  EXPECT_EQ(dash->to_call[0], 0);
  EXPECT_TRUE(dash->open_p0.empty());
  record = Read([&](Connection& c) { return GetPatientRecord(c, kTenant, episode_); });
  ASSERT_EQ(record->calls.size(), 2u);
  EXPECT_EQ(record->calls[0].notes, "救急要請済み");
  EXPECT_EQ(record->operator_names[0], "係員 一");
}

TEST_P(FollowUpStoreTest, ANumberRepliedToTheCheckInIsThatDaysReport) {
  clock_.SetMs(kFirstSend);
  ASSERT_EQ(Round().sent, 1);
  const StoredMessage m = Messages("care_check_in")[0];
  auto other = WithPort([&](care::FollowUpPort& port) { return follow_up_.TakeNumberReply(port, kTenant, m.id, "ありがとう"); });
  ASSERT_THAT(other.status(), IsOk());
  EXPECT_FALSE(other->has_value());  // an ordinary reply, for the inbox
  auto worse = WithPort([&](care::FollowUpPort& port) { return follow_up_.TakeNumberReply(port, kTenant, m.id, " ２ "); });
  ASSERT_THAT(worse.status(), IsOk());
  ASSERT_TRUE(worse->has_value());
  EXPECT_EQ((*worse)->report.source, care::ReportSource::kNumberReply);
  EXPECT_EQ((*worse)->report.classification.priority, care::Priority::kP1);
  EXPECT_EQ((*worse)->report.classification.rule_id, "reported_worse");
  auto c = WithPort([&](care::FollowUpPort& port) { return port.GetCheckIn(kTenant, CheckInOf(m)); });
  EXPECT_EQ(c->state, care::CheckInState::kAnswered);
  clock_.SetMs(kFirstSend + 3 * kHour);
  EXPECT_EQ(Round().reminded, 0);  // answered: no reminder
  auto calls = Read([&](Connection& conn) { return ListCallList(conn, kTenant, JapanDay(clock_.NowMs()), 10); });
  ASSERT_EQ(calls->size(), 1u);
  EXPECT_EQ(calls->at(0).episode.call->rule_id, "reported_worse");
}

TEST_P(FollowUpStoreTest, TheEpisodeEndsOnItsDayWithAClosingMessageUnlessADoctorExtendsIt) {
  using namespace std::chrono;
  auto ext = WithPort([&](care::FollowUpPort& port) { return follow_up_.Extend(port, kTenant, episode_, doctor_, 15); });
  EXPECT_EQ(ext.status().field(), "days");
  ext = WithPort([&](care::FollowUpPort& port) { return follow_up_.Extend(port, kTenant, episode_, doctor_, 2); });
  ASSERT_THAT(ext.status(), IsOk());
  EXPECT_EQ(ext->planned_end_on, booking::Day{year{2026} / 12 / 9});  // 12/7 + 2
  EXPECT_EQ(Messages("care_episode_extended").size(), 1u);
  // 12/9 09:00: the last day's check-in; 12/10 09:00: the end.
  clock_.SetMs(kFirstSend + 6 * kDay);
  EXPECT_EQ(Round().sent, 1);
  clock_.SetMs(kFirstSend + 7 * kDay);
  care::RoundCounts n = Round();
  EXPECT_EQ(n.ended, 1);
  EXPECT_EQ(n.sent, 0);
  EXPECT_EQ(Messages("care_episode_ended").size(), 1u);
  auto after = WithPort([&](care::FollowUpPort& port) { return follow_up_.Extend(port, kTenant, episode_, doctor_, 2); });
  EXPECT_EQ(after.status().key(), "episode_ended");
}

TEST_P(FollowUpStoreTest, StaffSendTodaysCheckInNowAndItsLinkAgainOnceAMinute) {
  EXPECT_EQ(Round().sent, 0);  // confirmed at 13:00: the round waits for tomorrow
  auto sent = WithPort([&](care::FollowUpPort& port) { return follow_up_.SendCheckInNow(port, kTenant, episode_); });
  ASSERT_THAT(sent.status(), IsOk());
  EXPECT_EQ(sent->day, JapanDay(kNow));
  EXPECT_EQ(sent->times.remind_at_ms, kNow + kHour);  // an hour to answer before the reminder
  EXPECT_EQ(sent->times.call_at_ms, kNow + 2 * kHour);
  EXPECT_EQ(Messages("care_check_in").size(), 1u);
  // Again in the same minute: no second message; a minute later: the link again, same check-in.
  auto again = WithPort([&](care::FollowUpPort& port) { return follow_up_.SendCheckInNow(port, kTenant, episode_); });
  ASSERT_THAT(again.status(), IsOk());
  EXPECT_EQ(again->id, sent->id);
  EXPECT_EQ(Messages("care_check_in").size(), 1u);
  clock_.SetMs(kNow + 60'000);
  ASSERT_THAT(WithPort([&](care::FollowUpPort& port) { return follow_up_.SendCheckInNow(port, kTenant, episode_); }).status(), IsOk());
  auto both = Messages("care_check_in");
  ASSERT_EQ(both.size(), 2u);
  EXPECT_EQ(CheckInOf(both[1]), sent->id);
  EXPECT_EQ(Round().sent, 0);  // today's is sent: the round sends no other
  auto missing = WithPort([&](care::FollowUpPort& port) { return follow_up_.SendCheckInNow(port, kTenant, episode_ + 100); });
  EXPECT_EQ(missing.status().key(), "episode_not_found");
}

TEST_P(FollowUpStoreTest, ATenantsOwnTimeAndRulesAreTheOnesUsed) {
  care::TriageRuleSet rules = care::DefaultTriageRules();
  rules.version = "kumamoto-2022.1";
  ASSERT_THAT(InTransaction(*db_,
                            [&](Connection& c) -> Status {
                              care::CareSettings s = care::DefaultCareSettings();
                              s.check_in = care::CheckInRules{7 * 60 + 30, 120, 240};
                              s.triage = rules;
                              return SaveCareSettings(c, kTenant, s, kNow);
                            }),
              IsOk());
  auto bad = InTransaction(*db_, [&](Connection& c) -> Status {
    care::CareSettings s = care::DefaultCareSettings();
    s.check_in = care::CheckInRules{7 * 60, 20, 240};
    return SaveCareSettings(c, kTenant, s, kNow);
  });
  EXPECT_EQ(bad.field(), "remind_after_minutes");
  clock_.SetMs(kFirstSend - 90 * 60'000 - 60'000);  // 07:29
  EXPECT_EQ(Round().sent, 0);
  clock_.SetMs(kFirstSend - 90 * 60'000);  // 07:30
  ASSERT_EQ(Round().sent, 1);
  const int64_t check_in = CheckInOf(Messages("care_check_in")[0]);
  care::HealthReport stable;
  ASSERT_TRUE(care::ReadHealthReport(Stable(), clock_.NowMs(), stable).empty());
  auto r =
      WithPort([&](care::FollowUpPort& port) { return follow_up_.Report(port, kTenant, check_in, stable, care::ReportSource::kForm); });
  ASSERT_THAT(r.status(), IsOk());
  EXPECT_EQ(r->report.classification.version, "kumamoto-2022.1");
  // A stored rule set that no longer reads is an error, never the defaults.
  ASSERT_THAT(InTransaction(*db_, [&](Connection& c) -> Status { return c.Query("UPDATE care_settings SET triage_rules = '{'").status(); }),
              IsOk());
  auto broken = WithPort([&](care::FollowUpPort& port) { return follow_up_.Round(port, kTenant, 10); });
  EXPECT_EQ(broken.status().key(), "bad_stored_care_settings");
}

TEST_P(FollowUpStoreTest, APatientWhoChoseEmailGetsTheCheckInsByEmail) {
  care::FormFields form = testing::CareAnswers();
  form.emplace("contact", "email");
  form.emplace("email", "hanako@example.jp");
  const int64_t by_email = Confirm(form);
  ASSERT_NE(by_email, 0);
  clock_.SetMs(kFirstSend);
  ASSERT_EQ(Round().sent, 2);
  int emails = 0;
  for (const StoredMessage& m : Messages("care_check_in")) {
    const bool email = m.message.channels == std::vector<messaging::Delivery>{messaging::Delivery::kEmail};
    EXPECT_EQ(m.message.address, email ? "hanako@example.jp" : "+819012345678");
    emails += email;
  }
  EXPECT_EQ(emails, 1);
}

// A LINE link word sent by two LINE users at the same moment (two processes, each its own
// transaction) links exactly one of them; the other is told the word is in use.
TEST_P(FollowUpStoreTest, AWordSentByTwoLineUsersAtOnceLinksOne) {
  auto offer = WithPort([&](care::FollowUpPort& port) -> Result<std::optional<care::FollowUpService::LineLinkOffer>> {
    MADOGUCHI_ASSIGN_OR_RETURN(care::EpisodeView e, port.GetEpisode(kTenant, episode_));
    return follow_up_.OfferLineLink(port, kTenant, e.application_id);
  });
  ASSERT_THAT(offer.status(), IsOk());
  ASSERT_TRUE(offer->has_value());
  const std::string word = "連携 " + care::LineLinkCodeInGroups((*offer)->code);
  const std::string users[2] = {"U00000000000000000000000000000001", "U00000000000000000000000000000002"};
  for (int round = 0; round < 20; ++round) {
    for (const std::string& u : users) {
      ASSERT_THAT(WithPort([&](care::FollowUpPort& port) -> Result<bool> {
                    MADOGUCHI_RETURN_IF_ERROR(port.ForgetLineUser(kTenant, u));
                    return true;
                  }).status(),
                  IsOk());
    }
    std::optional<care::LineLinked> got[2];
    std::latch start(2);
    std::vector<std::thread> threads;
    for (int t = 0; t < 2; ++t) {
      threads.emplace_back([&, t] {
        start.arrive_and_wait();
        auto r = WithPort([&](care::FollowUpPort& port) { return follow_up_.LinkLine(port, kTenant, users[t], word); });
        if (r.ok() && *r) got[t] = **r;
      });
    }
    for (auto& th : threads) th.join();
    ASSERT_TRUE(got[0] && got[1]) << "round " << round;
    const int linked = (got[0]->outcome == care::LineLinkOutcome::kLinked) + (got[1]->outcome == care::LineLinkOutcome::kLinked);
    EXPECT_EQ(linked, 1) << "round " << round;
    const int other = got[0]->outcome == care::LineLinkOutcome::kLinked ? 1 : 0;
    EXPECT_EQ(got[other]->outcome, care::LineLinkOutcome::kUsedByAnother) << "round " << round;
    auto e = WithPort([&](care::FollowUpPort& port) { return port.GetEpisode(kTenant, episode_); });
    ASSERT_THAT(e.status(), IsOk());
    EXPECT_EQ(e->line_user_id, users[1 - other]) << "the one told it is linked is the one linked";
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, FollowUpStoreTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace madoguchi::store
