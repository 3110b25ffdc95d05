// Staff authentication: password login with throttling, cookie sessions (random token, only
// its SHA-256 stored), API bearer tokens, CSRF checks for HTML forms, and the audit helper.
#include "common/tenant_code.hpp"
#include "web/internal/app_impl.hpp"

namespace madoguchi::web {
namespace {

constexpr std::string_view kBearer = "Bearer ";

Principal FromUser(const store::User& u) {
  Principal p;
  p.user_id = u.id;
  p.login = u.login;
  p.display_name = u.display_name;
  p.role = u.role;
  p.tenants = u.tenants;
  return p;
}

}  // namespace

Result<std::optional<Principal>> WebApp::Impl::Authenticate(const HttpRequest& request) {
  const int64_t now = clock.NowMs();
  const std::string authorization = request.Header("Authorization");
  if (!authorization.empty()) {
    if (!authorization.starts_with(kBearer)) {
      return UnauthenticatedError("Authorization must be 'Bearer <API token>'", "bad_token");
    }
    const std::string hash = crypto::Sha256Hex(authorization.substr(kBearer.size()));
    std::optional<Principal> principal;
    Status s = store::WithConnection(db, [&](store::Connection& conn) -> Status {
      MADOGUCHI_ASSIGN_OR_RETURN(auto token, store::FindActiveApiToken(conn, hash));
      if (!token) return Status::Ok();
      MADOGUCHI_ASSIGN_OR_RETURN(auto user, store::FindUserById(conn, token->user_id));
      if (!user || user->disabled) return Status::Ok();
      principal = FromUser(*user);
      principal->via_api_token = true;
      if (!token->last_used_ms || now - *token->last_used_ms > 60'000) {
        MADOGUCHI_RETURN_IF_ERROR(store::MarkApiTokenUsed(conn, token->id, now));
      }
      return Status::Ok();
    });
    if (!s.ok()) return s;
    if (!principal) return UnauthenticatedError("the API token is unknown or revoked", "bad_token");
    return principal;
  }

  const std::string cookie = request.Cookie(WebApp::kSessionCookie);
  if (cookie.empty()) return std::optional<Principal>();
  const std::string hash = crypto::Sha256Hex(cookie);
  std::optional<Principal> principal;
  Status s = store::WithConnection(db, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(auto session, store::FindSession(conn, hash));
    if (!session) return Status::Ok();
    if (session->expires_at_ms <= now) return store::DeleteSession(conn, hash);
    MADOGUCHI_ASSIGN_OR_RETURN(auto user, store::FindUserById(conn, session->user_id));
    if (!user || user->disabled) return Status::Ok();
    principal = FromUser(*user);
    principal->session_token_hash = hash;
    principal->csrf_token = session->csrf_token;
    // Sliding idle expiry, written at most once per touch interval to spare the database.
    if (now - session->last_seen_ms >= std::chrono::milliseconds(settings.session.touch_interval).count()) {
      const int64_t expires = accounts::SessionExpiresAtMs(settings.session, session->created_at_ms, now);
      MADOGUCHI_RETURN_IF_ERROR(store::TouchSession(conn, hash, now, expires));
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  // An unknown or expired cookie is treated as no login: pages send the person to /login.
  return principal;
}

Result<LoginOutcome> WebApp::Impl::Login(const std::string& login, const std::string& password,
                                         const RequestContext& ctx) {
  if (login.empty()) return InvalidArgumentError("login", "must not be empty");
  if (password.empty()) return InvalidArgumentError("password", "must not be empty");
  if (login.size() > 64 || password.size() > 256) {
    return UnauthenticatedError("wrong login or password", "bad_credentials");
  }
  const int64_t now = clock.NowMs();
  const int64_t window_start = now - std::chrono::milliseconds(settings.throttle.window).count();
  const std::string& addr = ctx.ClientAddress();

  std::optional<std::pair<store::User, std::string>> found;
  Status s = store::WithConnection(db, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(auto counts, store::CountLoginFailures(conn, login, addr, window_start));
    if (accounts::ThrottleReason(settings.throttle, counts.by_login, counts.by_address)) {
      return ResourceExhaustedError("too many failed logins; wait 15 minutes", "throttled");
    }
    MADOGUCHI_ASSIGN_OR_RETURN(found, store::FindUserByLogin(conn, login));
    return Status::Ok();
  });
  if (!s.ok()) return s;

  bool verified;
  {
    // Argon2id holds 64 MiB per run: bound how many run at once.
    hash_slots.acquire();
    verified = crypto::VerifyPassword(found ? found->second : dummy_hash, password);
    hash_slots.release();
  }
  if (!found || !verified || found->first.disabled) {
    Status recorded = store::InTransaction(db, [&](store::Connection& conn) -> Status {
      MADOGUCHI_RETURN_IF_ERROR(store::RecordLoginFailure(conn, login, addr, now));
      store::AuditEntry e{0, now, found ? std::optional<int64_t>(found->first.id) : std::nullopt,
                          "anonymous", "anonymous", std::nullopt, "session.login_failed",
                          found ? "user:" + std::to_string(found->first.id) : "unknown_login", addr, ctx.request_id};
      return store::AppendAudit(conn, e);
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
                               accounts::SessionExpiresAtMs(settings.session, now, now),
                               addr};
  s = store::InTransaction(db, [&](store::Connection& conn) -> Status {
    MADOGUCHI_RETURN_IF_ERROR(store::InsertSession(conn, session));
    MADOGUCHI_RETURN_IF_ERROR(store::ClearLoginFailures(conn, login, window_start));
    store::AuditEntry e{0, now, out.principal.user_id, out.principal.login, accounts::RoleName(out.principal.role),
                        std::nullopt, "session.login", "user:" + std::to_string(out.principal.user_id), addr,
                        ctx.request_id};
    return store::AppendAudit(conn, e);
  });
  if (!s.ok()) return s;
  return out;
}

Status WebApp::Impl::Logout(const RequestContext& ctx) {
  if (!ctx.principal || ctx.principal->session_token_hash.empty()) {
    return FailedPreconditionError("API tokens are revoked with DELETE /api/v1/tokens/{id}", "not_a_session");
  }
  return store::InTransaction(db, [&](store::Connection& conn) -> Status {
    MADOGUCHI_RETURN_IF_ERROR(store::DeleteSession(conn, ctx.principal->session_token_hash));
    return Audit(conn, ctx, std::nullopt, "session.logout", "user:" + std::to_string(ctx.principal->user_id));
  });
}

std::string WebApp::Impl::SessionCookie(const std::string& token, bool secure) const {
  const auto max_age = std::chrono::seconds(settings.session.absolute_timeout).count();
  return std::string(WebApp::kSessionCookie) + "=" + token + "; Path=/; Max-Age=" + std::to_string(max_age) +
         "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
}

std::string WebApp::Impl::ClearSessionCookie(bool secure) const {
  return std::string(WebApp::kSessionCookie) + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" +
         (secure ? "; Secure" : "");
}

bool WebApp::Impl::CsrfOk(const RequestContext& ctx) const {
  const std::string sent = ctx.request.Param("csrf_token").value_or("");
  if (sent.empty()) return false;
  if (ctx.principal && !ctx.principal->csrf_token.empty() && crypto::ConstantTimeEquals(sent, ctx.principal->csrf_token)) {
    return true;
  }
  // Before login: double-submit cookie set by GET /login; residents' pages set their own.
  for (const char* name : {WebApp::kLoginCsrfCookie, WebApp::kResidentCsrfCookie}) {
    const std::string cookie = ctx.request.Cookie(name);
    if (!cookie.empty() && crypto::ConstantTimeEquals(sent, cookie)) return true;
  }
  return false;
}

Status WebApp::Impl::Audit(store::Connection& conn, const RequestContext& ctx, std::optional<std::string> tenant,
                           std::string action, std::string record) {
  store::AuditEntry e;
  e.at_ms = clock.NowMs();
  if (ctx.principal) {
    e.actor_user_id = ctx.principal->user_id;
    e.actor_login = ctx.principal->login;
    e.actor_role = accounts::RoleName(ctx.principal->role);
  } else {
    e.actor_login = "anonymous";
    e.actor_role = "anonymous";
  }
  e.tenant_code = std::move(tenant);
  e.action = std::move(action);
  e.record = std::move(record);
  e.source_addr = ctx.ClientAddress();
  e.request_id = ctx.request_id;
  return store::AppendAudit(conn, e);
}

}  // namespace madoguchi::web
