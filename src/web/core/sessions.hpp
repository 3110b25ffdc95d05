// src/web/core/sessions.hpp — who a staff request is: password login with throttling, cookie
// sessions (a random token, only its SHA-256 stored), API bearer tokens and CSRF checks.
#pragma once

#include <optional>
#include <semaphore>
#include <string>

#include "common/clock.hpp"
#include "common/status.hpp"
#include "store/database.hpp"
#include "web/core/context.hpp"

namespace madoguchi::web {

// What a successful login hands back to the route that asked for it.
struct LoginOutcome {
  Principal principal;
  std::string session_token;  // goes into the cookie; only its hash is stored
};

// kResourceExhausted "throttled" (the subject is locked) or "slowed" (the source waits), with the
// seconds to wait in the message.
Status ThrottledError(const accounts::ThrottleDecision& d);

class Sessions {
 public:
  // `db`, `clock` and `settings` outlive the Sessions.
  Sessions(store::Database& db, const Clock& clock, const WebSettings& settings);

  // The staff member behind a request's API token or session cookie (nullopt: nobody, or an
  // unknown or expired cookie). Errors: a malformed or unknown token (kUnauthenticated
  // bad_token); the database's.
  Result<std::optional<Principal>> Authenticate(const HttpRequest& request);
  // Errors: an empty field (kInvalidArgument); kUnauthenticated bad_credentials; ThrottledError;
  // the database's. Failures and the login are audited.
  Result<LoginOutcome> Login(const std::string& login, const std::string& password, const RequestContext& ctx);
  // Ends the request's session, audited. Errors: kFailedPrecondition not_a_session for an API
  // token; the database's.
  Status Logout(const RequestContext& ctx);
  // A password's Argon2id hash, with at most settings.max_concurrent_password_hashes at once.
  Result<std::string> HashPassword(const std::string& password);

  std::string SessionCookie(const std::string& token, bool secure) const;
  std::string ClearSessionCookie(bool secure) const;
  // The form's csrf_token matches the session's (staff) or the double-submit cookie (login and
  // residents' forms).
  bool CsrfOk(const RequestContext& ctx) const;

 private:
  store::Database& db_;
  const Clock& clock_;
  const WebSettings& settings_;
  std::counting_semaphore<64> hash_slots_;
  std::string dummy_hash_;  // verified against for unknown logins, so timing does not tell
};

}  // namespace madoguchi::web
