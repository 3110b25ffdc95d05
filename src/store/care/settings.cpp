// A tenant's home-care settings: see settings.hpp.
#include "store/care/settings.hpp"

#include "care/eligibility.hpp"
#include "care/triage.hpp"
#include "formats/care_rules.hpp"
#include "formats/triage_rules.hpp"
#include "store/accounts/accounts.hpp"

namespace madoguchi::store {

Result<care::CareSettings> LoadCareSettings(Connection& conn, const std::string& tenant) {
  care::CareSettings s = care::DefaultCareSettings();
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query("SELECT check_in_minute, remind_after_minutes, call_after_minutes, triage_rules, "
                                                   "care_rules FROM care_settings WHERE tenant_code = ?",
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
  if (!r.Text(4).empty()) {
    auto rules = formats::ParseCareRules(r.Text(4), s);
    if (!rules.ok()) {
      return InternalError("the tenant's stored registration rules do not read: " + rules.status().message(), "bad_stored_care_settings");
    }
    s = std::move(*rules);
  }
  return s;
}

Status SaveCareSettings(Connection& conn, const std::string& tenant, const care::CareSettings& s, int64_t now_ms) {
  const care::CheckInRules& check_in = s.check_in;
  MADOGUCHI_RETURN_IF_ERROR(care::ValidateCheckInRules(check_in));
  MADOGUCHI_RETURN_IF_ERROR(care::ValidateTriageRules(s.triage));
  Status e = care::ValidateEligibilityRules(s.eligibility);
  if (!e.ok()) return Status(e.code(), e.key(), e.message(), "eligibility." + e.field());
  Status ep = care::ValidateEpisodeRules(s.episode);
  if (!ep.ok()) return Status(ep.code(), ep.key(), ep.message(), "episode." + ep.field());
  MADOGUCHI_ASSIGN_OR_RETURN(auto t, FindTenant(conn, tenant));
  if (!t) return NotFoundError("no such tenant: " + tenant, "tenant_not_found");
  return conn
      .Query(
          "INSERT INTO care_settings (tenant_code, check_in_minute, remind_after_minutes, call_after_minutes, triage_rules, "
          "care_rules, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_code) DO UPDATE SET check_in_minute = "
          "excluded.check_in_minute, remind_after_minutes = excluded.remind_after_minutes, call_after_minutes = "
          "excluded.call_after_minutes, triage_rules = excluded.triage_rules, care_rules = excluded.care_rules, updated_at = "
          "excluded.updated_at",
          {tenant, int64_t{check_in.send_minute}, int64_t{check_in.remind_after_minutes}, int64_t{check_in.call_after_minutes},
           formats::TriageRulesJson(s.triage), formats::CareRulesJson(s), now_ms})
      .status();
}

}  // namespace madoguchi::store
