// src/web/web_app.hpp — the application behind the HTTP listener: routing, authentication,
// roles and tenant scope, CSRF, audit, error mapping and the access log.
//
// WebApp::Handle is transport-neutral (HttpRequest in, HttpResponse out) and thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "accounts/accounts.hpp"
#include "common/clock.hpp"
#include "common/crypto.hpp"
#include "store/database.hpp"
#include "web/client_address.hpp"
#include "web/router.hpp"

namespace madoguchi::web {

class AdmissionGate;

struct WebSettings {
  accounts::SessionPolicy session;
  accounts::ThrottlePolicy throttle;
  bool secure_cookies = false;  // add Secure to cookies (always on when serving TLS)
  crypto::PasswordCost password_cost = crypto::PasswordCost::kInteractive;
  int max_concurrent_password_hashes = 4;  // each Argon2id run holds 64 MiB
  bool log_requests = true;
  int admission_max_in_flight = 128;                  // residents' bookings served at once before visitors wait in line
  std::string line_api_base = "https://api.line.me";  // the Messaging API (a local stand-in in tests)
  std::vector<Cidr> trusted_proxies;
  int staff_lookups_per_hour = 300;  // searches and opened records of residents, per staff member  // peers whose X-Forwarded-For names the
                                     // client (serve --trusted-proxy)
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

// The secret that signs residents' cookies and waiting-room numbers: one for every process on
// the database (the first process stores it). The composition root loads it before building the
// WebApp, and does not start without it (never a per-process secret in its place: another
// process would refuse every cookie this one signed). Errors: the database's.
Result<std::string> LoadSigningSecret(store::Database& db, Clock& clock);

class WebApp {
 public:
  // `db` and `clock` must outlive the WebApp; `signing_secret` is LoadSigningSecret's (not empty).
  WebApp(store::Database& db, Clock& clock, WebSettings settings, std::string signing_secret);
  ~WebApp();
  WebApp(const WebApp&) = delete;
  WebApp& operator=(const WebApp&) = delete;

  HttpResponse Handle(HttpRequest&& request);
  const Router& router() const;
  // The same routes without an application behind them (no database, no handlers): for
  // `madoguchi routes` and the docs.
  static Router RouteTable();
  // The waiting room every booking write passes (pages and API alike); tests fill it.
  AdmissionGate& admission();

  // Cookie names, for tests and docs. Over HTTPS (or with --secure-cookies) the staff session is
  // named "__Host-" + kSessionCookie (Secure, Path=/, no Domain: no other site or plain-HTTP page
  // can plant one) and the others, which are scoped to a path, "__Secure-" + their name.
  static constexpr const char* kSessionCookie = "madoguchi_session";
  static constexpr const char* kLoginCsrfCookie = "madoguchi_login_csrf";
  static constexpr const char* kResidentCsrfCookie = "madoguchi_rcsrf";
  // The name a cookie has on a request or response that is (or is not) secure.
  static std::string CookieName(std::string_view base, bool secure);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace madoguchi::web
