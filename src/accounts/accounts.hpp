// src/accounts/accounts.hpp — the rules for staff accounts: roles, what a valid login and
// password are, when a session expires and when login attempts are throttled.
//
// Pure functions over values: no database, no clock reads (callers pass times in), no I/O.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.hpp"
#include "common/text.hpp"

namespace madoguchi::accounts {

// Stored in the database by name (users.role); never rename a value's name.
enum class Role { kAdmin, kSupervisor, kOperator, kDoctor, kCityStaff };

inline constexpr Role kAllRoles[] = {Role::kAdmin, Role::kSupervisor, Role::kOperator, Role::kDoctor,
                                     Role::kCityStaff};

// "admin", "supervisor", "operator", "doctor", "city_staff".
const char* RoleName(Role role);
// 管理者, スーパーバイザー, オペレーター, 医師, 自治体職員 — for pages.
const char* RoleLabelJa(Role role);
// Parses a role name; kInvalidArgument naming `field` lists the valid names.
Result<Role> ParseRole(std::string_view name, std::string_view field = "role");

// A set of roles, for route declarations. Cheap to copy.
class RoleSet {
 public:
  constexpr RoleSet() = default;
  constexpr RoleSet(std::initializer_list<Role> roles) {
    for (Role r : roles) bits_ |= Bit(r);
  }
  static constexpr RoleSet All() { return RoleSet{kAllRoles[0], kAllRoles[1], kAllRoles[2], kAllRoles[3], kAllRoles[4]}; }
  constexpr bool Contains(Role r) const { return (bits_ & Bit(r)) != 0; }
  constexpr bool empty() const { return bits_ == 0; }
  std::string ToString() const;  // "admin,supervisor"

 private:
  static constexpr unsigned Bit(Role r) { return 1u << static_cast<unsigned>(r); }
  unsigned bits_ = 0;
};

// A login is 3..64 characters of [a-z0-9._-], starting with a letter or digit.
Status ValidateLogin(std::string_view login, std::string_view field = "login");

// A password is 10..256 bytes of valid UTF-8 without control characters.
Status ValidatePassword(std::string_view password, std::string_view field = "password");

// A display name is 1..100 bytes of valid UTF-8 without control characters.
Status ValidateDisplayName(std::string_view name, std::string_view field = "display_name");

// Parses "131016,452041" into validated, de-duplicated tenant codes (at least one).
Result<std::vector<std::string>> ParseTenantList(std::string_view list, std::string_view field = "tenant");

// True when `text` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
using text::IsValidUtf8;

// How long sessions live. Defaults suit an operator's working day.
struct SessionPolicy {
  std::chrono::minutes idle_timeout{120};     // ended after this long without a request
  std::chrono::minutes absolute_timeout{720}; // ended this long after login, whatever the activity
  std::chrono::seconds touch_interval{60};    // last_seen is written at most this often
};

// When the session created at `created_ms`, last seen at `last_seen_ms`, expires (Unix ms).
int64_t SessionExpiresAtMs(const SessionPolicy& policy, int64_t created_ms, int64_t last_seen_ms);

// Login throttling: refuse new attempts while there are too many recent failures.
struct ThrottlePolicy {
  std::chrono::minutes window{15};   // failures older than this are forgotten
  int max_failures_per_account = 5;  // per login name, from any address
  int max_failures_per_address = 20; // per source address, over all login names
};

// nullopt when an attempt may proceed; otherwise the reason ("account" or "address").
std::optional<std::string> ThrottleReason(const ThrottlePolicy& policy, int recent_account_failures,
                                          int recent_address_failures);

}  // namespace madoguchi::accounts
