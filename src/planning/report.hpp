// src/planning/report.hpp — the plan as CSV and as one self-contained HTML page with SVG charts
// (no script, no external file: it can be mailed to the city and printed).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "planning/plan.hpp"

namespace madoguchi::planning {

struct ReportInfo {
  std::string title;                  // e.g. the operation's name
  std::vector<std::string> settings;  // one line each, shown under the title
  double target_service_level = 0.8;
  int max_agents = 0;
  double cost_per_agent_hour = 0;
};

// One row per open interval: date,interval_start,p10,p50,p90,planned_calls,required,target,
// scheduled,short_by,lines_needed,service_level,p_abandon,sim_service_level,sim_ci95
std::string PlanCsv(const PlanResult& plan);
// The same table with its header in Japanese, for people opening it in a spreadsheet
// (日付,開始時刻,予測の下限(p10),…); the rows are unchanged. `csv` is PlanCsv's.
std::string PlanCsvWithJapaneseHeader(std::string_view csv);

std::string PlanHtml(const PlanResult& plan, const ReportInfo& info);

}  // namespace madoguchi::planning
