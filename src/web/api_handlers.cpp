// JSON API handlers under /api/v1 and /healthz. Each parses its input, calls the accounts
// rules and the store in one transaction (with its audit entry), and formats the reply.
#include "common/csv.hpp"
#include "common/password_dictionary.hpp"
#include "common/tenant_code.hpp"
#include "common/time_format.hpp"
#include "store/migrations.hpp"
#include "web/internal/app_impl.hpp"

namespace madoguchi::web {

HttpResponse JsonReply(int status, const json& body) {
  HttpResponse r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return r;
}

Result<json> ParseJsonObject(const HttpRequest& request) {
  if (!request.Header("Content-Type").starts_with("application/json")) {
    return MalformedError("Content-Type", "send Content-Type: application/json", "unsupported_media_type");
  }
  json body = json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) {
    return MalformedError("body", "the body is not valid JSON (or not valid UTF-8)", "bad_json");
  }
  if (!body.is_object()) return MalformedError("body", "the body must be a JSON object", "bad_json");
  return body;
}

std::optional<int64_t> ParseId(const std::string& s) {
  if (s.empty() || s.size() > 18 || s.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  const int64_t v = std::stoll(s);
  if (v <= 0) return std::nullopt;
  return v;
}

HttpResponse CssResponse(const char* css) {
  HttpResponse r;
  r.content_type = "text/css; charset=utf-8";
  r.body = css;
  r.AddHeader("Cache-Control", "public, max-age=3600");
  return r;
}

HttpRequest AsJsonRequest(const HttpRequest& request, std::string body) {
  HttpRequest copy = request;
  copy.body = std::move(body);
  for (auto it = copy.headers.begin(); it != copy.headers.end();) {
    std::string name = it->first;
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    it = name == "content-type" ? copy.headers.erase(it) : std::next(it);
  }
  copy.headers.emplace("Content-Type", "application/json");
  return copy;
}

Result<std::string> JsonString(const json& body, const char* field, size_t max_bytes, bool required) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) {
    if (!required) return std::string();
    return InvalidArgumentError(field, "is required");
  }
  if (!it->is_string()) return InvalidArgumentError(field, "must be a string");
  std::string value = it->get<std::string>();
  if (value.size() > max_bytes) {
    return InvalidArgumentError(field, "must be at most " + std::to_string(max_bytes) + " bytes");
  }
  if (!accounts::IsValidUtf8(value)) return InvalidArgumentError(field, "must be valid UTF-8");
  return value;
}

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

json AuditJson(const store::AuditEntry& e) {
  return {{"id", e.id},
          {"at", FormatUtcIso(e.at_ms)},
          {"actor_user_id", e.actor_user_id ? json(*e.actor_user_id) : json(nullptr)},
          {"actor_login", e.actor_login},
          {"actor_role", e.actor_role},
          {"tenant", e.tenant_code ? json(*e.tenant_code) : json(nullptr)},
          {"action", e.action},
          {"record", e.record},
          {"source_addr", e.source_addr},
          {"request_id", e.request_id}};
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

// Parses a non-negative integer query parameter within [0, max].
Result<int64_t> IntParam(const HttpRequest& req, const char* name, int64_t fallback, int64_t max) {
  auto v = req.Param(name);
  if (!v) return fallback;
  if (v->empty() || v->size() > 18 || v->find_first_not_of("0123456789") != std::string::npos) {
    return InvalidArgumentError(name, "must be a non-negative integer");
  }
  const int64_t n = std::stoll(*v);
  if (n > max) return InvalidArgumentError(name, "must be at most " + std::to_string(max));
  return n;
}

}  // namespace

HttpResponse WebApp::Impl::Healthz(RequestContext&) {
  int version = 0;
  Status s = store::WithConnection(db, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(version, store::SchemaVersion(conn));
    return Status::Ok();
  });
  if (!s.ok()) return JsonError(503, UnavailableError("database unreachable", "database_unavailable"));
  return JsonReply(200, {{"status", "ok"}, {"schema_version", version}});
}

HttpResponse WebApp::Impl::ApiLogin(RequestContext& ctx) {
  auto body = ParseJsonObject(ctx.request);
  if (!body.ok()) return JsonError(body.status());
  auto login = JsonString(*body, "login", 256);
  if (!login.ok()) return JsonError(login.status());
  auto password = JsonString(*body, "password", 1024);
  if (!password.ok()) return JsonError(password.status());
  auto outcome = Login(*login, *password, ctx);
  if (!outcome.ok()) {
    HttpResponse r = JsonError(outcome.status());
    if (r.status == 429) {
      const auto wait = outcome.status().key() == "slowed" ? std::chrono::seconds(settings.throttle.source_interval)
                                                           : std::chrono::seconds(settings.throttle.window);
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
  r.AddHeader("Set-Cookie", SessionCookie(outcome->session_token, settings.secure_cookies || ctx.request.tls));
  return r;
}

HttpResponse WebApp::Impl::ApiLogout(RequestContext& ctx) {
  Status s = Logout(ctx);
  if (!s.ok()) return JsonError(s);
  HttpResponse r = JsonReply(200, {{"status", "logged_out"}});
  r.AddHeader("Set-Cookie", ClearSessionCookie(settings.secure_cookies || ctx.request.tls));
  return r;
}

HttpResponse WebApp::Impl::ApiMe(RequestContext& ctx) {
  const Principal& p = *ctx.principal;
  return JsonReply(200, {{"id", p.user_id},
                         {"login", p.login},
                         {"display_name", p.display_name},
                         {"role", accounts::RoleName(p.role)},
                         {"tenants", p.tenants},
                         {"auth", p.via_api_token ? "api_token" : "session"}});
}

HttpResponse WebApp::Impl::ApiListTenants(RequestContext& ctx) {
  std::vector<store::Tenant> tenants;
  Status s = store::WithConnection(db, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(tenants, store::ListTenants(conn, ctx.principal->tenants));
    return Status::Ok();
  });
  if (!s.ok()) return JsonError(s);
  json out = json::array();
  for (const auto& t : tenants) out.push_back(TenantJson(t));
  return JsonReply(200, {{"tenants", out}});
}

HttpResponse WebApp::Impl::ApiGetTenant(RequestContext& ctx) {
  std::optional<store::Tenant> tenant;
  Status s = store::WithConnection(db, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(tenant, store::FindTenant(conn, ctx.tenant));
    return Status::Ok();
  });
  if (!s.ok()) return JsonError(s);
  if (!tenant) return JsonError(NotFoundError("no such tenant"));
  return JsonReply(200, TenantJson(*tenant));
}

HttpResponse WebApp::Impl::ApiListUsers(RequestContext& ctx) {
  std::vector<store::User> users;
  Status s = store::InTransaction(db, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(users, store::ListUsers(conn, ctx.tenant));
    return Audit(conn, ctx, ctx.tenant, "user.list", "tenant:" + ctx.tenant);  // names are personal data
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

Result<store::User> WebApp::Impl::CreateUser(const RequestContext& ctx, const json& body) {
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

  auto hash = [&] {
    hash_slots.acquire();
    auto h = crypto::HashPassword(*password, settings.password_cost);
    hash_slots.release();
    return h;
  }();
  if (!hash.ok()) return hash.status();
  store::NewUser user{*login, *display, *role, *hash, tenants, clock.NowMs()};
  int64_t id = 0;
  Status s = store::InTransaction(db, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(id, store::InsertUser(conn, user));
    return Audit(conn, ctx, ctx.tenant, "user.create", "user:" + std::to_string(id));
  });
  if (!s.ok()) return s;
  store::User created{id, user.login, user.display_name, user.role, false, tenants, user.created_at_ms};
  return created;
}

HttpResponse WebApp::Impl::ApiCreateUser(RequestContext& ctx) {
  auto body = ParseJsonObject(ctx.request);
  if (!body.ok()) return JsonError(body.status());
  auto created = CreateUser(ctx, *body);
  if (!created.ok()) return JsonError(created.status());
  return JsonReply(201, UserJson(*created));
}

HttpResponse WebApp::Impl::ApiAudit(RequestContext& ctx) {
  auto limit = IntParam(ctx.request, "limit", 100, 10'000);
  if (!limit.ok()) return JsonError(limit.status());
  auto before = IntParam(ctx.request, "before", 0, INT64_MAX / 2);
  if (!before.ok()) return JsonError(before.status());
  const std::string format = ctx.request.Param("format").value_or("json");
  if (format != "json" && format != "csv") return JsonError(InvalidArgumentError("format", "use json or csv"));
  std::vector<store::AuditEntry> entries;
  Status s = store::InTransaction(db, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(entries, store::ListAudit(conn, ctx.tenant, static_cast<int>(*limit), *before));
    return Audit(conn, ctx, ctx.tenant, format == "csv" ? "audit.export" : "audit.read", "tenant:" + ctx.tenant);
  });
  if (!s.ok()) return JsonError(s);
  if (format == "csv") {
    HttpResponse r;
    r.content_type = "text/csv; charset=utf-8";
    r.body = "id,at_utc,actor_user_id,actor_login,actor_role,tenant,action,record,source_addr,request_id\r\n";
    for (const auto& e : entries) {
      r.body += std::to_string(e.id) + "," + FormatUtcIso(e.at_ms) + "," + (e.actor_user_id ? std::to_string(*e.actor_user_id) : "") + "," +
                csv::Cell(e.actor_login) + "," + csv::Cell(e.actor_role) + "," + csv::Cell(e.tenant_code.value_or("")) + "," +
                csv::Cell(e.action) + "," + csv::Cell(e.record) + "," + csv::Cell(e.source_addr) + "," + csv::Cell(e.request_id) + "\r\n";
    }
    r.AddHeader("Content-Disposition", "attachment; filename=\"audit-" + ctx.tenant + ".csv\"");
    return r;
  }
  json out = json::array();
  for (const auto& e : entries) out.push_back(AuditJson(e));
  return JsonReply(200, {{"entries", out}});
}

HttpResponse WebApp::Impl::ApiListTokens(RequestContext& ctx) {
  std::vector<store::ApiToken> tokens;
  Status s = store::WithConnection(db, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(tokens, store::ListApiTokens(conn, ctx.principal->user_id));
    return Status::Ok();
  });
  if (!s.ok()) return JsonError(s);
  json out = json::array();
  for (const auto& t : tokens) out.push_back(TokenJson(t));
  return JsonReply(200, {{"tokens", out}});
}

HttpResponse WebApp::Impl::ApiCreateToken(RequestContext& ctx) {
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
  const int64_t now = clock.NowMs();
  auto expires = accounts::TokenExpiresAtMs(accounts::TokenPolicy{}, now, days);
  if (!expires.ok()) return JsonError(expires.status());
  const std::string token = "mdg_" + crypto::RandomToken(32);
  int64_t id = 0;
  Status s = store::InTransaction(db, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(id,
                               store::InsertApiToken(conn, ctx.principal->user_id, *name, crypto::Sha256Hex(token), now, *expires, *scope));
    return Audit(conn, ctx, std::nullopt, "api_token.create", "api_token:" + std::to_string(id));
  });
  if (!s.ok()) return JsonError(s);
  return JsonReply(201, {{"id", id},
                         {"name", *name},
                         {"token", token},
                         {"expires_at", FormatUtcIso(*expires)},
                         {"scope", accounts::TokenScopeName(*scope)},
                         {"note", "shown once; send it as 'Authorization: Bearer <token>'"}});
}

HttpResponse WebApp::Impl::ApiSetUserDisabled(RequestContext& ctx) {
  const auto id = ParseId(ctx.path_params["id"]);
  if (!id) return JsonError(InvalidArgumentError("id", "must be a user id"));
  auto body = ParseJsonObject(ctx.request);
  if (!body.ok()) return JsonError(body.status());
  auto it = body->find("disabled");
  if (it == body->end() || !it->is_boolean()) return JsonError(InvalidArgumentError("disabled", "must be true or false"));
  const bool disabled = it->get<bool>();
  if (*id == ctx.principal->user_id) {
    return JsonError(FailedPreconditionError("you cannot disable yourself", "self"));
  }
  Status s = store::InTransaction(db, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(auto user, store::FindUserById(conn, *id));
    // Only someone bound to this tenant, and never a user of tenants the admin does not share.
    if (!user || std::find(user->tenants.begin(), user->tenants.end(), ctx.tenant) == user->tenants.end()) {
      return NotFoundError("no such user in this municipality", "unknown_user");
    }
    for (const auto& t : user->tenants) {
      if (!ctx.principal->HasTenant(t)) {
        return PermissionDeniedError("this user also works for a municipality you are not bound to", "foreign_tenant");
      }
    }
    MADOGUCHI_RETURN_IF_ERROR(store::SetUserDisabled(conn, *id, disabled, clock.NowMs()));
    return Audit(conn, ctx, ctx.tenant, disabled ? "user.disable" : "user.enable", "user:" + std::to_string(*id));
  });
  if (!s.ok()) return JsonError(s);
  return JsonReply(200, {{"id", *id}, {"disabled", disabled}});
}

HttpResponse WebApp::Impl::ApiRevokeToken(RequestContext& ctx) {
  const std::string& raw = ctx.path_params["id"];
  if (raw.empty() || raw.size() > 18 || raw.find_first_not_of("0123456789") != std::string::npos) {
    return JsonError(InvalidArgumentError("id", "must be a token id"));
  }
  const int64_t id = std::stoll(raw);
  bool revoked = false;
  Status s = store::InTransaction(db, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(revoked, store::RevokeApiToken(conn, ctx.principal->user_id, id, clock.NowMs()));
    if (!revoked) return Status::Ok();
    return Audit(conn, ctx, std::nullopt, "api_token.revoke", "api_token:" + std::to_string(id));
  });
  if (!s.ok()) return JsonError(s);
  if (!revoked) return JsonError(NotFoundError("no such active token of yours"));
  return JsonReply(200, {{"status", "revoked"}, {"id", id}});
}

}  // namespace madoguchi::web
