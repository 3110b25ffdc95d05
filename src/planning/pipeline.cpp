#include "planning/pipeline.hpp"

#include <cmath>
#include <utility>

namespace madoguchi::planning {

Result<PlanOutput> BuildPlan(const PlanRequest& sc) {
  PlanOutput out;
  const PlanSettings& s = sc.settings;
  std::string basis;
  if (sc.profile) {
    forecast::CityProfile profile = *sc.profile;
    profile.hours = s.hours;  // the center's opening hours decide which days and intervals get calls
    auto f = forecast::ForecastFromProfile(profile, s.interval_minutes);
    if (!f.ok()) return Status(f.status().code(), f.status().key(), f.status().message(), "profile." + f.status().field());
    out.forecast = std::move(*f);
    basis = "人口 " + std::to_string(static_cast<long long>(sc.profile->population)) + " 人の自治体プロファイルから予測";
  } else {
    if (!sc.history) return InvalidArgumentError("history.file", "no call history was given");
    forecast::ForecastSettings fs;
    fs.horizon_days = sc.history->horizon_days;
    fs.capacity = sc.history->capacity;
    fs.interval_minutes = s.interval_minutes;
    forecast::ResponseParams defaults;
    fs.default_response = forecast::DefaultResponseCurves(defaults);
    // Without interval history, each day's calls spread over its opening hours (weekday hours).
    std::optional<std::pair<int, int>> typical;
    for (const auto& h : s.hours.weekday) {
      if (h && !typical) typical = h;
    }
    if (typical) fs.default_profile = forecast::DefaultIntradayProfile(*typical, s.interval_minutes, defaults);
    auto f = forecast::ForecastFromHistory(sc.history->history, sc.history->events, fs);
    if (!f.ok()) return Status(f.status().code(), f.status().key(), f.status().message(), "history: " + f.status().field());
    out.forecast = std::move(*f);
    basis = "過去の入電記録 " + std::to_string(sc.history->history.daily.size()) + " 日分から予測";
  }
  MADOGUCHI_ASSIGN_OR_RETURN(out.plan, MakePlan(out.forecast, s, sc.progress));
  out.info.title = sc.name.empty() ? "コールセンター計画" : sc.name;
  out.info.target_service_level = s.service.service_level;
  out.info.max_agents = s.max_agents;
  out.info.cost_per_agent_hour = s.cost_per_agent_hour;
  auto fx = [](double v) { return std::to_string(static_cast<long long>(std::llround(v))); };
  out.info.settings.push_back(basis + "（計画は " + std::string(s.plan_on_p90 ? "p90" : "p50") + " を使用）");
  out.info.settings.push_back("目標: " + fx(s.service.answer_within_sec) + " 秒以内に応答 " + fx(s.service.service_level * 100) +
                              "%　平均処理時間 " + fx(s.service.aht_sec) + " 秒" +
                              (s.service.patience_sec ? "　平均待ち許容 " + fx(*s.service.patience_sec) + " 秒" : ""));
  out.info.settings.push_back("オペレーター " + std::to_string(s.min_agents) + "〜" + std::to_string(s.max_agents) + " 人/区間　時給 " +
                              fx(s.cost_per_agent_hour) + " 円　回線 1日 " + fx(s.cost_per_line_day) + " 円　話中率の上限 " +
                              std::to_string(s.max_blocking * 100).substr(0, 4) + "%");
  return out;
}

}  // namespace madoguchi::planning
