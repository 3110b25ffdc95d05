#include "web/core/context.hpp"

#include <algorithm>

namespace madoguchi::web {

bool Principal::HasTenant(const std::string& code) const { return std::find(tenants.begin(), tenants.end(), code) != tenants.end(); }

std::string cookies::Name(std::string_view base, bool secure) {
  if (!secure) return std::string(base);
  return (base == kSession ? "__Host-" : "__Secure-") + std::string(base);
}

bool IsStaffOf(const RequestContext& ctx) { return ctx.principal && ctx.principal->HasTenant(ctx.tenant); }

bool ActsForCallers(const RequestContext& ctx) { return IsStaffOf(ctx) && accounts::MayActForCallers(ctx.principal->role); }

}  // namespace madoguchi::web
