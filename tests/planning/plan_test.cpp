// The planner: shifts from the MIP within bounds, shortfalls listed instead of "infeasible", lines
// with redials, what-if, the simulation check, and the report formats.
#include <gtest/gtest.h>

#include <regex>

#include "forecast/calendar.hpp"
#include "planning/pipeline.hpp"
#include "planning/plan.hpp"
#include "planning/report.hpp"
#include "planning/shift_mip.hpp"
#include "queueing/erlang.hpp"
#include "support/status_matchers.hpp"

namespace madoguchi::planning {
namespace {

using forecast::Day;
using std::chrono::days;

// Flat calls on weekdays 09:00–17:00 for `n` days from Monday 2027-04-05.
forecast::Forecast Flat(double calls_per_interval, int n = 7, int interval = 30) {
  forecast::Forecast f;
  f.interval_minutes = interval;
  const Day first = *ParseIsoDate("2027-04-05");
  for (int d = 0; d < n; ++d) {
    const Day day = first + days{d};
    const bool closed = forecast::WeekdayIndex(day) >= 5;
    f.days.push_back({day, closed, closed ? 0 : calls_per_interval * 16 * 0.8, closed ? 0 : calls_per_interval * 16,
                      closed ? 0 : calls_per_interval * 16 * 1.2});
    if (closed) continue;
    for (int m = 540; m < 1020; m += interval) {
      f.intervals.push_back({day, m, calls_per_interval * 0.8, calls_per_interval, calls_per_interval * 1.2});
    }
  }
  return f;
}

PlanSettings Settings() {
  PlanSettings s;
  for (int w = 0; w < 5; ++w) s.hours.weekday[w] = std::pair{540, 1020};
  s.service.aht_sec = 300;
  s.service.answer_within_sec = 20;
  s.service.service_level = 0.8;
  s.service.patience_sec = 180;
  s.min_agents = 2;
  s.max_agents = 20;
  s.cost_per_agent_hour = 2000;
  s.cost_per_line_day = 300;
  s.shifts = {{"day", 540, 1020, 60}, {"am", 540, 780, 0}, {"pm", 780, 1020, 0}};
  s.sim_replications = 10;
  s.solver_seconds = 5;
  return s;
}

TEST(ShiftMipTest, CoversTheTargetAtLeastCost) {
  ShiftProblem p;
  p.days = 1;
  p.intervals_per_day = 4;
  p.target = {{3, 3, 1, 1}};
  p.max_agents = {{5, 5, 5, 5}};
  p.variants = {{"all", {0, 1, 2, 3}, 4}, {"first half", {0, 1}, 2.5}, {"second half", {2, 3}, 2.5}};
  p.variants_allowed = {{0, 1, 2}};
  p.shortfall_penalty = 100;
  auto s = SolveShifts(p);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_TRUE(s->proven_optimal);
  // Cheapest: one "all" (4) + two "first half" (5) = 9, against 3 "all" = 12 or 3+1 halves = 10.
  EXPECT_NEAR(s->objective, 9, 1e-6);
  EXPECT_EQ(s->scheduled[0], (std::vector<int>{3, 3, 1, 1}));
}

TEST(ShiftMipTest, RespectsTheUpperBoundAndReportsTheShortfall) {
  ShiftProblem p;
  p.days = 1;
  p.intervals_per_day = 2;
  p.target = {{8, 2}};
  p.max_agents = {{5, 5}};
  p.variants = {{"all", {0, 1}, 1}};
  p.variants_allowed = {{0}};
  p.shortfall_penalty = 100;
  auto s = SolveShifts(p);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->scheduled[0][0], 5);
}

TEST(PlanTest, StaffsEachIntervalForTheTargetsWithinBounds) {
  auto plan = MakePlan(Flat(60), Settings());
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  // 60 calls per 30 min × 300 s = 10 Erlangs.
  auto need = queueing::RequiredAgents({120, 300}, {0.8, 20, 180.0});
  ASSERT_TRUE(need.ok());
  ASSERT_EQ(plan->intervals.size(), 5u * 16);
  for (const auto& r : plan->intervals) {
    EXPECT_EQ(r.required, need->agents);
    EXPECT_GE(r.scheduled, r.target) << forecast::FormatClock(r.start_minute);
    EXPECT_LE(r.scheduled, 20);
    EXPECT_GE(r.service_level, 0.8);
    ASSERT_TRUE(r.sim_service_level);
  }
  EXPECT_EQ(plan->short_intervals, 0);
  EXPECT_TRUE(plan->proven_optimal);
  // The budget adds up.
  double hours = 0;
  for (const auto& s : plan->shifts) hours += s.count * s.paid_hours;
  EXPECT_DOUBLE_EQ(plan->budget.agent_hours, hours);
  EXPECT_DOUBLE_EQ(plan->budget.total, hours * 2000 + plan->budget.lines * 7 * 300.0);
  // Simulation agrees with Erlang A (no redial load when nobody is blocked or abandons much).
  ASSERT_TRUE(plan->sim_service_level);
  EXPECT_NEAR(*plan->sim_service_level, plan->erlang_service_level, 0.05);
  // Breaks: an 8-hour shift with a 60-minute break is paid 7 hours and does not cover its break.
  for (const auto& s : plan->shifts) {
    if (s.name != "day") continue;
    EXPECT_DOUBLE_EQ(s.paid_hours, 7);
    EXPECT_GE(s.break_start, 540 + 150);
    EXPECT_LE(s.break_end, 1020 - 150);
  }
}

// Issue #11, item 16: shifts had no day rule, so the pattern named 「土曜」 was placed on weekdays.
TEST(PlanTest, AShiftIsPlacedOnlyOnTheDaysItIsWorked) {
  // Open Monday to Saturday for two weeks.
  forecast::Forecast f = Flat(60, 14);
  const Day first = *ParseIsoDate("2027-04-05");
  for (int d = 0; d < 14; ++d) {
    const Day day = first + days{d};
    if (forecast::WeekdayIndex(day) != 5) continue;
    f.days[d] = {day, false, 60 * 16 * 0.8, 60 * 16, 60 * 16 * 1.2};
    for (int m = 540; m < 1020; m += 30) f.intervals.push_back({day, m, 48, 60, 72});
  }
  PlanSettings s = Settings();
  s.hours.weekday[5] = std::pair{540, 1020};
  // 土曜 is the cheaper pattern (a longer unpaid break): without the day rule the solver put it on weekdays.
  ShiftPattern weekday{"平日", 540, 1020, 60}, saturday{"土曜", 540, 1020, 75};
  weekday.on_weekday = {true, true, true, true, true, false, false};
  weekday.on_holiday = false;
  saturday.on_weekday = {false, false, false, false, false, true, false};
  saturday.on_holiday = false;
  s.shifts = {weekday, saturday};
  auto plan = MakePlan(f, s);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  bool saturday_worked = false;
  for (const auto& row : plan->shifts) {
    const bool is_saturday = forecast::WeekdayIndex(row.day) == 5;
    EXPECT_EQ(row.name == "土曜", is_saturday) << row.name << " on " << FormatIsoDate(row.day);
    saturday_worked |= is_saturday;
  }
  EXPECT_TRUE(saturday_worked) << "Saturdays are staffed, by the 土曜 shift";
  // No day at all is refused, naming the field.
  saturday.on_weekday.fill(false);
  s.shifts = {weekday, saturday};
  EXPECT_THAT(MakePlan(f, s), testing::StatusIsOn(StatusCode::kInvalidArgument, "invalid_argument", "staffing.shifts[1].days"));
}

TEST(PlanTest, WhenTheCapIsTooLowItListsTheShortIntervalsInsteadOfFailing) {
  PlanSettings s = Settings();
  s.max_agents = 6;
  auto plan = MakePlan(Flat(60), s);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  EXPECT_EQ(plan->short_intervals, 5 * 16);
  for (const auto& r : plan->intervals) {
    EXPECT_EQ(r.scheduled, 6);
    EXPECT_EQ(r.short_by, r.required - 6);
    EXPECT_LT(r.service_level, 0.8);
  }
  EXPECT_FALSE(plan->notes.empty());
  // What-if: service level rises with the cap; cost too.
  ASSERT_GE(plan->what_if.size(), 5u);
  for (size_t i = 1; i < plan->what_if.size(); ++i) {
    EXPECT_GE(plan->what_if[i].service_level, plan->what_if[i - 1].service_level - 1e-12);
    EXPECT_GE(plan->what_if[i].cost, plan->what_if[i - 1].cost);
  }
  EXPECT_GE(plan->what_if.back().service_level, 0.8) << "the table reaches the staffing that meets the target";
}

// Issue #10 §3: an interval no number of operators can staff is an error naming it (it once
// became 20,000 operators, which the bounds then quietly turned into the cap).
TEST(PlanTest, AnIntervalNoStaffingMeetsIsAnErrorNamingIt) {
  auto plan = MakePlan(Flat(1e6), Settings());
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.status().key(), "target_unreachable");
  EXPECT_EQ(plan.status().field(), "service");
  EXPECT_NE(plan.status().message().find("2027-04-05 9:00"), std::string::npos) << plan.status().message();
}

// Issue #10 §4.4: the what-if table has at most 40 rows, as docs/planning.md says (it had 41).
TEST(PlanTest, TheWhatIfTableHasAtMostFortyRows) {
  PlanSettings s = Settings();
  s.max_agents = 100;
  auto plan = MakePlan(Flat(60), s);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  EXPECT_EQ(plan->what_if.size(), 40u);
  EXPECT_EQ(plan->what_if.front().staff_cap, s.min_agents);
}

TEST(PlanTest, RedialsNeedMoreLines) {
  PlanSettings s = Settings();
  s.max_agents = 6;  // callers wait and abandon: lines fill
  s.redial_probability = 0;
  auto none = MakePlan(Flat(60), s);
  s.redial_probability = 0.8;
  auto many = MakePlan(Flat(60), s);
  ASSERT_TRUE(none.ok() && many.ok());
  EXPECT_GT(many->budget.lines, none->budget.lines);
  auto b = queueing::ErlangB(60.0 / 1800 * (300 * (1 - none->intervals[0].p_abandon)), none->budget.lines);
  ASSERT_TRUE(b.ok());
}

TEST(PlanTest, SettingsErrorsNameTheField) {
  PlanSettings s = Settings();
  s.shifts[0].break_minutes = 30;  // 7.5 h of work needs 45 minutes
  EXPECT_EQ(MakePlan(Flat(10), s).status().field(), "staffing.shifts[0].break_minutes");
  s = Settings();
  s.min_agents = 30;
  EXPECT_EQ(MakePlan(Flat(10), s).status().field(), "staffing.min_agents");
  s = Settings();
  s.service.max_abandon = 0.05;
  s.service.patience_sec.reset();
  EXPECT_EQ(MakePlan(Flat(10), s).status().field(), "service.max_abandon");
  s = Settings();
  s.shifts.clear();
  EXPECT_EQ(MakePlan(Flat(10), s).status().field(), "staffing.shifts");
  EXPECT_EQ(MakePlan(Flat(10, 7, 15), Settings()).status().field(), "interval_minutes");
}

// Issue #11, item 16: 56 days squeezed into 960 px could not be read. The staffing chart is shown
// again a week to a chart and a day to a chart, folded away (<details>, no script).
TEST(ReportTest, TheStaffingChartZoomsToAWeekAndToADay) {
  auto plan = MakePlan(Flat(40, 21), Settings());
  ASSERT_TRUE(plan.ok());
  const std::string html = PlanHtml(*plan, ReportInfo{"三週間", {}, 0.8, 20, 2000});
  EXPECT_NE(html.find("<summary>週ごとに見る（3週）</summary>"), std::string::npos);
  EXPECT_NE(html.find("<summary>日ごとに見る（15日）</summary>"), std::string::npos) << "the open days";
  EXPECT_NE(html.find("aria-label=\"必要人数と配置人数：04/05(月)〜04/09(金)\""), std::string::npos) << "a week's chart names its days";
  EXPECT_NE(html.find(">09:00</text>"), std::string::npos) << "a day's chart is labelled by the hour";
  EXPECT_EQ(html.find("<script"), std::string::npos);
}

TEST(ReportTest, CsvAndSelfContainedHtmlWithFourCharts) {
  auto plan = MakePlan(Flat(40), Settings());
  ASSERT_TRUE(plan.ok());
  const std::string csv = PlanCsv(*plan);
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "date,interval_start,p10,p50,p90,planned_calls,required,target,scheduled,short_by,lines_needed,service_level,"
            "p_abandon,sim_service_level,sim_ci95");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 1 + 5 * 16);
  // For people: the header in Japanese, one name per column, the rows as they were (issue #11, item 16).
  const std::string ja = PlanCsvWithJapaneseHeader(csv);
  const std::string header = ja.substr(0, ja.find('\n'));
  EXPECT_TRUE(header.starts_with("日付,開始時刻,予測の下限(p10),")) << header;
  EXPECT_EQ(std::count(header.begin(), header.end(), ','), std::count(csv.begin(), csv.begin() + csv.find('\n'), ','));
  EXPECT_EQ(ja.substr(ja.find('\n')), csv.substr(csv.find('\n')));
  ReportInfo info{"テスト <&> センター", {"line one"}, 0.8, 20, 2000};
  const std::string html = PlanHtml(*plan, info);
  // A long report has a table of contents; the what-if row says why it differs from the plan's cost.
  EXPECT_NE(html.find("<nav aria-label=\"目次\">"), std::string::npos);
  for (const char* id : {"summary", "charts", "what-if", "short", "shifts"}) {
    EXPECT_NE(html.find(std::string("href=\"#") + id + "\""), std::string::npos) << id;
    EXPECT_NE(html.find(std::string("<h2 id=\"") + id + "\""), std::string::npos) << id;
  }
  EXPECT_NE(html.find("時間）とは一致しません。"), std::string::npos);
  EXPECT_NE(html.find("テスト &lt;&amp;&gt; センター"), std::string::npos) << "text is escaped";
  const std::regex svg("<svg ");
  // Four charts, and the staffing chart again a day at a time (issue #11, item 16: five open days).
  EXPECT_EQ(std::distance(std::sregex_iterator(html.begin(), html.end(), svg), std::sregex_iterator()), 4 + 5);
  EXPECT_NE(html.find("<details class=\"zoom\"><summary>日ごとに見る（5日）</summary>"), std::string::npos);
  EXPECT_EQ(html.find("週ごとに見る"), std::string::npos) << "one week: nothing to zoom to";
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("src=\"http"), std::string::npos) << "no external files";
  EXPECT_EQ(html.find("href=\"http"), std::string::npos);
  EXPECT_NE(html.find("シフト表"), std::string::npos);
}

// Issue #10 §2: the pipeline is the planning engine's (it lived in config, beside the file
// formats): from a history of counted calls to a plan and the report's account of it.
TEST(PipelineTest, FromCallHistoryToAPlanWithTheBasisInTheReport) {
  forecast::History h;
  h.first_day = *ParseIsoDate("2027-03-01");
  for (int d = 0; d < 28; ++d) h.daily.push_back(forecast::WeekdayIndex(h.first_day + days{d}) >= 5 ? 0 : 400);
  PlanRequest request;
  request.name = "小さな計画";
  request.history = HistoryInput{h, {}, 7, std::nullopt};
  request.settings = Settings();
  auto out = BuildPlan(request);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->info.title, "小さな計画");
  EXPECT_FALSE(out->forecast.days.empty());
  ASSERT_FALSE(out->info.settings.empty());
  EXPECT_NE(out->info.settings[0].find("過去の入電記録 28 日分から予測"), std::string::npos) << out->info.settings[0];
  EXPECT_EQ(BuildPlan(PlanRequest{"", std::nullopt, std::nullopt, Settings()}).status().field(), "history.file")
      << "neither a profile nor a history";
}

}  // namespace
}  // namespace madoguchi::planning
