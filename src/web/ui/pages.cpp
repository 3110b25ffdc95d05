#include "web/ui/pages.hpp"

#include <kainjow/mustache.hpp>

#include "web/http/error_mapping.hpp"
#include "web/ui/messages.hpp"
#include "web/ui/templates.hpp"

namespace madoguchi::web {

namespace mustache = kainjow::mustache;

std::string Render(const char* tmpl, const mustache::data& data) { return mustache::mustache{std::string(tmpl)}.render(data); }

std::string PageShell(const std::string& title, const std::string& content_html, const Principal* user) {
  mustache::data d;
  d.set("title", title);
  d.set("content", content_html);
  if (user != nullptr) {
    mustache::data u;
    u.set("display_name", user->display_name);
    u.set("role_label", accounts::RoleLabelJa(user->role));
    u.set("csrf", user->csrf_token);
    d.set("user", u);
  }
  return Render(templates::kLayout, d);
}

HttpResponse ErrorPage(const RequestContext* ctx, int http_status, const std::string& message) {
  mustache::data d;
  d.set("message", message);
  const Principal* user = ctx && ctx->principal ? &*ctx->principal : nullptr;
  return HtmlResponse(http_status, PageShell("ご案内", Render(templates::kError, d), user));
}

HttpResponse Fail(const RequestContext& ctx, const Status& status) {
  if (ctx.route.kind == RouteKind::kApi) return JsonError(status);
  return ErrorPage(&ctx, HttpStatusFor(status.code()), ui::ErrorText(status));
}

}  // namespace madoguchi::web
