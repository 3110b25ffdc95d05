#include "web/core/tenants.hpp"

#include "formats/booking_rules.hpp"
#include "store/accounts/accounts.hpp"
#include "store/booking/bookings.hpp"

namespace madoguchi::web {

Status Tenants::RequireExists(const std::string& tenant) {
  {
    std::lock_guard lock(mu_);
    if (names_.count(tenant)) return Status::Ok();
  }
  std::optional<store::Tenant> t;
  MADOGUCHI_RETURN_IF_ERROR(store::WithConnection(db_, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(t, store::FindTenant(conn, tenant));
    return Status::Ok();
  }));
  if (!t) return NotFoundError("no such municipality", "tenant_not_found");
  std::lock_guard lock(mu_);
  names_[tenant] = t->name;
  return Status::Ok();
}

std::string Tenants::Name(const std::string& tenant) {
  std::lock_guard lock(mu_);
  auto it = names_.find(tenant);
  return it == names_.end() ? tenant : it->second;
}

Result<booking::Rules> Tenants::Rules(store::Connection& conn, const std::string& tenant) {
  // Read at most once a second per tenant: every booking needs them, and they rarely change.
  const int64_t now = clock_.NowMs();
  {
    std::lock_guard lock(mu_);
    if (auto it = rules_.find(tenant); it != rules_.end() && now - it->second.first < 1000) return it->second.second;
  }
  MADOGUCHI_ASSIGN_OR_RETURN(booking::Rules rules, ReadRules(conn, tenant));
  std::lock_guard lock(mu_);
  rules_[tenant] = {now, rules};
  return rules;
}

Result<booking::Rules> Tenants::ReadRules(store::Connection& conn, const std::string& tenant) {
  MADOGUCHI_ASSIGN_OR_RETURN(auto text, store::TenantRulesJson(conn, tenant));
  if (!text) return booking::Rules{};
  auto rules = formats::ParseBookingRules(*text);
  if (!rules.ok()) {
    return InternalError("the stored booking rules of " + tenant + " do not parse: " + rules.status().ToString(), "bad_stored_rules");
  }
  return rules;
}

void Tenants::ForgetRules(const std::string& tenant) {
  std::lock_guard lock(mu_);
  rules_.erase(tenant);
}

}  // namespace madoguchi::web
