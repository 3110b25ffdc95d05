#include "web/core/tenants.hpp"

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

Result<booking::Guidance> Tenants::Guidance(const std::string& tenant) {
  const int64_t now = clock_.NowMs();
  {
    std::lock_guard lock(mu_);
    if (auto it = guidance_.find(tenant); it != guidance_.end() && now - it->second.first < 1000) return it->second.second;
  }
  booking::Guidance g;
  MADOGUCHI_RETURN_IF_ERROR(store::WithConnection(db_, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(g, store::TenantGuidance(conn, tenant));
    return Status::Ok();
  }));
  std::lock_guard lock(mu_);
  guidance_[tenant] = {now, g};
  return g;
}

void Tenants::ForgetGuidance(const std::string& tenant) {
  std::lock_guard lock(mu_);
  guidance_.erase(tenant);
}

}  // namespace madoguchi::web
