// src/web/planning/plan_form.hpp — the planner's form: the city profile, opening hours, service
// targets, staffing bounds and shift patterns as fields, each named by the scenario path it writes
// ("staffing.max_agents", "staffing.shifts[1].end"), so the scenario parser's error names the
// field it belongs beside. The form is a view of the scenario JSON, which stays the one format
// (download and upload for power users); nothing here checks a value beyond reading it as typed.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/status.hpp"

namespace madoguchi::web {

class HttpRequest;

// How a field is typed and written: whole numbers, numbers, percent (80 → 0.8), text, a date,
// opening hours ("08:30-17:15"; empty: closed, written as null), a clock time ("08:30").
enum class PlanFieldKind { kInt, kNumber, kPercent, kText, kDate, kHours, kClock };

struct PlanField {
  std::string path;   // the scenario path, also the form field's name
  std::string label;  // 「最大人数」
  PlanFieldKind kind = PlanFieldKind::kInt;
  std::string hint;  // 「1区間の人数の上限」; may be empty
};

// The form's groups of fields, in order (heading, fields), then the repeated rows: mailings,
// booking openings and shift patterns.
struct PlanFormLayout {
  std::vector<std::pair<std::string, std::vector<PlanField>>> groups;
  int mailing_rows = 4, opening_rows = 4, shift_rows = 6;
};
const PlanFormLayout& PlanForm();

// The shift days a pattern row offers, as the scenario names them, with their Japanese labels.
const std::vector<std::pair<std::string, std::string>>& ShiftDayChoices();

// What the form shows for `scenario`: each field's value by its path (percent as 80, hours as
// typed, a shift's days as "staffing.shifts[0].days.monday" = "1"). nullopt when the scenario
// plans from call history instead of a city profile: the form does not describe it.
std::optional<std::map<std::string, std::string>> PlanFormValues(const nlohmann::json& scenario);

// `base` with the form's fields written over it (advanced settings the form does not show stay
// as they were). A value that does not read as its kind: kInvalidArgument "not_a_number" or
// "bad_form_value" naming the field's path. Empty rows of mailings, openings and shifts are left
// out; an empty optional number removes its key (the default applies).
Result<nlohmann::json> ApplyPlanForm(nlohmann::json base, const HttpRequest& request);

// The form's field a scenario path refers to: the scenario has only the filled rows, so its
// "staffing.shifts[0]" is the first filled shift row of the form, whichever row that was.
std::string FormPathOf(const std::string& path, const HttpRequest& request);

// The label of the field at `path` ("staffing.shifts[1].end" → 「シフト2の終わり」); empty when
// the form has no such field.
std::string PlanFieldLabel(const std::string& path);

}  // namespace madoguchi::web
