// HTML pages for staff. No JavaScript; every form carries a CSRF token.
#include <kainjow/mustache.hpp>

#include "common/time_format.hpp"
#include "store/accounts/accounts.hpp"
#include "web/accounts/accounts_handlers.hpp"
#include "web/http/error_mapping.hpp"
#include "web/http/json.hpp"
#include "web/ui/messages.hpp"
#include "web/ui/pages.hpp"
#include "web/ui/templates.hpp"

namespace madoguchi::web {

namespace mustache = kainjow::mustache;

namespace {

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

HttpResponse AccountsHandlers::PageLoginForm(RequestContext& ctx) {
  if (ctx.principal) return RedirectResponse(SafeNext(ctx.request.Param("next")));
  const std::string csrf = crypto::RandomToken(24);
  mustache::data d;
  d.set("csrf", csrf);
  d.set("next", SafeNext(ctx.request.Param("next")));
  d.set("login", "");
  if (ctx.request.Param("expired")) d.set("expired", mustache::data::type::bool_true);
  if (ctx.request.Param("changed")) d.set("changed", mustache::data::type::bool_true);
  HttpResponse r = HtmlResponse(200, PageShell("ログイン", Render(templates::kLogin, d), nullptr));
  r.AddHeader("Set-Cookie", cookies::Name(cookies::kLoginCsrf, settings_.secure_cookies || ctx.request.tls) + "=" + csrf +
                                "; Path=/login; Max-Age=3600; HttpOnly; SameSite=Strict" +
                                (settings_.secure_cookies || ctx.request.tls ? "; Secure" : ""));
  return r;
}

HttpResponse AccountsHandlers::PageLoginSubmit(RequestContext& ctx) {
  const std::string login = ctx.request.Param("login").value_or("");
  const std::string password = ctx.request.Param("password").value_or("");
  auto outcome = sessions_.Login(login, password, ctx);
  if (!outcome.ok()) {
    mustache::data d;
    d.set("error", ui::ErrorText(outcome.status()));
    d.set("csrf", ctx.request.Param("csrf_token").value_or(""));
    d.set("next", SafeNext(ctx.request.Param("next")));
    d.set("login", accounts::IsValidUtf8(login) && login.size() <= 64 ? login : "");
    const int status = HttpStatusFor(outcome.status().code());
    return HtmlResponse(status, PageShell("ログイン", Render(templates::kLogin, d), nullptr));
  }
  HttpResponse r = RedirectResponse(SafeNext(ctx.request.Param("next")));
  r.AddHeader("Set-Cookie", sessions_.SessionCookie(outcome->session_token, settings_.secure_cookies || ctx.request.tls));
  return r;
}

HttpResponse AccountsHandlers::PageLogout(RequestContext& ctx) {
  Status s = sessions_.Logout(ctx);
  if (!s.ok()) return ErrorPage(&ctx, HttpStatusFor(s.code()), ui::ErrorText(s));
  HttpResponse r = RedirectResponse("/login");
  r.AddHeader("Set-Cookie", sessions_.ClearSessionCookie(settings_.secure_cookies || ctx.request.tls));
  return r;
}

HttpResponse AccountsHandlers::PageHome(RequestContext& ctx) {
  std::vector<store::Tenant> tenants;
  Status s = store::WithConnection(db_, [&](store::Connection& conn) -> Status {
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
  return HtmlResponse(200, PageShell("ホーム", Render(templates::kHome, d), &*ctx.principal));
}

HttpResponse AccountsHandlers::StaticAsset(RequestContext&) { return CssResponse(templates::kAppCss); }

}  // namespace madoguchi::web
