#include "web/core/context.hpp"

#include <algorithm>
#include <charconv>

namespace madoguchi::web {

std::optional<int64_t> RequestContext::IdParam(const std::string& name) const {
  auto it = path_params.find(name);
  if (it == path_params.end()) return std::nullopt;
  const std::string& v = it->second;
  int64_t id = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), id);
  if (ec != std::errc() || end != v.data() + v.size() || id <= 0) return std::nullopt;
  return id;
}

bool Principal::HasTenant(const std::string& code) const { return std::find(tenants.begin(), tenants.end(), code) != tenants.end(); }

std::string cookies::Name(std::string_view base, bool secure) {
  if (!secure) return std::string(base);
  return (base == kSession ? "__Host-" : "__Secure-") + std::string(base);
}

bool IsStaffOf(const RequestContext& ctx) { return ctx.principal && ctx.principal->HasTenant(ctx.tenant); }

bool ActsForCallers(const RequestContext& ctx) { return IsStaffOf(ctx) && accounts::MayActForCallers(ctx.principal->role); }

}  // namespace madoguchi::web
