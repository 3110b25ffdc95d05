// JSON API handlers under /api/v1 and /healthz. Each parses its input, calls the accounts
// rules and the store in one transaction (with its audit entry), and formats the reply.
#include "web/accounts/accounts_handlers.hpp"

#include "common/crypto.hpp"
#include "common/password_dictionary.hpp"
#include "common/tenant_code.hpp"
#include "common/time_format.hpp"
#include "store/audit/audit_log.hpp"
#include "store/migrations.hpp"
#include "web/core/audit.hpp"
#include "web/http/error_mapping.hpp"
#include "web/http/json.hpp"

namespace madoguchi::web {

namespace {

json TenantJson(const store::Tenant& t) { return {{"code", t.code}, {"name", t.name}, {"created_at", FormatUtcIso(t.created_at_ms)}}; }

json UserJson(const store::User& u) {
  return {{"id", u.id},
          {"login", u.login},
          {"display_name", u.display_name},
          {"role", accounts::RoleName(u.role)},
          {"tenants", u.tenants},
          {"disabled", u.disabled},
          {"created_at", FormatUtcIso(u.created_at_ms)}};
}

json TokenJson(const store::ApiToken& t) {
  return {{"id", t.id},
          {"name", t.name},
          {"created_at", FormatUtcIso(t.created_at_ms)},
          {"revoked_at", t.revoked_at_ms ? json(FormatUtcIso(*t.revoked_at_ms)) : json(nullptr)},
          {"last_used_at", t.last_used_ms ? json(FormatUtcIso(*t.last_used_ms)) : json(nullptr)},
          {"expires_at", FormatUtcIso(t.expires_at_ms)},
          {"scope", accounts::TokenScopeName(t.scope)}};
}

}  // namespace

void AccountsHandlers::Register(Router& router, AccountsHandlers* self) {
  RouteAdder add(router, self);
  using K = RouteKind;
  using H = AccountsHandlers;
  add("GET", "/healthz", K::kApi, roles::kPublic, "liveness and database check", &H::Healthz);
  add("POST", "/api/v1/session", K::kApi, roles::kPublic, "log in: {login,password} → session cookie", &H::ApiLogin);
  add("DELETE", "/api/v1/session", K::kApi, roles::kAll, "log out", &H::ApiLogout);
  add("GET", "/api/v1/me", K::kApi, roles::kAll, "the logged-in user", &H::ApiMe);
  add("GET", "/api/v1/tenants", K::kApi, roles::kAll, "tenants of the caller", &H::ApiListTenants);
  // No route creates a municipality: that is the platform operator's, on the server (`madoguchi
  // tenant add`), so one municipality's admin cannot open another's code (issue #9, item 14).
  add("GET", "/api/v1/t/{tenant}", K::kApi, roles::kAll, "one tenant", &H::ApiGetTenant);
  add("GET", "/api/v1/t/{tenant}/users", K::kApi, roles::kPlanners, "staff of a tenant", &H::ApiListUsers);
  add("POST", "/api/v1/t/{tenant}/users", K::kApi, roles::kAdmin, "create staff {login,display_name,role,password,tenants}",
      &H::ApiCreateUser);
  add("PUT", "/api/v1/t/{tenant}/users/{id}/disabled", K::kApi, roles::kAdmin,
      "disable or enable a user of the tenant {disabled}: disabling ends their sessions and tokens at once", &H::ApiSetUserDisabled);
  add("GET", "/api/v1/tokens", K::kApi, roles::kAll, "the caller's API tokens", &H::ApiListTokens);
  add("POST", "/api/v1/tokens", K::kApi, roles::kAll, "create an API token {name}", &H::ApiCreateToken);
  add("DELETE", "/api/v1/tokens/{id}", K::kApi, roles::kAll, "revoke an API token", &H::ApiRevokeToken);
  add("GET", "/login", K::kPage, roles::kPublic, "login page", &H::PageLoginForm);
  add("POST", "/login", K::kPage, roles::kPublic, "login form", &H::PageLoginSubmit);
  add("POST", "/logout", K::kPage, roles::kAll, "logout form", &H::PageLogout);
  add("GET", "/", K::kPage, roles::kAll, "home", &H::PageHome);
  add("GET", "/t/{tenant}/staff", K::kPage, roles::kAdmin, "staff of the tenant, and a form to add someone", &H::PageStaff);
  add("POST", "/t/{tenant}/staff", K::kPage, roles::kAdmin, "add a staff member", &H::PageStaffCreate);
  add("POST", "/t/{tenant}/staff/{id}/{action}", K::kPage, roles::kAdmin,
      "change a staff member: action=role (role), tenants (tenant.CODE=1 each), disable, enable, reset (a password they replace at "
      "their next login)",
      &H::PageStaffChange);
  add("GET", "/password", K::kPage, roles::kAll, "choose a new password (after an admin set one)", &H::PagePasswordForm);
  add("POST", "/password", K::kPage, roles::kAll, "save a new password; every session ends", &H::PagePasswordSave);
  add("GET", "/static/app.css", K::kPage, roles::kPublic, "style sheet", &H::StaticAsset);
}

HttpResponse AccountsHandlers::Healthz(RequestContext&) {
  int version = 0;
  Status s = store::WithConnection(db_, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(version, store::SchemaVersion(conn));
    return Status::Ok();
  });
  if (!s.ok()) return JsonError(503, UnavailableError("database unreachable", "database_unavailable"));
  return JsonReply(200, {{"status", "ok"}, {"schema_version", version}});
}

HttpResponse AccountsHandlers::ApiLogin(RequestContext& ctx) {
  auto body = ParseJsonObject(ctx.request);
  if (!body.ok()) return JsonError(body.status());
  auto login = JsonString(*body, "login", 256);
  if (!login.ok()) return JsonError(login.status());
  auto password = JsonString(*body, "password", 1024);
  if (!password.ok()) return JsonError(password.status());
  auto outcome = sessions_.Login(*login, *password, ctx);
  if (!outcome.ok()) {
    HttpResponse r = JsonError(outcome.status());
    if (r.status == 429) {
      const auto wait = outcome.status().key() == "slowed" ? std::chrono::seconds(settings_.throttle.source_interval)
                                                           : std::chrono::seconds(settings_.throttle.window);
      r.AddHeader("Retry-After", std::to_string(wait.count()));
    }
    return r;
  }
  HttpResponse r = JsonReply(200, {{"user",
                                    {{"id", outcome->principal.user_id},
                                     {"login", outcome->principal.login},
                                     {"display_name", outcome->principal.display_name},
                                     {"role", accounts::RoleName(outcome->principal.role)},
                                     {"tenants", outcome->principal.tenants}}},
                                   {"csrf_token", outcome->principal.csrf_token}});
  r.AddHeader("Set-Cookie", sessions_.SessionCookie(outcome->session_token, settings_.secure_cookies || ctx.request.tls));
  return r;
}

HttpResponse AccountsHandlers::ApiLogout(RequestContext& ctx) {
  Status s = sessions_.Logout(ctx);
  if (!s.ok()) return JsonError(s);
  HttpResponse r = JsonReply(200, {{"status", "logged_out"}});
  r.AddHeader("Set-Cookie", sessions_.ClearSessionCookie(settings_.secure_cookies || ctx.request.tls));
  return r;
}

HttpResponse AccountsHandlers::ApiMe(RequestContext& ctx) {
  const Principal& p = *ctx.principal;
  return JsonReply(200, {{"id", p.user_id},
                         {"login", p.login},
                         {"display_name", p.display_name},
                         {"role", accounts::RoleName(p.role)},
                         {"tenants", p.tenants},
                         {"auth", p.via_api_token ? "api_token" : "session"}});
}

HttpResponse AccountsHandlers::ApiListTenants(RequestContext& ctx) {
  std::vector<store::Tenant> tenants;
  Status s = store::WithConnection(db_, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(tenants, store::ListTenants(conn, ctx.principal->tenants));
    return Status::Ok();
  });
  if (!s.ok()) return JsonError(s);
  json out = json::array();
  for (const auto& t : tenants) out.push_back(TenantJson(t));
  return JsonReply(200, {{"tenants", out}});
}

HttpResponse AccountsHandlers::ApiGetTenant(RequestContext& ctx) {
  std::optional<store::Tenant> tenant;
  Status s = store::WithConnection(db_, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(tenant, store::FindTenant(conn, ctx.tenant));
    return Status::Ok();
  });
  if (!s.ok()) return JsonError(s);
  if (!tenant) return JsonError(NotFoundError("no such tenant"));
  return JsonReply(200, TenantJson(*tenant));
}

HttpResponse AccountsHandlers::ApiListUsers(RequestContext& ctx) {
  std::vector<store::User> users;
  Status s = store::InTransaction(db_, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(users, store::ListUsers(conn, ctx.tenant));
    return Audit(clock_, conn, ctx, ctx.tenant, "user.list", "tenant:" + ctx.tenant);  // names are personal data
  });
  if (!s.ok()) return JsonError(s);
  json out = json::array();
  for (const auto& u : users) {
    json j = UserJson(u);
    // Do not reveal which other tenants a colleague serves.
    std::vector<std::string> visible;
    for (const auto& t : u.tenants) {
      if (ctx.principal->HasTenant(t)) visible.push_back(t);
    }
    j["tenants"] = visible;
    out.push_back(std::move(j));
  }
  return JsonReply(200, {{"users", out}});
}

Result<store::User> AccountsHandlers::CreateUser(const RequestContext& ctx, const json& body) {
  auto login = JsonString(body, "login", 64);
  if (!login.ok()) return login.status();
  if (Status v = accounts::ValidateLogin(*login); !v.ok()) return v;
  auto role_name = JsonString(body, "role", 32);
  if (!role_name.ok()) return role_name.status();
  auto role = accounts::ParseRole(*role_name);
  if (!role.ok()) return role.status();
  auto password = JsonString(body, "password", 256);
  if (!password.ok()) return password.status();
  if (Status v = accounts::ValidateNewPassword(*password, *login); !v.ok()) return v;
  if (Status v = crypto::CheckNotCommonPassword(*password, *login); !v.ok()) return v;
  auto display = JsonString(body, "display_name", 100, /*required=*/false);
  if (!display.ok()) return display.status();
  if (display->empty()) *display = *login;
  if (Status v = accounts::ValidateDisplayName(*display); !v.ok()) return v;

  std::vector<std::string> tenants{ctx.tenant};
  if (auto it = body.find("tenants"); it != body.end() && !it->is_null()) {
    if (!it->is_array() || it->empty() || it->size() > 100) {
      return InvalidArgumentError("tenants", "must be a non-empty array of tenant codes");
    }
    tenants.clear();
    for (const auto& t : *it) {
      if (!t.is_string()) return InvalidArgumentError("tenants", "must contain strings");
      const std::string code = t.get<std::string>();
      if (Status v = ValidateTenantCode(code, "tenants"); !v.ok()) return v;
      if (!ctx.principal->HasTenant(code)) {
        return PermissionDeniedError("you can only grant tenants you are bound to", "foreign_tenant");
      }
      if (std::find(tenants.begin(), tenants.end(), code) == tenants.end()) tenants.push_back(code);
    }
    if (std::find(tenants.begin(), tenants.end(), ctx.tenant) == tenants.end()) {
      return InvalidArgumentError("tenants", "must include the tenant in the path");
    }
  }

  auto hash = sessions_.HashPassword(*password);
  if (!hash.ok()) return hash.status();
  store::NewUser user{*login, *display, *role, *hash, tenants, clock_.NowMs()};
  int64_t id = 0;
  Status s = store::InTransaction(db_, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(id, store::InsertUser(conn, user));
    return Audit(clock_, conn, ctx, ctx.tenant, "user.create", "user:" + std::to_string(id));
  });
  if (!s.ok()) return s;
  store::User created{id, user.login, user.display_name, user.role, false, false, tenants, user.created_at_ms};
  return created;
}

HttpResponse AccountsHandlers::ApiCreateUser(RequestContext& ctx) {
  auto body = ParseJsonObject(ctx.request);
  if (!body.ok()) return JsonError(body.status());
  auto created = CreateUser(ctx, *body);
  if (!created.ok()) return JsonError(created.status());
  return JsonReply(201, UserJson(*created));
}

HttpResponse AccountsHandlers::ApiListTokens(RequestContext& ctx) {
  std::vector<store::ApiToken> tokens;
  Status s = store::WithConnection(db_, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(tokens, store::ListApiTokens(conn, ctx.principal->user_id));
    return Status::Ok();
  });
  if (!s.ok()) return JsonError(s);
  json out = json::array();
  for (const auto& t : tokens) out.push_back(TokenJson(t));
  return JsonReply(200, {{"tokens", out}});
}

HttpResponse AccountsHandlers::ApiCreateToken(RequestContext& ctx) {
  // A token cannot make tokens: a leaked one must not outlive its own expiry or revocation.
  if (ctx.principal->via_api_token) {
    return JsonError(PermissionDeniedError("API tokens are made after logging in, not with a token", "token_cannot_mint"));
  }
  auto body = ParseJsonObject(ctx.request);
  if (!body.ok()) return JsonError(body.status());
  auto name = JsonString(*body, "name", 100);
  if (!name.ok()) return JsonError(name.status());
  if (Status v = accounts::ValidateDisplayName(*name, "name"); !v.ok()) return JsonError(v);
  std::optional<int64_t> days;
  if (auto it = body->find("expires_in_days"); it != body->end() && !it->is_null()) {
    if (!it->is_number_integer()) return JsonError(InvalidArgumentError("expires_in_days", "must be a whole number of days"));
    days = it->get<int64_t>();
  }
  auto scope_name = JsonString(*body, "scope", 16, /*required=*/false);
  if (!scope_name.ok()) return JsonError(scope_name.status());
  auto scope = accounts::ParseTokenScope(scope_name->empty() ? "full" : *scope_name);
  if (!scope.ok()) return JsonError(scope.status());
  const int64_t now = clock_.NowMs();
  auto expires = accounts::TokenExpiresAtMs(accounts::TokenPolicy{}, now, days);
  if (!expires.ok()) return JsonError(expires.status());
  const std::string token = "mdg_" + crypto::RandomToken(32);
  int64_t id = 0;
  Status s = store::InTransaction(db_, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(id,
                               store::InsertApiToken(conn, ctx.principal->user_id, *name, crypto::Sha256Hex(token), now, *expires, *scope));
    return Audit(clock_, conn, ctx, std::nullopt, "api_token.create", "api_token:" + std::to_string(id));
  });
  if (!s.ok()) return JsonError(s);
  return JsonReply(201, {{"id", id},
                         {"name", *name},
                         {"token", token},
                         {"expires_at", FormatUtcIso(*expires)},
                         {"scope", accounts::TokenScopeName(*scope)},
                         {"note", "shown once; send it as 'Authorization: Bearer <token>'"}});
}

HttpResponse AccountsHandlers::ApiSetUserDisabled(RequestContext& ctx) {
  const auto id = ParseId(ctx.path_params["id"]);
  if (!id) return JsonError(InvalidArgumentError("id", "must be a user id"));
  auto body = ParseJsonObject(ctx.request);
  if (!body.ok()) return JsonError(body.status());
  auto it = body->find("disabled");
  if (it == body->end() || !it->is_boolean()) return JsonError(InvalidArgumentError("disabled", "must be true or false"));
  const bool disabled = it->get<bool>();
  Status s = store::InTransaction(db_, [&](store::Connection& conn) -> Status {
    MADOGUCHI_RETURN_IF_ERROR(StaffMember(conn, ctx, *id).status());
    MADOGUCHI_RETURN_IF_ERROR(store::SetUserDisabled(conn, *id, disabled, clock_.NowMs()));
    return Audit(clock_, conn, ctx, ctx.tenant, disabled ? "user.disable" : "user.enable", "user:" + std::to_string(*id));
  });
  if (!s.ok()) return JsonError(s);
  return JsonReply(200, {{"id", *id}, {"disabled", disabled}});
}

Result<store::User> AccountsHandlers::StaffMember(store::Connection& conn, const RequestContext& ctx, int64_t id) {
  MADOGUCHI_ASSIGN_OR_RETURN(auto user, store::FindUserById(conn, id));
  MADOGUCHI_RETURN_IF_ERROR(accounts::MayManage(ctx.principal->user_id, ctx.principal->tenants, id,
                                                user ? user->tenants : std::vector<std::string>{}, ctx.tenant));
  return *user;
}

HttpResponse AccountsHandlers::ApiRevokeToken(RequestContext& ctx) {
  const std::string& raw = ctx.path_params["id"];
  if (raw.empty() || raw.size() > 18 || raw.find_first_not_of("0123456789") != std::string::npos) {
    return JsonError(InvalidArgumentError("id", "must be a token id"));
  }
  const int64_t id = std::stoll(raw);
  bool revoked = false;
  Status s = store::InTransaction(db_, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(revoked, store::RevokeApiToken(conn, ctx.principal->user_id, id, clock_.NowMs()));
    if (!revoked) return Status::Ok();
    return Audit(clock_, conn, ctx, std::nullopt, "api_token.revoke", "api_token:" + std::to_string(id));
  });
  if (!s.ok()) return JsonError(s);
  if (!revoked) return JsonError(NotFoundError("no such active token of yours"));
  return JsonReply(200, {{"status", "revoked"}, {"id", id}});
}

}  // namespace madoguchi::web
