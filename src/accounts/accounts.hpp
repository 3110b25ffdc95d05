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

inline constexpr Role kAllRoles[] = {Role::kAdmin, Role::kSupervisor, Role::kOperator, Role::kDoctor, Role::kCityStaff};

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

// Booking, moving and cancelling by ticket alone, for a caller on the phone: operators, their
// supervisors and admins. A doctor or city staff member is not let in by being signed in.
bool MayActForCallers(Role role);

// A login is 3..64 characters of [a-z0-9._-], starting with a letter or digit.
Status ValidateLogin(std::string_view login, std::string_view field = "login");

// A password is 10..256 bytes of valid UTF-8 without control characters.
Status ValidatePassword(std::string_view password, std::string_view field = "password");

// A new password for `login`: valid (above) and not containing the login name, whatever the
// case (kInvalidArgument "password_has_login"). The common-password dictionary is checked by the
// caller (crypto::CheckNotCommonPassword: it reads a file).
Status ValidateNewPassword(std::string_view password, std::string_view login, std::string_view field = "password");

// A display name is 1..100 bytes of valid UTF-8 without control characters.
Status ValidateDisplayName(std::string_view name, std::string_view field = "display_name");

// Parses "131016,452041" into validated, de-duplicated tenant codes (at least one).
Result<std::vector<std::string>> ParseTenantList(std::string_view list, std::string_view field = "tenant");

// True when `text` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
using text::IsValidUtf8;

// How long sessions live. Defaults suit an operator's working day.
struct SessionPolicy {
  std::chrono::minutes idle_timeout{120};      // ended after this long without a request
  std::chrono::minutes absolute_timeout{720};  // ended this long after login, whatever the activity
  std::chrono::seconds touch_interval{60};     // last_seen is written at most this often
};

// When the session created at `created_ms`, last seen at `last_seen_ms`, expires (Unix ms).
int64_t SessionExpiresAtMs(const SessionPolicy& policy, int64_t created_ms, int64_t last_seen_ms);

// What an API token may do: everything its user's role may (kFull), or only read (kRead: GET).
// Stored by name ("full", "read"); never rename.
enum class TokenScope { kFull, kRead };
const char* TokenScopeName(TokenScope scope);
// kInvalidArgument naming `field` for anything but "full" or "read".
Result<TokenScope> ParseTokenScope(std::string_view name, std::string_view field = "scope");

// How long a token lives: 90 days unless asked, at most a year (a forgotten token ends).
struct TokenPolicy {
  int default_days = 90;
  int max_days = 365;
};
// The expiry of a token made at `now_ms` for `days` (nullopt: the default). kInvalidArgument
// naming `field` outside 1..max_days.
Result<int64_t> TokenExpiresAtMs(const TokenPolicy& policy, int64_t now_ms, std::optional<int64_t> days,
                                 std::string_view field = "expires_in_days");

// Throttling of guesses: staff passwords (keyed by login), residents' birth dates (keyed by
// municipality and 券番号). Counters live in the database, so every process sees them and a
// restart forgets nothing (docs/security.md has the table of limits and why).
//
// Two rules:
// - the thing guessed: at most `max_failures_per_subject` failures in `window` (then refused
//   until the oldest leaves the window). This is what stops guessing one birth date or password.
// - the source (a client address, or a LINE user): never a lock-out. Past
//   `free_failures_per_source` failures in `window` it may try once per `source_interval`, so a
//   help desk booking hundreds of people from one network is not stopped, while a script
//   spraying guesses over many tickets gets one try every ten seconds.
struct ThrottlePolicy {
  std::chrono::minutes window{15};
  int max_failures_per_subject = 5;
  int free_failures_per_source = 30;
  std::chrono::seconds source_interval{10};
};

// What the database holds about recent failures.
struct FailureCounts {
  int by_subject = 0;
  int by_source = 0;
  int64_t last_by_source_ms = 0;  // the latest failure from the source (0: none)
};

struct ThrottleDecision {
  std::string reason;  // "subject" or "source"
  int retry_after_s = 0;
};

// Whether an admin (`actor_id`, bound to `actor_tenants`) may change the staff member
// `target_id` (bound to `target_tenants`, empty when there is no such user) as the admin of
// `tenant`: never themself (kFailedPrecondition "self"), only someone bound to `tenant`
// (kNotFound "unknown_user"), and never someone also bound to a municipality the admin is not
// (kPermissionDenied "foreign_tenant").
Status MayManage(int64_t actor_id, const std::vector<std::string>& actor_tenants, int64_t target_id,
                 const std::vector<std::string>& target_tenants, const std::string& tenant);

// The municipalities a staff member is to work for, as an admin bound to `actor_tenants` chose
// them: at least one (kInvalidArgument "no_tenants" on "tenants"), each one the admin's own
// (kPermissionDenied "tenant_not_yours"). Returns them sorted, each once.
Result<std::vector<std::string>> ChooseTenants(const std::vector<std::string>& actor_tenants, const std::vector<std::string>& chosen);

// nullopt when an attempt may go ahead.
std::optional<ThrottleDecision> Throttle(const ThrottlePolicy& policy, const FailureCounts& counts, int64_t now_ms);

}  // namespace madoguchi::accounts
