// HTML pages for staff. No JavaScript; every form carries a CSRF token.
#include <kainjow/mustache.hpp>

#include "common/time_format.hpp"
#include "web/internal/app_impl.hpp"
#include "web/templates.hpp"
#include "web/ui/messages.hpp"

namespace madoguchi::web {

namespace mustache = kainjow::mustache;

namespace {

std::string Render(const char* tmpl, const mustache::data& data) {
  mustache::mustache m{std::string(tmpl)};
  return m.render(data);
}

std::string Page(const std::string& title, const std::string& content, const Principal* user) {
  mustache::data d;
  d.set("title", title);
  d.set("content", content);
  if (user != nullptr) {
    mustache::data u;
    u.set("display_name", user->display_name);
    u.set("role_label", accounts::RoleLabelJa(user->role));
    u.set("csrf", user->csrf_token);
    d.set("user", u);
  }
  return Render(templates::kLayout, d);
}

// Only same-origin paths may be a login's destination. Browsers drop tabs and line breaks from a
// URL and read a backslash as a slash, so "/\t/evil.example" and "/\\evil" are other sites: the
// path must be printable ASCII without spaces or backslashes, and its second character not a slash.
std::string SafeNext(const std::optional<std::string>& next) {
  if (!next || next->empty() || next->size() > 512 || (*next)[0] != '/') return "/";
  if (next->size() > 1 && (*next)[1] == '/') return "/";
  for (char c : *next) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7F || c == '\\') return "/";
  }
  return *next;
}

}  // namespace

std::string PageShell(const std::string& title, const std::string& content_html, const Principal* user) {
  return Page(title, content_html, user);
}

HttpResponse WebApp::Impl::ErrorPage(const RequestContext* ctx, int http_status, const std::string& message) const {
  mustache::data d;
  d.set("message", message);
  const Principal* user = ctx && ctx->principal ? &*ctx->principal : nullptr;
  return HtmlResponse(http_status, Page("ご案内", Render(templates::kError, d), user));
}

HttpResponse WebApp::Impl::PageLoginForm(RequestContext& ctx) {
  if (ctx.principal) return RedirectResponse(SafeNext(ctx.request.Param("next")));
  const std::string csrf = crypto::RandomToken(24);
  mustache::data d;
  d.set("csrf", csrf);
  d.set("next", SafeNext(ctx.request.Param("next")));
  d.set("login", "");
  HttpResponse r = HtmlResponse(200, Page("ログイン", Render(templates::kLogin, d), nullptr));
  r.AddHeader("Set-Cookie", WebApp::CookieName(WebApp::kLoginCsrfCookie, settings.secure_cookies || ctx.request.tls) + "=" + csrf +
                                "; Path=/login; Max-Age=3600; HttpOnly; SameSite=Strict" +
                                (settings.secure_cookies || ctx.request.tls ? "; Secure" : ""));
  return r;
}

HttpResponse WebApp::Impl::PageLoginSubmit(RequestContext& ctx) {
  const std::string login = ctx.request.Param("login").value_or("");
  const std::string password = ctx.request.Param("password").value_or("");
  auto outcome = Login(login, password, ctx);
  if (!outcome.ok()) {
    mustache::data d;
    d.set("error", ui::ErrorText(outcome.status()));
    d.set("csrf", ctx.request.Param("csrf_token").value_or(""));
    d.set("next", SafeNext(ctx.request.Param("next")));
    d.set("login", accounts::IsValidUtf8(login) && login.size() <= 64 ? login : "");
    const int status = HttpStatusFor(outcome.status().code());
    return HtmlResponse(status, Page("ログイン", Render(templates::kLogin, d), nullptr));
  }
  HttpResponse r = RedirectResponse(SafeNext(ctx.request.Param("next")));
  r.AddHeader("Set-Cookie", SessionCookie(outcome->session_token, settings.secure_cookies || ctx.request.tls));
  return r;
}

HttpResponse WebApp::Impl::PageLogout(RequestContext& ctx) {
  Status s = Logout(ctx);
  if (!s.ok()) return ErrorPage(&ctx, HttpStatusFor(s.code()), ui::ErrorText(s));
  HttpResponse r = RedirectResponse("/login");
  r.AddHeader("Set-Cookie", ClearSessionCookie(settings.secure_cookies || ctx.request.tls));
  return r;
}

HttpResponse WebApp::Impl::PageHome(RequestContext& ctx) {
  std::vector<store::Tenant> tenants;
  Status s = store::WithConnection(db, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(tenants, store::ListTenants(conn, ctx.principal->tenants));
    return Status::Ok();
  });
  if (!s.ok()) return ErrorPage(&ctx, HttpStatusFor(s.code()), ui::ErrorText(s));
  mustache::data list{mustache::data::type::list};
  const bool is_admin = ctx.principal->role == accounts::Role::kAdmin;
  for (const auto& t : tenants) {
    mustache::data item;
    item.set("code", t.code);
    item.set("name", t.name);
    item.set("is_admin", is_admin ? mustache::data::type::bool_true : mustache::data::type::bool_false);
    item.set("can_console",
             is_admin || ctx.principal->role == accounts::Role::kSupervisor || ctx.principal->role == accounts::Role::kOperator
                 ? mustache::data::type::bool_true
                 : mustache::data::type::bool_false);
    item.set("can_list", is_admin || ctx.principal->role == accounts::Role::kCityStaff ? mustache::data::type::bool_true
                                                                                       : mustache::data::type::bool_false);
    item.set("can_plan", is_admin || ctx.principal->role == accounts::Role::kSupervisor ? mustache::data::type::bool_true
                                                                                        : mustache::data::type::bool_false);
    list.push_back(item);
  }
  mustache::data d;
  d.set("display_name", ctx.principal->display_name);
  d.set("role_label", accounts::RoleLabelJa(ctx.principal->role));
  d.set("tenants", list);
  return HtmlResponse(200, Page("ホーム", Render(templates::kHome, d), &*ctx.principal));
}

HttpResponse WebApp::Impl::PageAudit(RequestContext& ctx) {
  constexpr int kLimit = 200;
  std::vector<store::AuditEntry> entries;
  std::optional<store::Tenant> tenant;
  Status s = store::InTransaction(db, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(tenant, store::FindTenant(conn, ctx.tenant));
    MADOGUCHI_ASSIGN_OR_RETURN(entries, store::ListAudit(conn, ctx.tenant, kLimit));
    return Audit(conn, ctx, ctx.tenant, "audit.read", "tenant:" + ctx.tenant);
  });
  if (!s.ok()) return ErrorPage(&ctx, HttpStatusFor(s.code()), ui::ErrorText(s));
  mustache::data list{mustache::data::type::list};
  for (const auto& e : entries) {
    mustache::data row;
    row.set("at", FormatTokyo(e.at_ms));
    row.set("actor_login", e.actor_login);
    row.set("actor_role", e.actor_role);
    row.set("action", e.action);
    row.set("record", e.record);
    row.set("source_addr", e.source_addr);
    list.push_back(row);
  }
  mustache::data d;
  d.set("tenant", ctx.tenant);
  d.set("tenant_name", tenant ? tenant->name : ctx.tenant);
  d.set("limit", std::to_string(kLimit));
  d.set("entries", list);
  return HtmlResponse(200, Page("監査ログ", Render(templates::kAudit, d), &*ctx.principal));
}

HttpResponse WebApp::Impl::PageAuditCsv(RequestContext& ctx) {
  // Same export as the API, reached with the session cookie from the page's download link.
  HttpRequest copy = ctx.request;
  copy.params.clear();
  copy.params.emplace("format", "csv");
  copy.params.emplace("limit", "10000");
  RequestContext inner{copy, ctx.route, ctx.path_params, ctx.request_id, ctx.principal, ctx.tenant};
  HttpResponse r = ApiAudit(inner);
  if (r.status != 200) return ErrorPage(&ctx, r.status, "監査ログを出力できませんでした。");
  r.body = "\xEF\xBB\xBF" + r.body;  // BOM, so Excel opens the UTF-8 file correctly
  return r;
}

HttpResponse WebApp::Impl::StaticAsset(RequestContext&) { return CssResponse(templates::kAppCss); }

}  // namespace madoguchi::web
