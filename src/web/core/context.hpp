// src/web/core/context.hpp — what every handler is given: the settings of the web application,
// the staff member behind a request, the request's context, and the names of the cookies.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "accounts/accounts.hpp"
#include "common/crypto.hpp"
#include "web/http/client_address.hpp"
#include "web/http/router.hpp"

namespace madoguchi::web {

struct WebSettings {
  accounts::SessionPolicy session;
  accounts::ThrottlePolicy throttle;
  bool secure_cookies = false;  // add Secure to cookies (always on when serving TLS)
  crypto::PasswordCost password_cost = crypto::PasswordCost::kInteractive;
  int max_concurrent_password_hashes = 4;  // each Argon2id run holds 64 MiB
  bool log_requests = true;
  int admission_max_in_flight = 128;  // residents' bookings served at once before visitors wait in line
  std::vector<Cidr> trusted_proxies;  // peers whose X-Forwarded-For names the client (serve --trusted-proxy)
  int staff_lookups_per_hour = 300;   // searches and opened records of residents, per staff member
  std::string public_url;             // where residents open links in messages (serve --public-url); empty: none
  std::string kannel_admin_url;       // bearerbox's admin port, for the status page; empty: not shown
  std::string kannel_admin_password;
};

// The authenticated staff member making a request.
struct Principal {
  int64_t user_id = 0;
  std::string login;
  std::string display_name;
  accounts::Role role = accounts::Role::kOperator;
  std::vector<std::string> tenants;
  bool via_api_token = false;
  accounts::TokenScope token_scope = accounts::TokenScope::kFull;  // for API tokens
  std::string session_token_hash;                                  // empty for API tokens
  std::string csrf_token;                                          // empty for API tokens
  bool must_change_password = false;                               // pages lead to /password first

  bool HasTenant(const std::string& code) const;
};

struct RequestContext {
  const HttpRequest& request;
  const Route& route;
  std::map<std::string, std::string> path_params;
  std::string request_id;
  std::optional<Principal> principal;
  std::string tenant;  // the {tenant} of a tenant-scoped route, already checked

  const std::string& ClientAddress() const { return request.remote_addr; }
};

// Cookie names. Over HTTPS (or with --secure-cookies) the staff session is named "__Host-" +
// kSessionCookie (Secure, Path=/, no Domain: no other site or plain-HTTP page can plant one) and
// the others, which are scoped to a path, "__Secure-" + their name.
namespace cookies {
inline constexpr const char* kSession = "madoguchi_session";
inline constexpr const char* kLoginCsrf = "madoguchi_login_csrf";
inline constexpr const char* kResidentCsrf = "madoguchi_rcsrf";
inline constexpr const char* kResidentSession = "madoguchi_resident";
inline constexpr const char* kAdmitted = "madoguchi_admitted";
inline constexpr const char* kQueue = "madoguchi_queue";
// The name a cookie has on a request or response that is (or is not) secure.
std::string Name(std::string_view base, bool secure);
}  // namespace cookies

// Staff of the request's tenant (signed in and bound to it).
bool IsStaffOf(const RequestContext& ctx);
// Staff of this tenant whose role books for callers (accounts::MayActForCallers).
bool ActsForCallers(const RequestContext& ctx);

}  // namespace madoguchi::web
