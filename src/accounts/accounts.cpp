#include "accounts/accounts.hpp"

#include <cctype>

#include <algorithm>

#include "common/tenant_code.hpp"

namespace madoguchi::accounts {

const char* RoleName(Role role) {
  switch (role) {
    case Role::kAdmin: return "admin";
    case Role::kSupervisor: return "supervisor";
    case Role::kOperator: return "operator";
    case Role::kDoctor: return "doctor";
    case Role::kCityStaff: return "city_staff";
  }
  return "?";
}

const char* RoleLabelJa(Role role) {
  switch (role) {
    case Role::kAdmin: return "管理者";
    case Role::kSupervisor: return "スーパーバイザー";
    case Role::kOperator: return "オペレーター";
    case Role::kDoctor: return "医師";
    case Role::kCityStaff: return "自治体職員";
  }
  return "?";
}

Result<Role> ParseRole(std::string_view name, std::string_view field) {
  for (Role r : kAllRoles) {
    if (name == RoleName(r)) return r;
  }
  return InvalidArgumentError(std::string(field), "unknown role; use one of admin, supervisor, operator, doctor, city_staff",
                              "invalid_role");
}

std::string RoleSet::ToString() const {
  std::string out;
  for (Role r : kAllRoles) {
    if (!Contains(r)) continue;
    if (!out.empty()) out += ',';
    out += RoleName(r);
  }
  return out;
}

using text::HasControlChars;

Status ValidateLogin(std::string_view login, std::string_view field) {
  const std::string f(field);
  if (login.size() < 3 || login.size() > 64) return InvalidArgumentError(f, "must be 3 to 64 characters");
  for (char c : login) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) return InvalidArgumentError(f, "may contain only a-z, 0-9, '.', '_' and '-'");
  }
  if (login[0] == '.' || login[0] == '_' || login[0] == '-') {
    return InvalidArgumentError(f, "must start with a letter or digit");
  }
  return Status::Ok();
}

Status ValidatePassword(std::string_view password, std::string_view field) {
  const std::string f(field);
  if (password.size() < 10) return InvalidArgumentError(f, "must be at least 10 characters", "weak_password");
  if (password.size() > 256) return InvalidArgumentError(f, "must be at most 256 bytes");
  if (!IsValidUtf8(password)) return InvalidArgumentError(f, "must be valid UTF-8");
  if (HasControlChars(password)) return InvalidArgumentError(f, "must not contain control characters");
  return Status::Ok();
}

bool MayActForCallers(Role role) { return role == Role::kOperator || role == Role::kSupervisor || role == Role::kAdmin; }

Status ValidateNewPassword(std::string_view password, std::string_view login, std::string_view field) {
  MADOGUCHI_RETURN_IF_ERROR(ValidatePassword(password, field));
  auto lower = [](std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  };
  if (login.size() >= 3 && lower(password).find(lower(login)) != std::string::npos) {
    return InvalidArgumentError(std::string(field), "must not contain the login name", "password_has_login");
  }
  return Status::Ok();
}

Status MayManage(int64_t actor_id, const std::vector<std::string>& actor_tenants, int64_t target_id,
                 const std::vector<std::string>& target_tenants, const std::string& tenant) {
  if (target_id == actor_id) return FailedPreconditionError("you cannot change your own account here", "self");
  auto bound = [](const std::vector<std::string>& tenants, const std::string& t) {
    return std::find(tenants.begin(), tenants.end(), t) != tenants.end();
  };
  if (!bound(target_tenants, tenant)) return NotFoundError("no such user in this municipality", "unknown_user");
  for (const std::string& t : target_tenants) {
    if (!bound(actor_tenants, t)) {
      return PermissionDeniedError("this user also works for a municipality you are not bound to", "foreign_tenant");
    }
  }
  return Status::Ok();
}

Result<std::vector<std::string>> ChooseTenants(const std::vector<std::string>& actor_tenants, const std::vector<std::string>& chosen) {
  std::vector<std::string> out;
  for (const std::string& t : chosen) {
    if (std::find(actor_tenants.begin(), actor_tenants.end(), t) == actor_tenants.end()) {
      return PermissionDeniedError("you are not bound to municipality " + t, "tenant_not_yours");
    }
    if (std::find(out.begin(), out.end(), t) == out.end()) out.push_back(t);
  }
  if (out.empty()) return InvalidArgumentError("tenants", "choose at least one municipality", "no_tenants");
  std::sort(out.begin(), out.end());
  return out;
}

Status ValidateDisplayName(std::string_view name, std::string_view field) {
  const std::string f(field);
  if (name.empty() || name.size() > 100) return InvalidArgumentError(f, "must be 1 to 100 bytes");
  if (!IsValidUtf8(name)) return InvalidArgumentError(f, "must be valid UTF-8");
  if (HasControlChars(name)) return InvalidArgumentError(f, "must not contain control characters");
  return Status::Ok();
}

Result<std::vector<std::string>> ParseTenantList(std::string_view list, std::string_view field) {
  std::vector<std::string> codes;
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    if (comma == std::string_view::npos) comma = list.size();
    std::string_view item = list.substr(start, comma - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) {
      MADOGUCHI_RETURN_IF_ERROR(ValidateTenantCode(item, field));
      if (std::find(codes.begin(), codes.end(), item) == codes.end()) codes.emplace_back(item);
    }
    start = comma + 1;
  }
  if (codes.empty()) return InvalidArgumentError(std::string(field), "at least one tenant code is required");
  return codes;
}

int64_t SessionExpiresAtMs(const SessionPolicy& policy, int64_t created_ms, int64_t last_seen_ms) {
  const int64_t idle_end = last_seen_ms + std::chrono::milliseconds(policy.idle_timeout).count();
  const int64_t absolute_end = created_ms + std::chrono::milliseconds(policy.absolute_timeout).count();
  return std::min(idle_end, absolute_end);
}

const char* TokenScopeName(TokenScope scope) { return scope == TokenScope::kRead ? "read" : "full"; }

Result<TokenScope> ParseTokenScope(std::string_view name, std::string_view field) {
  if (name == "full") return TokenScope::kFull;
  if (name == "read") return TokenScope::kRead;
  return InvalidArgumentError(std::string(field), "must be full (the role's rights) or read (reading only)");
}

Result<int64_t> TokenExpiresAtMs(const TokenPolicy& policy, int64_t now_ms, std::optional<int64_t> days, std::string_view field) {
  const int64_t d = days.value_or(policy.default_days);
  if (d < 1 || d > policy.max_days) {
    return InvalidArgumentError(std::string(field), "must be 1.." + std::to_string(policy.max_days) + " days");
  }
  return now_ms + d * 86'400'000;
}

std::optional<ThrottleDecision> Throttle(const ThrottlePolicy& policy, const FailureCounts& counts, int64_t now_ms) {
  if (counts.by_subject >= policy.max_failures_per_subject) {
    return ThrottleDecision{"subject", static_cast<int>(std::chrono::seconds(policy.window).count())};
  }
  if (counts.by_source >= policy.free_failures_per_source) {
    const int64_t interval_ms = std::chrono::milliseconds(policy.source_interval).count();
    const int64_t wait_ms = counts.last_by_source_ms + interval_ms - now_ms;
    if (wait_ms > 0) return ThrottleDecision{"source", static_cast<int>((wait_ms + 999) / 1000)};
  }
  return std::nullopt;
}

}  // namespace madoguchi::accounts
