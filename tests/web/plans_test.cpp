// The supervisor's planner over HTTP (pages and API), on SQLite and PostgreSQL: a plan is made,
// saved, listed, read and downloaded in its own tenant only; a bad scenario changes nothing.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "booking/booking.hpp"
#include "common/crypto.hpp"
#include "common/time_format.hpp"
#include "store/accounts/accounts.hpp"
#include "store/booking/bookings.hpp"
#include "store/calls/call_records.hpp"
#include "store/jobs/jobs.hpp"
#include "support/web_fixture.hpp"
#include "web/jobs/job_runner.hpp"

namespace madoguchi::web {
namespace {

using accounts::Role;
using testing::Call;
using testing::kForeignTenant;
using testing::kOwnTenant;
using testing::WebFixture;

nlohmann::json SmallScenario() {
  return nlohmann::json::parse(R"({
    "name": "小さな計画",
    "profile": {"population": 20000, "start": "2027-04-05", "days": 14,
                "mailings": [{"date": "2027-04-05", "count": 2000}],
                "booking_opens": [{"date": "2027-04-12", "count": 2000}]},
    "hours": {"weekday": "09:00-17:00"},
    "service": {"aht_sec": 300, "answer_within_sec": 30, "service_level": 0.8, "patience_sec": 180},
    "staffing": {"min_agents": 2, "max_agents": 8, "cost_per_agent_hour": 2000,
                 "shifts": [{"name": "終日", "start": "09:00", "end": "17:00", "break_minutes": 60},
                            {"name": "午前", "start": "09:00", "end": "13:00"}]},
    "simulation": {"replications": 4}})");
}

class PlansTest : public ::testing::TestWithParam<std::string> {};

// What a job thread of serve or worker does with the plan the API accepted (202): makes it. Then
// the job as the API answers it.
nlohmann::json RunAccepted(WebFixture& fx, const testing::Session& s, const HttpResponse& accepted) {
  EXPECT_EQ(accepted.status, 202) << accepted.body;
  const auto body = nlohmann::json::parse(accepted.body);
  EXPECT_EQ(body["state"], "queued");
  auto ran = RunNextJob(fx.db(), fx.clock(), "test-runner");
  EXPECT_TRUE(ran.ok() && *ran) << (ran.ok() ? "no job" : ran.status().ToString());
  return nlohmann::json::parse(fx.SendAs(s, Call{"GET", body["job"].get<std::string>()}).body);
}
// The page's way: the form posted goes to the job's page; the job made, that page goes on to the plan.
std::string RunPosted(WebFixture& fx, const testing::Session& s, const HttpResponse& posted) {
  EXPECT_EQ(posted.status, 303) << posted.body;
  const std::string job_page = testing::HeaderOf(posted, "Location");
  EXPECT_TRUE(job_page.starts_with(std::string("/t/") + kOwnTenant + "/jobs/")) << job_page;
  auto ran = RunNextJob(fx.db(), fx.clock(), "test-runner");
  EXPECT_TRUE(ran.ok() && *ran);
  HttpResponse done = fx.SendAs(s, Call{"GET", job_page});
  EXPECT_EQ(done.status, 303) << done.body;
  return testing::HeaderOf(done, "Location");
}

TEST_P(PlansTest, ApiMakesSavesListsAndReadsPlansInItsOwnTenant) {
  WebFixture fx(GetParam());
  MADOGUCHI_REQUIRE_DB(fx.test_db());
  const auto own = fx.SessionFor(fx.AddUser("sup-a", Role::kSupervisor, {kOwnTenant}));
  const auto other = fx.SessionFor(fx.AddUser("sup-b", Role::kSupervisor, {kForeignTenant}));
  const std::string api = std::string("/api/v1/t/") + kOwnTenant + "/plans";

  HttpResponse created = fx.SendAs(own, Call{"POST", api}.Json({{"scenario", SmallScenario()}}));
  const auto job = RunAccepted(fx, own, created);
  ASSERT_EQ(job["state"], "done") << job.dump();
  const auto id = job["plan"]["id"].get<int64_t>();

  auto list = nlohmann::json::parse(fx.SendAs(own, Call{"GET", api}).body);
  ASSERT_EQ(list["plans"].size(), 1u);
  EXPECT_EQ(list["plans"][0]["name"], "小さな計画");
  EXPECT_GT(list["plans"][0]["summary"]["total"].get<double>(), 0);

  HttpResponse plan = fx.SendAs(own, Call{"GET", api + "/" + std::to_string(id)});
  ASSERT_EQ(plan.status, 200);
  auto j = nlohmann::json::parse(plan.body);
  EXPECT_EQ(j["forecast_days"].size(), 14u);
  EXPECT_FALSE(j["shifts"].empty());
  EXPECT_FALSE(j["what_if"].empty());

  // Pages: the report, with its downloads.
  const std::string page = std::string("/t/") + kOwnTenant + "/plans/" + std::to_string(id);
  HttpResponse report = fx.SendAs(own, Call{"GET", page});
  ASSERT_EQ(report.status, 200);
  EXPECT_NE(report.body.find("<svg"), std::string::npos);
  EXPECT_NE(report.body.find("計画の一覧"), std::string::npos);
  HttpResponse csv = fx.SendAs(own, Call{"GET", page + "/plan.csv"});
  ASSERT_EQ(csv.status, 200);
  EXPECT_TRUE(
      csv.body.starts_with("\xEF\xBB\xBF"
                           "日付,開始時刻,"))
      << "column names in Japanese for people";
  HttpResponse machine = fx.SendAs(own, Call{"GET", page + "/plan.csv"}.Param("names", "machine"));
  EXPECT_TRUE(
      machine.body.starts_with("\xEF\xBB\xBF"
                               "date,interval_start"))
      << "and the machine names for programs";
  EXPECT_NE(testing::HeaderOf(csv, "Content-Disposition").find("attachment"), std::string::npos);
  EXPECT_EQ(fx.SendAs(own, Call{"GET", page + "/secret.txt"}).status, 404);

  // Another tenant's supervisor cannot see it, even by id in their own tenant.
  EXPECT_EQ(fx.SendAs(other, Call{"GET", api}).status, 403);
  HttpResponse foreign = fx.SendAs(other, Call{"GET", std::string("/api/v1/t/") + kForeignTenant + "/plans/" + std::to_string(id)});
  EXPECT_EQ(foreign.status, 404);

  // The audit log has the creation.
  const auto admin = fx.SessionFor(fx.AddUser("adm", Role::kAdmin, {kOwnTenant}));
  auto audit = nlohmann::json::parse(fx.SendAs(admin, Call{"GET", std::string("/api/v1/t/") + kOwnTenant + "/audit"}).body);
  bool found = false;
  bool queued = false;
  for (const auto& e : audit["entries"]) {
    found |= e["action"] == "plan.create" && e["record"] == "plan:" + std::to_string(id) && e["actor_login"] == "sup-a";
    queued |= e["action"] == "plan.queue" && e["actor_login"] == "sup-a";
  }
  EXPECT_TRUE(found) << "made by the job, in its author's name: " << audit.dump();
  EXPECT_TRUE(queued) << audit.dump();
}

TEST_P(PlansTest, ABadScenarioNamesTheFieldAndSavesNothing) {
  WebFixture fx(GetParam());
  MADOGUCHI_REQUIRE_DB(fx.test_db());
  const auto sup = fx.SessionFor(fx.AddUser("sup", Role::kSupervisor, {kOwnTenant}));
  const std::string api = std::string("/api/v1/t/") + kOwnTenant + "/plans";
  auto bad = SmallScenario();
  bad["staffing"]["max_agents"] = -1;
  HttpResponse r = fx.SendAs(sup, Call{"POST", api}.Json({{"scenario", bad}}));
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(nlohmann::json::parse(r.body)["error"]["field"], "staffing.max_agents");
  HttpResponse missing = fx.SendAs(sup, Call{"POST", api}.Json({{"name", "x"}}));
  EXPECT_EQ(missing.status, 422);
  auto history = SmallScenario();
  history.erase("profile");
  history["history"] = {{"file", "calls.csv"}};
  HttpResponse no_csv = fx.SendAs(sup, Call{"POST", api}.Json({{"scenario", history}}));
  EXPECT_EQ(nlohmann::json::parse(no_csv.body)["error"]["field"], "history_csv");

  // The page keeps what was typed and says which field.
  Call form{"POST", std::string("/t/") + kOwnTenant + "/plans"};
  form.Param("scenario", "{\"name\": \"x\", \"hours\": {}}");
  HttpResponse page = fx.SendAs(sup, form);
  EXPECT_EQ(page.status, 422);
  EXPECT_NE(page.body.find("計画を作れませんでした。"), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("{&quot;name&quot;: &quot;x&quot;"), std::string::npos) << "the text stays in the form";

  EXPECT_EQ(nlohmann::json::parse(fx.SendAs(sup, Call{"GET", api}).body)["plans"].size(), 0u);
}

// Re-planning while the operation runs: the calls operators recorded in the console are the history.
TEST_P(PlansTest, APlanCanLearnFromTheCallsOperatorsRecorded) {
  WebFixture fx(GetParam());
  MADOGUCHI_REQUIRE_DB(fx.test_db());
  const auto sup = fx.SessionFor(fx.AddUser("sup", Role::kSupervisor, {kOwnTenant}));
  const int64_t op = fx.AddUser("op", Role::kOperator, {kOwnTenant});
  const std::string api = std::string("/api/v1/t/") + kOwnTenant + "/plans";
  auto history = SmallScenario();
  history.erase("profile");
  history["history"] = {{"horizon_days", 14}};

  // Nothing recorded yet: the field is named, nothing is saved.
  HttpResponse none = fx.SendAs(sup, Call{"POST", api}.Json({{"scenario", history}, {"use_call_records", true}}));
  EXPECT_EQ(none.status, 422) << none.body;
  EXPECT_EQ(nlohmann::json::parse(none.body)["error"]["field"], "use_call_records");
  // A profile scenario cannot use them, and the flag must be a boolean.
  HttpResponse profile = fx.SendAs(sup, Call{"POST", api}.Json({{"scenario", SmallScenario()}, {"use_call_records", true}}));
  EXPECT_EQ(nlohmann::json::parse(profile.body)["error"]["field"], "use_call_records");
  HttpResponse text = fx.SendAs(sup, Call{"POST", api}.Json({{"scenario", history}, {"use_call_records", "yes"}}));
  EXPECT_EQ(nlohmann::json::parse(text.body)["error"]["field"], "use_call_records");

  // Six weeks of recorded weekday calls (more on Mondays), 09:00–17:00 Tokyo.
  const int64_t day_ms = 86'400'000;
  const int64_t first_day = fx.clock().NowMs() / day_ms * day_ms - 42 * day_ms;
  int recorded = 0;
  ASSERT_TRUE(store::InTransaction(fx.db(), [&](store::Connection& c) -> Status {
                for (int d = 0; d < 42; ++d) {
                  const int64_t day = first_day + d * day_ms;
                  const int weekday = static_cast<int>((day / day_ms + 4) % 7);  // 0 = Sunday
                  if (weekday == 0 || weekday == 6) continue;
                  const int calls = weekday == 1 ? 30 : 18;
                  for (int i = 0; i < calls; ++i) {
                    store::CallRecord r;
                    r.user_id = op;
                    r.category = "booking";
                    r.started_at_ms = day + (i * 8 * 3600 / calls) * 1000LL;  // 00:00 UTC = 09:00 Tokyo
                    r.handle_sec = 240;
                    MADOGUCHI_RETURN_IF_ERROR(store::InsertCallRecord(c, kOwnTenant, r, day).status());
                    ++recorded;
                  }
                }
                return Status::Ok();
              }).ok());
  HttpResponse page = fx.SendAs(sup, Call{"GET", std::string("/t/") + kOwnTenant + "/plans"});
  EXPECT_NE(page.body.find("記録した通話（" + std::to_string(recorded) + " 件）"), std::string::npos);

  HttpResponse made = fx.SendAs(sup, Call{"POST", api}.Json({{"scenario", history}, {"use_call_records", true}}));
  const auto job = RunAccepted(fx, sup, made);
  ASSERT_EQ(job["state"], "done") << job.dump();
  const auto id = job["plan"]["id"].get<int64_t>();
  auto plan = nlohmann::json::parse(fx.SendAs(sup, Call{"GET", api + "/" + std::to_string(id)}).body);
  EXPECT_EQ(plan["forecast_days"].size(), 14u);
  // The forecast has learned the weekday pattern: Mondays are busier than Wednesdays.
  double monday = 0, wednesday = 0;
  for (const auto& d : plan["forecast_days"]) {
    const std::string date = d["date"];
    const int64_t days = ParseIsoDate(date)->time_since_epoch().count();
    const int weekday = static_cast<int>((days + 4) % 7);
    if (weekday == 1) monday = d["p50"].get<double>();
    if (weekday == 3) wednesday = d["p50"].get<double>();
  }
  EXPECT_GT(monday, wednesday * 1.3) << plan["forecast_days"].dump();
}

// While the operation runs, the report shows each day so far: the forecast beside the calls recorded.
TEST_P(PlansTest, TheReportShowsTheForecastBesideTheRecordedCalls) {
  WebFixture fx(GetParam());
  MADOGUCHI_REQUIRE_DB(fx.test_db());
  const auto sup = fx.SessionFor(fx.AddUser("sup", Role::kSupervisor, {kOwnTenant}));
  const int64_t op = fx.AddUser("op", Role::kOperator, {kOwnTenant});
  const std::string api = std::string("/api/v1/t/") + kOwnTenant + "/plans";
  const booking::Day today = JapanDay(fx.clock().NowMs());
  auto scenario = SmallScenario();
  scenario["profile"]["start"] = FormatIsoDate(today - std::chrono::days{6});
  scenario["profile"]["mailings"] = nlohmann::json::array();
  scenario["profile"]["booking_opens"] = nlohmann::json::array();
  scenario["hours"] = {{"weekday", "09:00-17:00"},
                       {"saturday", "09:00-17:00"},
                       {"sunday", "09:00-17:00"},
                       {"holiday", "09:00-17:00"},
                       {"year_end_closed", false}};
  HttpResponse made = fx.SendAs(sup, Call{"POST", api}.Json({{"scenario", scenario}}));
  const auto job = RunAccepted(fx, sup, made);
  ASSERT_EQ(job["state"], "done") << job.dump();
  const std::string id = std::to_string(job["plan"]["id"].get<int64_t>());

  // Nothing recorded yet: seven days so far, no calls.
  auto none = nlohmann::json::parse(fx.SendAs(sup, Call{"GET", api + "/" + id + "/actuals"}).body);
  ASSERT_EQ(none["days"].size(), 7u) << none.dump();
  EXPECT_EQ(none["recorded_total"], 0);
  const std::string page = std::string("/t/") + kOwnTenant + "/plans/" + id;
  EXPECT_NE(fx.SendAs(sup, Call{"GET", page}).body.find("まだ記録されていません"), std::string::npos);

  // Issue #11, item 15: calls today but none on the finished days — no error figure (it said
  // 「記録 0 件（誤差率 0%）」, a perfect forecast), and a warning that calls are not being recorded.
  ASSERT_TRUE(store::InTransaction(fx.db(), [&](store::Connection& c) -> Status {
                store::CallRecord r;
                r.user_id = op;
                r.category = "inquiry";
                r.started_at_ms = JapanMidnightMs(today) + 9 * 3'600'000LL;
                r.handle_sec = 60;
                return store::InsertCallRecord(c, kOwnTenant, r, fx.clock().NowMs()).status();
              }).ok());
  const std::string only_today = fx.SendAs(sup, Call{"GET", page}).body;
  EXPECT_EQ(only_today.find("誤差率 0%"), std::string::npos) << only_today;
  EXPECT_NE(only_today.find("記録された通話は 1 件もありません。オペレーター画面で通話が記録されているか確かめてください。"),
            std::string::npos);

  // Yesterday far more calls than forecast (above the band); a call after today's end is not counted.
  const double forecast_yesterday = none["days"][5]["p90"].get<double>();
  const int calls = static_cast<int>(forecast_yesterday) + 50;
  ASSERT_TRUE(store::InTransaction(fx.db(), [&](store::Connection& c) -> Status {
                for (int i = 0; i < calls; ++i) {
                  store::CallRecord r;
                  r.user_id = op;
                  r.category = "inquiry";
                  r.started_at_ms = JapanMidnightMs(today - std::chrono::days{1}) + 9 * 3'600'000LL + i * 1000;
                  r.handle_sec = 120;
                  MADOGUCHI_RETURN_IF_ERROR(store::InsertCallRecord(c, kOwnTenant, r, fx.clock().NowMs()).status());
                }
                store::CallRecord later;
                later.user_id = op;
                later.category = "inquiry";
                later.started_at_ms = JapanMidnightMs(today + std::chrono::days{1}) + 3'600'000;
                return store::InsertCallRecord(c, kOwnTenant, later, fx.clock().NowMs()).status();
              }).ok());
  auto j = nlohmann::json::parse(fx.SendAs(sup, Call{"GET", api + "/" + id + "/actuals"}).body);
  ASSERT_EQ(j["days"].size(), 7u);
  EXPECT_EQ(j["days"][5]["date"], FormatIsoDate(today - std::chrono::days{1}));
  EXPECT_EQ(j["days"][5]["recorded"], calls);
  EXPECT_EQ(j["days"][5]["outside_band"], "above");
  EXPECT_EQ(j["recorded_total"], calls);
  EXPECT_EQ(j["days_above"], 1);
  EXPECT_EQ(j["finished_days"], 6);
  EXPECT_EQ(j["days"][6]["today"], true) << "today is listed, not judged";
  EXPECT_EQ(j["days"][6]["outside_band"], "");
  HttpResponse report = fx.SendAs(sup, Call{"GET", page});
  EXPECT_NE(report.body.find("予測と実績"), std::string::npos);
  EXPECT_NE(report.body.find("▲ 幅より多い"), std::string::npos);
  // Another tenant's supervisor sees nothing of it.
  const auto other = fx.SessionFor(fx.AddUser("sup-b", Role::kSupervisor, {kForeignTenant}));
  EXPECT_EQ(fx.SendAs(other, Call{"GET", std::string("/api/v1/t/") + kForeignTenant + "/plans/" + id + "/actuals"}).status, 404);
}

TEST_P(PlansTest, ThePageStartsFromTheExampleAndAFormMakesAPlan) {
  WebFixture fx(GetParam());
  MADOGUCHI_REQUIRE_DB(fx.test_db());
  const auto sup = fx.SessionFor(fx.AddUser("sup", Role::kSupervisor, {kOwnTenant}));
  HttpResponse page = fx.SendAs(sup, Call{"GET", std::string("/t/") + kOwnTenant + "/plans"});
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("&quot;population&quot;: 50000"), std::string::npos);
  Call form{"POST", std::string("/t/") + kOwnTenant + "/plans"};
  form.Param("scenario", SmallScenario().dump());
  HttpResponse made = fx.SendAs(sup, form);
  EXPECT_TRUE(RunPosted(fx, sup, made).starts_with(std::string("/t/") + kOwnTenant + "/plans/"));
  // The next visit starts from the scenario just used.
  HttpResponse again = fx.SendAs(sup, Call{"GET", std::string("/t/") + kOwnTenant + "/plans"});
  EXPECT_NE(again.body.find("小さな計画"), std::string::npos);
}

// Issue #11, item 14: planning meant editing JSON, and errors came back in English with JSON
// paths. The form's fields are the city profile, hours, targets, bounds and shifts (with their
// days); a refused value is said in Japanese beside its field, with what was typed kept.
TEST_P(PlansTest, TheFormMakesAPlanAndSaysWhatIsWrongBesideTheField) {
  WebFixture fx(GetParam());
  MADOGUCHI_REQUIRE_DB(fx.test_db());
  const auto sup = fx.SessionFor(fx.AddUser("sup-form", Role::kSupervisor, {kOwnTenant}));
  const std::string page = std::string("/t/") + kOwnTenant + "/plans";
  HttpResponse shown = fx.SendAs(sup, Call{"GET", page});
  ASSERT_EQ(shown.status, 200);
  EXPECT_NE(shown.body.find("name=\"staffing.max_agents\" type=\"text\" inputmode=\"decimal\" value=\"10\""), std::string::npos)
      << "the example's values fill the form";
  EXPECT_NE(shown.body.find("name=\"service.service_level\" type=\"text\" inputmode=\"decimal\" value=\"80\""), std::string::npos)
      << "a share as a percentage";
  EXPECT_NE(shown.body.find("name=\"staffing.shifts[3].days.saturday\" value=\"1\" checked"), std::string::npos);
  EXPECT_EQ(shown.body.find("name=\"staffing.shifts[3].days.monday\" value=\"1\" checked"), std::string::npos)
      << "土曜 is not worked on Mondays";

  auto form = [&] {
    Call c{"POST", page};
    c.Param("mode", "form").Param("scenario", SmallScenario().dump());
    c.Param("name", "フォームの計画").Param("profile.population", "２００００").Param("profile.target_group", "5000");
    c.Param("profile.start", "2027-04-05").Param("profile.days", "14");
    c.Param("profile.mailings[0].date", "2027-04-05")
        .Param("profile.mailings[0].count", "2000")
        .Param("profile.mailings[0].label", "75歳以上");
    c.Param("profile.booking_opens[0].date", "2027-04-12").Param("profile.booking_opens[0].count", "2000");
    c.Param("hours.weekday", "９：００〜１７：００").Param("hours.saturday", "").Param("hours.sunday", "").Param("hours.holiday", "");
    c.Param("service.aht_sec", "300").Param("service.answer_within_sec", "30").Param("service.service_level", "80");
    c.Param("service.patience_sec", "180").Param("service.max_abandon", "");
    c.Param("staffing.min_agents", "2").Param("staffing.max_agents", "8").Param("staffing.cost_per_agent_hour", "2000");
    c.Param("staffing.pool", "").Param("staffing.max_days_per_week", "5").Param("lines.cost_per_line_day", "500");
    c.Param("staffing.shifts[0].name", "終日").Param("staffing.shifts[0].start", "09:00").Param("staffing.shifts[0].end", "17:00");
    c.Param("staffing.shifts[0].break_minutes", "60");
    for (const char* d : {"monday", "tuesday", "wednesday", "thursday", "friday"})
      c.Param(std::string("staffing.shifts[0].days.") + d, "1");
    return c;
  };
  auto with = [](Call c, const std::string& name, const std::string& value) {
    c.params.erase(name);
    c.params.emplace(name, value);
    return c;
  };
  // A word where a number goes: beside the field, in Japanese, as typed.
  auto words = fx.SendAs(sup, with(form(), "staffing.max_agents", "ten"));
  EXPECT_EQ(words.status, 422);
  EXPECT_NE(
      words.body.find("<p class=\"field-error\" id=\"f-staffing-max-agents-err\">数字で入れてください（全角の数字でもかまいません）。</p>"),
      std::string::npos)
      << words.body;
  EXPECT_NE(words.body.find("<a href=\"#f-staffing-max-agents\">最大人数（増やせる上限）</a>："), std::string::npos);
  EXPECT_NE(words.body.find("value=\"ten\""), std::string::npos) << "what was typed is kept";
  EXPECT_EQ(fx.SendAs(sup, with(form(), "profile.population", "1e300")).status, 422) << "too large to be a count, not cast";
  EXPECT_NE(words.body.find("value=\"フォームの計画\""), std::string::npos);
  // A rule of the planner, also beside its field: the bounds, and a shift ending before it starts.
  auto upside = fx.SendAs(sup, with(form(), "staffing.min_agents", "9"));
  EXPECT_EQ(upside.status, 422);
  EXPECT_NE(upside.body.find("id=\"f-staffing-min-agents-err\">最低人数は0人以上、最大人数以下にしてください。"), std::string::npos)
      << upside.body;
  auto backwards = fx.SendAs(sup, with(form(), "staffing.shifts[0].end", "08:00"));
  EXPECT_NE(backwards.body.find("id=\"f-staffing-shifts-0--end-err\">シフトの終わりを 17:15 のように"), std::string::npos)
      << backwards.body;
  // A shift typed in the third row (the first two left empty) is refused beside the third row.
  auto third = form();
  for (const char* key : {"name", "start", "end", "break_minutes"}) third.params.erase(std::string("staffing.shifts[0].") + key);
  third.Param("staffing.shifts[2].name", "遅番").Param("staffing.shifts[2].start", "13:00").Param("staffing.shifts[2].end", "12:00");
  third.Param("staffing.shifts[2].days.monday", "1");
  auto third_row = fx.SendAs(sup, third);
  EXPECT_NE(third_row.body.find("id=\"f-staffing-shifts-2--end-err\">"), std::string::npos) << third_row.body;
  EXPECT_NE(third_row.body.find("シフト3の終わり</a>："), std::string::npos);
  auto no_days = form();
  for (auto it = no_days.params.begin(); it != no_days.params.end();)
    it = it->first.find(".days.") != std::string::npos ? no_days.params.erase(it) : std::next(it);
  auto dayless = fx.SendAs(sup, no_days);
  EXPECT_NE(dayless.body.find("シフトに入る曜日を1つ以上選んでください。"), std::string::npos);
  EXPECT_EQ(dayless.body.find("must"), std::string::npos) << "no English reason on the page";
  EXPECT_EQ(nlohmann::json::parse(fx.SendAs(sup, Call{"GET", std::string("/api/v1/t/") + kOwnTenant + "/plans"}).body)["plans"].size(), 0u)
      << "nothing was saved";

  // As typed, a plan; its scenario holds what the form said (and the base's simulation setting).
  HttpResponse made = fx.SendAs(sup, form());
  const std::string plan_page = RunPosted(fx, sup, made);
  auto plans = nlohmann::json::parse(fx.SendAs(sup, Call{"GET", std::string("/api/v1/t/") + kOwnTenant + "/plans"}).body)["plans"];
  ASSERT_EQ(plans.size(), 1u);
  EXPECT_EQ(plans[0]["name"], "フォームの計画");
  HttpResponse scenario = fx.SendAs(sup, Call{"GET", plan_page + "/scenario.json"});
  auto sc = nlohmann::json::parse(scenario.body);
  EXPECT_EQ(sc["profile"]["population"], 20000);
  EXPECT_EQ(sc["hours"]["weekday"], "9:00-17:00");
  EXPECT_DOUBLE_EQ(sc["service"]["service_level"].get<double>(), 0.8);
  EXPECT_EQ(sc["staffing"]["shifts"].size(), 1u) << "empty rows are no shifts";
  EXPECT_EQ(sc["staffing"]["shifts"][0]["days"], nlohmann::json({"monday", "tuesday", "wednesday", "thursday", "friday"}));
  EXPECT_EQ(sc["simulation"]["replications"], 4) << "a setting the form does not show is kept";
}

TEST_P(PlansTest, TheReportPageEscapesTheAuthorsName) {
  WebFixture fx(GetParam());
  MADOGUCHI_REQUIRE_DB(fx.test_db());
  int64_t id = 0;
  auto hash = crypto::HashPassword(testing::kPassword, crypto::PasswordCost::kMinimalForTest);
  ASSERT_TRUE(store::InTransaction(fx.db(), [&](store::Connection& c) -> Status {
                MADOGUCHI_ASSIGN_OR_RETURN(
                    id, store::InsertUser(
                            c, {"mallory", "<img src=x onerror=alert(1)>", Role::kSupervisor, *hash, {kOwnTenant}, fx.clock().NowMs()}));
                return Status::Ok();
              }).ok());
  const auto sup = fx.SessionFor(id);
  HttpResponse made = fx.SendAs(sup, Call{"POST", std::string("/api/v1/t/") + kOwnTenant + "/plans"}.Json({{"scenario", SmallScenario()}}));
  const auto job = RunAccepted(fx, sup, made);
  HttpResponse page = fx.SendAs(sup, Call{"GET", job["plan"]["report"].get<std::string>()});
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.body.find("<img src=x"), std::string::npos);
  EXPECT_NE(page.body.find("&lt;img src=x"), std::string::npos);
}

// Issue #12 §1 and #11 item 17: no request thread solves a MIP. A plan is queued as a job; its page
// refreshes with how far it has come, goes on to the plan when done, and when the planner refuses
// the scenario says why and leads back to the form with the reason beside its field. A job whose
// runner died comes back to another; after three such attempts it is failed, not retried forever.
TEST_P(PlansTest, APlanIsAJobItsPageFollowsItToThePlanOrBackToTheFormWithWhy) {
  WebFixture fx(GetParam());
  MADOGUCHI_REQUIRE_DB(fx.test_db());
  const auto sup = fx.SessionFor(fx.AddUser("sup-j", Role::kSupervisor, {kOwnTenant}));
  const auto other = fx.SessionFor(fx.AddUser("sup-x", Role::kSupervisor, {kForeignTenant}));
  // Two days, a Saturday and a Sunday, with weekday hours only: the planner finds nothing open.
  auto closed = SmallScenario();
  closed["profile"]["start"] = "2027-04-10";
  closed["profile"]["days"] = 2;
  closed["profile"]["mailings"] = nlohmann::json::array();
  closed["profile"]["booking_opens"] = nlohmann::json::array();
  Call form{"POST", std::string("/t/") + kOwnTenant + "/plans"};
  form.Param("scenario", closed.dump());
  HttpResponse posted = fx.SendAs(sup, form);
  ASSERT_EQ(posted.status, 303) << posted.body;
  const std::string job_page = testing::HeaderOf(posted, "Location");
  ASSERT_TRUE(job_page.starts_with(std::string("/t/") + kOwnTenant + "/jobs/")) << job_page;
  const std::string job_id = job_page.substr(job_page.rfind('/') + 1);

  HttpResponse waiting = fx.SendAs(sup, Call{"GET", job_page});
  ASSERT_EQ(waiting.status, 200) << waiting.body;
  EXPECT_NE(waiting.body.find("計算の順番を待っています（0秒）。"), std::string::npos) << waiting.body;
  EXPECT_NE(waiting.body.find("http-equiv=\"refresh\" content=\"2\""), std::string::npos) << "the page follows the job";
  EXPECT_EQ(fx.SendAs(other, Call{"GET", std::string("/t/") + kForeignTenant + "/jobs/" + job_id}).status, 404)
      << "another tenant's job is not found";

  // A runner takes it and reports how far it has come; it dies.
  ASSERT_TRUE(store::InTransaction(fx.db(), [&](store::Connection& c) -> Status {
                const int64_t now = fx.clock().NowMs();
                MADOGUCHI_ASSIGN_OR_RETURN(auto job, store::ClaimJob(c, "dead-runner", now, 1000));
                if (!job) return InternalError("no job", "no_job");
                return store::ReportJobProgress(c, job->id, "dead-runner", 40, "shifts", now, 1000).status();
              }).ok());
  HttpResponse running = fx.SendAs(sup, Call{"GET", job_page});
  EXPECT_NE(running.body.find("シフトを組んでいます（1週間ずつ）（40%、"), std::string::npos) << running.body;
  EXPECT_NE(running.body.find("<progress value=\"40\" max=\"100\""), std::string::npos);
  auto api = nlohmann::json::parse(fx.SendAs(sup, Call{"GET", std::string("/api/v1/t/") + kOwnTenant + "/jobs/" + job_id}).body);
  EXPECT_EQ(api["state"], "running");
  EXPECT_EQ(api["percent"], 40);

  // Its lease runs out: the next runner takes it over and the planner refuses the scenario.
  fx.clock().Advance(std::chrono::seconds(5));
  auto ran = RunNextJob(fx.db(), fx.clock(), "live-runner");
  ASSERT_TRUE(ran.ok() && *ran) << (ran.ok() ? "no job" : ran.status().ToString());
  HttpResponse failed = fx.SendAs(sup, Call{"GET", job_page});
  EXPECT_NE(failed.body.find("計画を作れませんでした。計画の期間に、受付をする日がありません。"), std::string::npos) << failed.body;
  EXPECT_EQ(failed.body.find("http-equiv=\"refresh\""), std::string::npos) << "nothing more to wait for";
  EXPECT_NE(failed.body.find("href=\"/t/" + std::string(kOwnTenant) + "/plans?job=" + job_id + "\""), std::string::npos);
  api = nlohmann::json::parse(fx.SendAs(sup, Call{"GET", std::string("/api/v1/t/") + kOwnTenant + "/jobs/" + job_id}).body);
  EXPECT_EQ(api["state"], "failed");
  EXPECT_EQ(api["error"]["code"], "never_open");
  EXPECT_EQ(api["error"]["field"], "hours");
  HttpResponse back = fx.SendAs(sup, Call{"GET", std::string("/t/") + kOwnTenant + "/plans?job=" + job_id});
  ASSERT_EQ(back.status, 200) << back.body;
  EXPECT_NE(back.body.find("id=\"f-hours-weekday-err\">計画の期間に、受付をする日がありません。"), std::string::npos)
      << "the reason beside the field it is about: " << back.body;
  EXPECT_NE(back.body.find("name=\"profile.start\" type=\"text\" inputmode=\"decimal\" value=\"2027-04-10\""), std::string::npos)
      << "the form holds the scenario that failed: " << back.body;
  EXPECT_EQ(nlohmann::json::parse(fx.SendAs(sup, Call{"GET", std::string("/api/v1/t/") + kOwnTenant + "/plans"}).body)["plans"].size(), 0u);

  // A job whose runners keep dying is failed after three attempts.
  HttpResponse again =
      fx.SendAs(sup, Call{"POST", std::string("/api/v1/t/") + kOwnTenant + "/plans"}.Json({{"scenario", SmallScenario()}}));
  ASSERT_EQ(again.status, 202) << again.body;
  const auto doomed = nlohmann::json::parse(again.body)["job_id"].get<int64_t>();
  for (int attempt = 0; attempt < store::kMaxJobAttempts; ++attempt) {
    ASSERT_TRUE(store::InTransaction(fx.db(), [&](store::Connection& c) -> Status {
                  return store::ClaimJob(c, "dying-" + std::to_string(attempt), fx.clock().NowMs(), 1000).status();
                }).ok());
    fx.clock().Advance(std::chrono::seconds(2));
  }
  auto none = RunNextJob(fx.db(), fx.clock(), "live-runner");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(*none) << "nothing left to run";
  api = nlohmann::json::parse(fx.SendAs(sup, Call{"GET", std::string("/api/v1/t/") + kOwnTenant + "/jobs/" + std::to_string(doomed)}).body);
  EXPECT_EQ(api["state"], "failed");
  EXPECT_EQ(api["error"]["code"], "job_abandoned");
  EXPECT_NE(fx.SendAs(sup, Call{"GET", std::string("/t/") + kOwnTenant + "/jobs/" + std::to_string(doomed)})
                .body.find("計算が途中で3回止まったため、打ち切りました。"),
            std::string::npos);
}

// A job whose stored input this build cannot read (here a history that is not text) throws inside
// the planner's reading of it: the job fails on its own, named, and the runner goes on.
TEST_P(PlansTest, AJobThatThrowsFailsOnItsOwnAndTheRunnerGoesOn) {
  WebFixture fx(GetParam());
  MADOGUCHI_REQUIRE_DB(fx.test_db());
  const int64_t sup = fx.AddUser("sup-t", Role::kSupervisor, {kOwnTenant});
  int64_t bad = 0;
  ASSERT_TRUE(store::InTransaction(fx.db(), [&](store::Connection& c) -> Status {
                const nlohmann::json input = {{"scenario", SmallScenario().dump()}, {"history_csv", 5}};
                MADOGUCHI_ASSIGN_OR_RETURN(bad, store::EnqueueJob(c, kOwnTenant, "plan", input.dump(), sup, fx.clock().NowMs()));
                return Status::Ok();
              }).ok());
  auto ran = RunNextJob(fx.db(), fx.clock(), "test-runner");
  ASSERT_TRUE(ran.ok()) << ran.status().ToString();
  EXPECT_TRUE(*ran);
  std::optional<store::Job> job;
  ASSERT_TRUE(store::WithConnection(fx.db(), [&](store::Connection& c) -> Status {
                MADOGUCHI_ASSIGN_OR_RETURN(job, store::GetJob(c, kOwnTenant, bad));
                return Status::Ok();
              }).ok());
  EXPECT_EQ(job->state, "failed");
  EXPECT_EQ(job->error.key(), "job_crashed");
  const auto session = fx.SessionFor(sup);
  EXPECT_NE(fx.SendAs(session, Call{"GET", std::string("/t/") + kOwnTenant + "/jobs/" + std::to_string(bad)})
                .body.find("計算の途中で問題が起きたため、止めました。"),
            std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, PlansTest, ::testing::ValuesIn(testing::Backends()), [](const auto& info) { return info.param; });

}  // namespace
}  // namespace madoguchi::web
