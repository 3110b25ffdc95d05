// src/store/plans/plans.hpp — staffing plans saved by supervisors, per tenant.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/database.hpp"

namespace madoguchi::store {

struct SavedPlan {
  int64_t id = 0;
  std::string tenant_code;
  std::string name;
  int64_t created_at_ms = 0;
  int64_t created_by = 0;
  std::string created_by_name;  // filled by the readers
  std::string scenario_json;
  std::optional<std::string> history_csv;
  std::string summary_json;
  std::string report_html;  // left empty by ListPlans
  std::string plan_csv;     // left empty by ListPlans
  std::string plan_json;    // left empty by ListPlans
};

// Returns the new id.
// Errors: the database's.
Result<int64_t> InsertPlan(Connection& conn, const SavedPlan& plan);

// Newest first, without the large columns.
// Errors: the database's.
Result<std::vector<SavedPlan>> ListPlans(Connection& conn, const std::string& tenant, int limit);

// kNotFound unless the plan exists in `tenant` (another tenant's plan is "not found", too).
Result<SavedPlan> FindPlan(Connection& conn, const std::string& tenant, int64_t id);

}  // namespace madoguchi::store
