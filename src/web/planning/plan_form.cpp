#include "web/planning/plan_form.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "common/text.hpp"
#include "web/http/http_types.hpp"

namespace madoguchi::web {

using nlohmann::json;

namespace {

using K = PlanFieldKind;

// One step of a path: a key, or an index into an array.
struct Step {
  std::string key;
  int index = -1;
};

std::vector<Step> Steps(const std::string& path) {
  std::vector<Step> out;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '.') {
      ++i;
      continue;
    }
    if (path[i] == '[') {
      const size_t close = path.find(']', i);
      out.push_back({"", std::atoi(path.substr(i + 1, close - i - 1).c_str())});
      i = close + 1;
      continue;
    }
    size_t end = path.find_first_of(".[", i);
    if (end == std::string::npos) end = path.size();
    out.push_back({path.substr(i, end - i), -1});
    i = end;
  }
  return out;
}

const json* Get(const json& root, const std::string& path) {
  const json* at = &root;
  for (const Step& s : Steps(path)) {
    if (s.index >= 0) {
      if (!at->is_array() || static_cast<size_t>(s.index) >= at->size()) return nullptr;
      at = &(*at)[static_cast<size_t>(s.index)];
    } else {
      if (!at->is_object() || !at->contains(s.key)) return nullptr;
      at = &(*at)[s.key];
    }
  }
  return at;
}

void Set(json& root, const std::string& path, json value) {
  json* at = &root;
  for (const Step& s : Steps(path)) {
    if (s.index >= 0) {
      if (!at->is_array()) *at = json::array();
      while (at->size() <= static_cast<size_t>(s.index)) at->push_back(json::object());
      at = &(*at)[static_cast<size_t>(s.index)];
    } else {
      if (!at->is_object()) *at = json::object();
      at = &(*at)[s.key];
    }
  }
  *at = std::move(value);
}

// Removes the key at `path` (paths here name no array element), when it is there.
void Erase(json& root, const std::string& path) {
  json* at = &root;
  const std::vector<Step> steps = Steps(path);
  for (size_t i = 0; i + 1 < steps.size(); ++i) {
    if (!at->is_object() || !at->contains(steps[i].key)) return;
    at = &(*at)[steps[i].key];
  }
  if (at->is_object() && !steps.empty()) at->erase(steps.back().key);
}

// A number as typed; nullopt for anything else, and for one past any setting's range (1e12),
// which a whole number could not even hold.
std::optional<double> Number(const std::string& v) {
  double x = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
  if (ec != std::errc() || end != v.data() + v.size() || !std::isfinite(x) || std::fabs(x) > 1e12) return std::nullopt;
  return x;
}

// 0.8 → "80", 0.025 → "2.5": a share as people write a percentage.
std::string Shown(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", x);
  return buf;
}

std::string ShownValue(const json& v, K kind) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number()) {
    const double x = v.get<double>();
    return Shown(kind == K::kPercent ? x * 100 : x);
  }
  return v.dump();
}

PlanField Row(const std::string& path, const std::string& label, K kind, const std::string& hint = "") { return {path, label, kind, hint}; }

// The form's repeated rows: each list, its fields, those that are whole numbers.
struct RowList {
  const char* list;
  std::vector<std::string> keys, numbers;
};
const std::vector<RowList>& RowLists() {
  static const std::vector<RowList> lists = {{"profile.mailings", {"date", "count", "label"}, {"count"}},
                                             {"profile.booking_opens", {"date", "count"}, {"count"}},
                                             {"staffing.shifts", {"name", "start", "end", "break_minutes"}, {"break_minutes"}}};
  return lists;
}

// A row is filled when any of its fields is typed; an empty row is no row.
bool RowFilled(const HttpRequest& request, const RowList& l, int i) {
  const std::string at = std::string(l.list) + "[" + std::to_string(i) + "]";
  return std::any_of(l.keys.begin(), l.keys.end(),
                     [&](const std::string& key) { return !text::AsTyped(request.Param(at + "." + key).value_or("")).empty(); });
}

int RowCount(const std::string& list) {
  const PlanFormLayout& l = PlanForm();
  return list == "profile.mailings" ? l.mailing_rows : list == "profile.booking_opens" ? l.opening_rows : l.shift_rows;
}

PlanFormLayout MakeLayout() {
  PlanFormLayout l;
  l.groups.push_back({"計画の名前", {Row("name", "計画の名前", K::kText)}});
  l.groups.push_back({"市の人口と対象者",
                      {Row("profile.population", "人口", K::kInt, "人"), Row("profile.target_group", "接種の対象者", K::kInt, "人"),
                       Row("profile.start", "計画の最初の日", K::kDate), Row("profile.days", "計画の日数", K::kInt, "日（7〜120）"),
                       Row("profile.channel_mix.web", "ウェブで予約する人の割合", K::kPercent, "%"),
                       Row("profile.channel_mix.line", "LINEで予約する人の割合", K::kPercent, "%")}});
  l.groups.push_back({"受付時間（空欄は休み）",
                      {Row("hours.weekday", "平日", K::kHours, "例：08:30-17:15"), Row("hours.saturday", "土曜", K::kHours),
                       Row("hours.sunday", "日曜", K::kHours), Row("hours.holiday", "祝日", K::kHours)}});
  l.groups.push_back({"応答の目標",
                      {Row("service.aht_sec", "1件の平均通話時間", K::kNumber, "秒（後処理を含む）"),
                       Row("service.answer_within_sec", "この秒数までに応答", K::kNumber, "秒"),
                       Row("service.service_level", "その秒数までに応答する割合", K::kPercent, "%"),
                       Row("service.patience_sec", "かけた人が待てる平均時間", K::kNumber, "秒（空欄：待ち続ける）"),
                       Row("service.max_abandon", "あきらめて切る割合の上限", K::kPercent, "%（空欄：上限なし）")}});
  l.groups.push_back({"人数と費用",
                      {Row("staffing.min_agents", "最低人数（常に置く人数）", K::kInt, "人"),
                       Row("staffing.max_agents", "最大人数（増やせる上限）", K::kInt, "人"),
                       Row("staffing.cost_per_agent_hour", "オペレーター1人1時間の費用", K::kNumber, "円"),
                       Row("staffing.pool", "働ける人の数", K::kInt, "人（空欄：制限なし）"),
                       Row("staffing.max_days_per_week", "1人が週に働ける日数", K::kInt, "日"),
                       Row("lines.cost_per_line_day", "電話回線1本1日の費用", K::kNumber, "円")}});
  return l;
}

}  // namespace

const PlanFormLayout& PlanForm() {
  static const PlanFormLayout layout = MakeLayout();
  return layout;
}

const std::vector<std::pair<std::string, std::string>>& ShiftDayChoices() {
  static const std::vector<std::pair<std::string, std::string>> days = {{"monday", "月"},   {"tuesday", "火"}, {"wednesday", "水"},
                                                                        {"thursday", "木"}, {"friday", "金"},  {"saturday", "土"},
                                                                        {"sunday", "日"},   {"holiday", "祝"}};
  return days;
}

std::optional<std::map<std::string, std::string>> PlanFormValues(const json& scenario) {
  if (!scenario.is_object() || scenario.contains("history") || !scenario.contains("profile")) return std::nullopt;
  std::map<std::string, std::string> v;
  for (const auto& [heading, fields] : PlanForm().groups) {
    for (const PlanField& f : fields) {
      if (const json* at = Get(scenario, f.path)) v[f.path] = ShownValue(*at, f.kind);
    }
  }
  // "weekday" fills Monday..Friday: a scenario that names the days one by one shows Monday's.
  if (!v.count("hours.weekday")) {
    if (const json* mon = Get(scenario, "hours.monday")) v["hours.weekday"] = ShownValue(*mon, K::kHours);
  }
  for (const char* list : {"profile.mailings", "profile.booking_opens"}) {
    const json* rows = Get(scenario, list);
    if (rows == nullptr || !rows->is_array()) continue;
    for (size_t i = 0; i < rows->size(); ++i) {
      const std::string at = std::string(list) + "[" + std::to_string(i) + "]";
      for (const char* key : {"date", "count", "label"}) {
        if ((*rows)[i].is_object() && (*rows)[i].contains(key)) v[at + "." + key] = ShownValue((*rows)[i][key], K::kText);
      }
    }
  }
  if (const json* shifts = Get(scenario, "staffing.shifts"); shifts != nullptr && shifts->is_array()) {
    for (size_t i = 0; i < shifts->size(); ++i) {
      const json& s = (*shifts)[i];
      if (!s.is_object()) continue;
      const std::string at = "staffing.shifts[" + std::to_string(i) + "]";
      for (const char* key : {"name", "start", "end", "break_minutes"}) {
        if (s.contains(key)) v[at + "." + key] = ShownValue(s[key], K::kText);
      }
      std::vector<std::string> days;
      if (s.contains("days") && s["days"].is_array()) {
        for (const json& d : s["days"])
          if (d.is_string()) days.push_back(d.get<std::string>());
      } else {
        days = {"weekday", "weekend", "holiday"};  // every day
      }
      for (const std::string& d : days) {
        if (d == "weekday") {
          for (const char* w : {"monday", "tuesday", "wednesday", "thursday", "friday"}) v[at + ".days." + w] = "1";
        } else if (d == "weekend") {
          v[at + ".days.saturday"] = v[at + ".days.sunday"] = "1";
        } else {
          v[at + ".days." + d] = "1";
        }
      }
    }
  }
  return v;
}

Result<json> ApplyPlanForm(json base, const HttpRequest& request) {
  if (!base.is_object()) base = json::object();
  auto typed = [&](const std::string& path) { return text::AsTyped(request.Param(path).value_or("")); };
  for (const auto& [heading, fields] : PlanForm().groups) {
    for (const PlanField& f : fields) {
      const std::string v = typed(f.path);
      if (f.kind == K::kHours) {
        Set(base, f.path, v.empty() ? json(nullptr) : json(v));
        continue;
      }
      if (f.kind == K::kText || f.kind == K::kDate || f.kind == K::kClock) {
        // Text as written (its spaces kept); dates and times as read.
        const std::string written = f.kind == K::kText ? text::Trim(request.Param(f.path).value_or("")) : v;
        if (written.empty()) Erase(base, f.path);
        else Set(base, f.path, written);
        continue;
      }
      if (v.empty()) {
        Erase(base, f.path);
        continue;
      }
      const std::optional<double> x = Number(v);
      if (!x) return InvalidArgumentError(f.path, "'" + v + "' is not a number", "not_a_number");
      if (f.kind == K::kInt && *x != std::floor(*x))
        return InvalidArgumentError(f.path, "'" + v + "' is not a whole number", "not_a_whole_number");
      if (f.kind == K::kInt) Set(base, f.path, static_cast<int64_t>(*x));
      else if (f.kind == K::kPercent) Set(base, f.path, *x / 100);
      else Set(base, f.path, *x);
    }
  }
  // The weekday hours stand for Monday..Friday: names set one by one give way to them.
  if (base.contains("hours") && base["hours"].is_object()) {
    for (const char* d : {"monday", "tuesday", "wednesday", "thursday", "friday"}) base["hours"].erase(d);
  }
  // Rows: filled ones in order; a row left empty is no row (RowFilled).
  for (const RowList& l : RowLists()) {
    json out = json::array();
    for (int i = 0; i < RowCount(l.list); ++i) {
      if (!RowFilled(request, l, i)) continue;
      const std::string at = std::string(l.list) + "[" + std::to_string(i) + "]";
      json row = json::object();
      for (const std::string& key : l.keys) {
        const std::string v = typed(at + "." + key);
        if (v.empty()) continue;
        if (std::find(l.numbers.begin(), l.numbers.end(), key) != l.numbers.end()) {
          const std::optional<double> x = Number(v);
          if (!x || *x != std::floor(*x)) {
            return InvalidArgumentError(at + "." + key, "'" + v + "' is not a whole number", x ? "not_a_whole_number" : "not_a_number");
          }
          row[key] = static_cast<int64_t>(*x);
        } else if (key == "label" || key == "name") {
          row[key] = text::Trim(request.Param(at + "." + key).value_or(""));  // as written
        } else {
          row[key] = v;
        }
      }
      if (std::string_view(l.list) == "staffing.shifts") {
        json days = json::array();
        for (const auto& [day, label] : ShiftDayChoices())
          if (request.Param(at + ".days." + day)) days.push_back(day);
        row["days"] = days;
      }
      out.push_back(row);
    }
    Set(base, l.list, out);
  }
  base.erase("history");  // the form describes a city profile
  return base;
}

std::string FormPathOf(const std::string& path, const HttpRequest& request) {
  for (const RowList& l : RowLists()) {
    const std::string prefix = std::string(l.list) + "[";
    if (!path.starts_with(prefix)) continue;
    const size_t close = path.find(']', prefix.size());
    if (close == std::string::npos) return path;
    const int k = std::atoi(path.substr(prefix.size(), close - prefix.size()).c_str());
    // The k-th filled row of the form.
    for (int i = 0, filled = 0; i < RowCount(l.list); ++i) {
      if (!RowFilled(request, l, i)) continue;
      if (filled++ == k) return prefix + std::to_string(i) + path.substr(close);
    }
  }
  return path;
}

std::string PlanFieldLabel(const std::string& path) {
  for (const auto& [heading, fields] : PlanForm().groups) {
    for (const PlanField& f : fields)
      if (f.path == path || path.starts_with(f.path + ".")) return f.label;
  }
  auto row = [&](const std::string& list, const std::string& what) -> std::string {
    if (!path.starts_with(list + "[")) return "";
    const int i = std::atoi(path.c_str() + list.size() + 1);
    std::string label = what + std::to_string(i + 1);
    const size_t close = path.find(']');
    const std::string key = close == std::string::npos || close + 2 > path.size() ? "" : path.substr(close + 2);
    static const std::map<std::string, std::string> kKeys = {{"date", "の日付"},          {"count", "の人数"},   {"label", "の説明"},
                                                             {"name", "の名前"},          {"start", "の始まり"}, {"end", "の終わり"},
                                                             {"break_minutes", "の休憩"}, {"days", "の曜日"}};
    for (const auto& [k, suffix] : kKeys)
      if (key.starts_with(k)) return label + suffix;
    return label;
  };
  for (const auto& [list, what] : std::vector<std::pair<std::string, std::string>>{
           {"profile.mailings", "接種券の発送"}, {"profile.booking_opens", "予約の開始"}, {"staffing.shifts", "シフト"}}) {
    if (std::string label = row(list, what); !label.empty()) return label;
  }
  return "";
}

}  // namespace madoguchi::web
