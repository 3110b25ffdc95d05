#include "store/plans/plans.hpp"

namespace madoguchi::store {
namespace {

// The columns every reader selects first: id, name, created_at, created_by, the creator's name.
constexpr const char* kHead = "SELECT p.id, p.name, p.created_at, p.created_by, u.display_name";

SavedPlan Head(const Row& r, const std::string& tenant) {
  SavedPlan p;
  p.id = r.Int(0);
  p.tenant_code = tenant;
  p.name = r.Text(1);
  p.created_at_ms = r.Int(2);
  p.created_by = r.Int(3);
  p.created_by_name = r.Text(4);
  return p;
}

}  // namespace

Result<int64_t> InsertPlan(Connection& conn, const SavedPlan& p) {
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows rows,
      conn.Query("INSERT INTO plans (tenant_code, name, created_at, created_by, scenario_json, history_csv, summary_json, "
                 "report_html, plan_csv, plan_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                 {p.tenant_code, p.name, p.created_at_ms, p.created_by, p.scenario_json,
                  p.history_csv ? Value(*p.history_csv) : Value(nullptr), p.summary_json, p.report_html, p.plan_csv, p.plan_json}));
  if (rows.empty()) return InternalError("INSERT INTO plans returned no id");
  return rows[0].Int(0);
}

Result<std::vector<SavedPlan>> ListPlans(Connection& conn, const std::string& tenant, int limit) {
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows rows,
      conn.Query(std::string(kHead) + ", p.summary_json FROM plans p JOIN users u ON u.id = p.created_by WHERE p.tenant_code = ? "
                                      "ORDER BY p.id DESC LIMIT ?",
                 {tenant, static_cast<int64_t>(limit)}));
  std::vector<SavedPlan> out;
  for (const Row& r : rows) {
    SavedPlan p = Head(r, tenant);
    p.summary_json = r.Text(5);
    out.push_back(std::move(p));
  }
  return out;
}

Result<SavedPlan> FindPlan(Connection& conn, const std::string& tenant, int64_t id) {
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows rows, conn.Query(std::string(kHead) + ", p.scenario_json, p.history_csv, p.summary_json, p.report_html, p.plan_csv, p.plan_json "
                                                 "FROM plans p JOIN users u ON u.id = p.created_by WHERE p.tenant_code = ? AND p.id = ?",
                            {tenant, id}));
  if (rows.empty()) return NotFoundError("no such plan", "plan_not_found");
  const Row& r = rows[0];
  SavedPlan p = Head(r, tenant);
  p.scenario_json = r.Text(5);
  if (!r.IsNull(6)) p.history_csv = r.Text(6);
  p.summary_json = r.Text(7);
  p.report_html = r.Text(8);
  p.plan_csv = r.Text(9);
  p.plan_json = r.Text(10);
  return p;
}

}  // namespace madoguchi::store
