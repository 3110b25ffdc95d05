#include "web/core/sessions.hpp"
#include "common/tenant_code.hpp"

#include <algorithm>
#include <chrono>

#include "common/crypto.hpp"
#include "store/accounts/accounts.hpp"
#include "store/audit/audit_log.hpp"
#include "web/core/audit.hpp"

namespace madoguchi::web {
namespace {

constexpr std::string_view kBearer = "Bearer ";

}  // namespace

Status ThrottledError(const accounts::ThrottleDecision& d) {
  return Status(StatusCode::kResourceExhausted, d.reason == "subject" ? "throttled" : "slowed",
                "too many failed attempts; try again in " + std::to_string(d.retry_after_s) + " s");
}

namespace {

Principal FromUser(const store::User& u) {
  Principal p;
  p.user_id = u.id;
  p.login = u.login;
  p.display_name = u.display_name;
  p.role = u.role;
  p.tenants = u.tenants;
  p.must_change_password = u.must_change_password;
  return p;
}

}  // namespace

Sessions::Sessions(store::Database& db, const Clock& clock, const WebSettings& settings)
    : db_(db),
      clock_(clock),
      settings_(settings),
      hash_slots_(std::clamp(settings.max_concurrent_password_hashes, 1, 64)),
      dummy_hash_(crypto::HashPassword(crypto::RandomToken(16), settings.password_cost).value()) {}

Result<std::string> Sessions::HashPassword(const std::string& password) {
  // Argon2id holds 64 MiB per run: bound how many run at once.
  hash_slots_.acquire();
  auto h = crypto::HashPassword(password, settings_.password_cost);
  hash_slots_.release();
  return h;
}

Result<std::optional<Principal>> Sessions::Authenticate(const HttpRequest& request) {
  const int64_t now = clock_.NowMs();
  const std::string authorization = request.Header("Authorization");
  if (!authorization.empty()) {
    if (!authorization.starts_with(kBearer)) {
      return UnauthenticatedError("Authorization must be 'Bearer <API token>'", "bad_token");
    }
    const std::string hash = crypto::Sha256Hex(authorization.substr(kBearer.size()));
    std::optional<Principal> principal;
    Status s = store::WithConnection(db_, [&](store::Connection& conn) -> Status {
      MADOGUCHI_ASSIGN_OR_RETURN(auto token, store::FindActiveApiToken(conn, hash, now));
      if (!token) return Status::Ok();
      MADOGUCHI_ASSIGN_OR_RETURN(auto user, store::FindUserById(conn, token->user_id));
      if (!user || user->disabled) return Status::Ok();
      principal = FromUser(*user);
      principal->via_api_token = true;
      principal->token_scope = token->scope;
      if (!token->last_used_ms || now - *token->last_used_ms > 60'000) {
        MADOGUCHI_RETURN_IF_ERROR(store::MarkApiTokenUsed(conn, token->id, now));
      }
      return Status::Ok();
    });
    if (!s.ok()) return s;
    if (!principal) return UnauthenticatedError("the API token is unknown, expired or revoked", "bad_token");
    return principal;
  }

  const std::string cookie = request.Cookie(cookies::Name(cookies::kSession, request.tls || settings_.secure_cookies));
  if (cookie.empty()) return std::optional<Principal>();
  const std::string hash = crypto::Sha256Hex(cookie);
  std::optional<Principal> principal;
  Status s = store::WithConnection(db_, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(auto session, store::FindSession(conn, hash));
    if (!session) return Status::Ok();
    if (session->expires_at_ms <= now) return store::DeleteSession(conn, hash);
    MADOGUCHI_ASSIGN_OR_RETURN(auto user, store::FindUserById(conn, session->user_id));
    if (!user || user->disabled) return Status::Ok();
    principal = FromUser(*user);
    principal->session_token_hash = hash;
    principal->csrf_token = session->csrf_token;
    // Sliding idle expiry, written at most once per touch interval to spare the database.
    if (now - session->last_seen_ms >= std::chrono::milliseconds(settings_.session.touch_interval).count()) {
      const int64_t expires = accounts::SessionExpiresAtMs(settings_.session, session->created_at_ms, now);
      MADOGUCHI_RETURN_IF_ERROR(store::TouchSession(conn, hash, now, expires));
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  // An unknown or expired cookie is treated as no login: pages send the person to /login.
  return principal;
}

Result<LoginOutcome> Sessions::Login(const std::string& login, const std::string& password, const RequestContext& ctx) {
  if (login.empty()) return InvalidArgumentError("login", "must not be empty");
  if (password.empty()) return InvalidArgumentError("password", "must not be empty");
  if (login.size() > 64 || password.size() > 256) {
    return UnauthenticatedError("wrong login or password", "bad_credentials");
  }
  const int64_t now = clock_.NowMs();
  const int64_t window_start = now - std::chrono::milliseconds(settings_.throttle.window).count();
  const std::string& addr = ctx.ClientAddress();

  // The attempt is reserved (recorded as a failure) before the password is checked, under a lock
  // on the login, so 200 parallel guesses get at most the limit checked, on every process. An
  // attempt already refused costs one read and writes nothing (a flood cannot turn into writes).
  std::optional<std::pair<store::User, std::string>> found;
  std::optional<accounts::ThrottleDecision> throttled;
  accounts::FailureCounts counts;
  int64_t reservation = 0;
  Status s = store::WithConnection(db_, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(counts, store::CountGuessFailures(conn, "staff", login, addr, window_start));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  if (auto refused = accounts::Throttle(settings_.throttle, counts, now)) return ThrottledError(*refused);
  s = store::InTransaction(db_, [&](store::Connection& conn) -> Status {
    throttled.reset();
    MADOGUCHI_RETURN_IF_ERROR(store::LockGuessSubject(conn, "staff", login));
    MADOGUCHI_ASSIGN_OR_RETURN(counts, store::CountGuessFailures(conn, "staff", login, addr, window_start));
    throttled = accounts::Throttle(settings_.throttle, counts, now);
    if (throttled) return Status::Ok();
    MADOGUCHI_ASSIGN_OR_RETURN(reservation, store::RecordGuessFailure(conn, "staff", login, addr, now, window_start));
    MADOGUCHI_ASSIGN_OR_RETURN(found, store::FindUserByLogin(conn, login));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  if (throttled) return ThrottledError(*throttled);

  bool verified;
  {
    // Argon2id holds 64 MiB per run: bound how many run at once.
    hash_slots_.acquire();
    verified = crypto::VerifyPassword(found ? found->second : dummy_hash_, password);
    hash_slots_.release();
  }
  if (!found || !verified || found->first.disabled) {
    // The reservation stays as the failure. Unknown logins have no tenant: they land in the
    // platform's security log (tenant NULL), which `madoguchi audit security` prints.
    Status recorded = store::InTransaction(db_, [&](store::Connection& conn) -> Status {
      const std::optional<int64_t> user = found ? std::optional<int64_t>(found->first.id) : std::nullopt;
      store::AuditEntry e{0,
                          now,
                          user,
                          "anonymous",
                          "anonymous",
                          std::nullopt,
                          "session.login_failed",
                          found ? "user:" + std::to_string(found->first.id) : "unknown_login:" + login,
                          addr,
                          ctx.request_id};
      MADOGUCHI_RETURN_IF_ERROR(store::AppendAudit(conn, e));
      // The failure that starts a lock-out or a slow-down is logged once, with its source.
      if (counts.by_subject + 1 == settings_.throttle.max_failures_per_subject) {
        e.action = "session.login_locked";
        e.record = "login:" + login;
        MADOGUCHI_RETURN_IF_ERROR(store::AppendAudit(conn, e));
      }
      if (counts.by_source + 1 == settings_.throttle.free_failures_per_source) {
        e.action = "session.source_slowed";
        e.record = "source:" + addr;
        MADOGUCHI_RETURN_IF_ERROR(store::AppendAudit(conn, e));
      }
      return Status::Ok();
    });
    if (!recorded.ok()) return recorded;
    return UnauthenticatedError("wrong login or password", "bad_credentials");
  }

  LoginOutcome out;
  out.principal = FromUser(found->first);
  out.session_token = crypto::RandomToken(32);
  out.principal.session_token_hash = crypto::Sha256Hex(out.session_token);
  out.principal.csrf_token = crypto::RandomToken(24);
  store::SessionRecord session{out.principal.session_token_hash,
                               out.principal.user_id,
                               out.principal.csrf_token,
                               now,
                               now,
                               accounts::SessionExpiresAtMs(settings_.session, now, now),
                               addr};
  s = store::InTransaction(db_, [&](store::Connection& conn) -> Status {
    MADOGUCHI_RETURN_IF_ERROR(store::InsertSession(conn, session));
    MADOGUCHI_RETURN_IF_ERROR(store::ForgetGuessFailure(conn, reservation));
    store::AuditEntry e{0,
                        now,
                        out.principal.user_id,
                        out.principal.login,
                        accounts::RoleName(out.principal.role),
                        std::nullopt,
                        "session.login",
                        "user:" + std::to_string(out.principal.user_id),
                        addr,
                        ctx.request_id};
    return store::AppendAudit(conn, e);
  });
  if (!s.ok()) return s;
  return out;
}

Status Sessions::Logout(const RequestContext& ctx) {
  if (!ctx.principal || ctx.principal->session_token_hash.empty()) {
    return FailedPreconditionError("API tokens are revoked with DELETE /api/v1/tokens/{id}", "not_a_session");
  }
  return store::InTransaction(db_, [&](store::Connection& conn) -> Status {
    MADOGUCHI_RETURN_IF_ERROR(store::DeleteSession(conn, ctx.principal->session_token_hash));
    return Audit(clock_, conn, ctx, std::nullopt, "session.logout", "user:" + std::to_string(ctx.principal->user_id));
  });
}

std::string Sessions::SessionCookie(const std::string& token, bool secure) const {
  const auto max_age = std::chrono::seconds(settings_.session.absolute_timeout).count();
  return cookies::Name(cookies::kSession, secure) + "=" + token + "; Path=/; Max-Age=" + std::to_string(max_age) +
         "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
}

std::string Sessions::ClearSessionCookie(bool secure) const {
  return cookies::Name(cookies::kSession, secure) + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
}

bool Sessions::CsrfOk(const RequestContext& ctx) const {
  // The token travels in the form body only: a token in the URL leaks through logs and Referer.
  if (ctx.request.query.count("csrf_token") > 0) return false;
  const std::string sent = ctx.request.Param("csrf_token").value_or("");
  if (sent.empty()) return false;
  // A signed-in staff member's forms carry that session's token, and nothing else will do.
  if (ctx.principal) {
    return !ctx.principal->csrf_token.empty() && crypto::ConstantTimeEquals(sent, ctx.principal->csrf_token);
  }
  // Before login (the login form) and on the residents' pages: the double-submit cookie that
  // page set, each only where it belongs.
  const char* name = ctx.request.path.starts_with("/r/") ? cookies::kResidentCsrf : cookies::kLoginCsrf;
  const std::string cookie = ctx.request.Cookie(cookies::Name(name, ctx.request.tls || settings_.secure_cookies));
  return !cookie.empty() && crypto::ConstantTimeEquals(sent, cookie);
}

}  // namespace madoguchi::web
