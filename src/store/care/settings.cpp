// A tenant's home-care settings: see settings.hpp.
#include "store/care/settings.hpp"

#include "care/triage.hpp"
#include "formats/triage_rules.hpp"
#include "store/accounts/accounts.hpp"

namespace madoguchi::store {

Result<care::CareSettings> LoadCareSettings(Connection& conn, const std::string& tenant) {
  care::CareSettings s = care::DefaultCareSettings();
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query("SELECT check_in_minute, remind_after_minutes, call_after_minutes, triage_rules "
                                                   "FROM care_settings WHERE tenant_code = ?",
                                                   {tenant}));
  if (rows.empty()) return s;
  const Row& r = rows[0];
  s.check_in = care::CheckInRules{static_cast<int>(r.Int(0)), static_cast<int>(r.Int(1)), static_cast<int>(r.Int(2))};
  Status valid = care::ValidateCheckInRules(s.check_in);
  if (!valid.ok()) return InternalError("the tenant's stored check-in times do not read: " + valid.message(), "bad_stored_care_settings");
  auto triage = formats::ParseTriageRules(r.Text(3));
  if (!triage.ok()) {
    return InternalError("the tenant's stored triage rules do not read: " + triage.status().message(), "bad_stored_care_settings");
  }
  s.triage = std::move(*triage);
  return s;
}

Status SaveCareSettings(Connection& conn, const std::string& tenant, const care::CheckInRules& check_in, const care::TriageRuleSet& triage,
                        int64_t now_ms) {
  MADOGUCHI_RETURN_IF_ERROR(care::ValidateCheckInRules(check_in));
  MADOGUCHI_RETURN_IF_ERROR(care::ValidateTriageRules(triage));
  MADOGUCHI_ASSIGN_OR_RETURN(auto t, FindTenant(conn, tenant));
  if (!t) return NotFoundError("no such tenant: " + tenant, "tenant_not_found");
  return conn
      .Query(
          "INSERT INTO care_settings (tenant_code, check_in_minute, remind_after_minutes, call_after_minutes, triage_rules, updated_at) "
          "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_code) DO UPDATE SET check_in_minute = excluded.check_in_minute, "
          "remind_after_minutes = excluded.remind_after_minutes, call_after_minutes = excluded.call_after_minutes, "
          "triage_rules = excluded.triage_rules, updated_at = excluded.updated_at",
          {tenant, int64_t{check_in.send_minute}, int64_t{check_in.remind_after_minutes}, int64_t{check_in.call_after_minutes},
           formats::TriageRulesJson(triage), now_ms})
      .status();
}

}  // namespace madoguchi::store
