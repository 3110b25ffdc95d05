// src/web/ui/pages.hpp — the staff pages' layout, and the one answer to a request that failed:
// a JSON error for the API, a Japanese page (ui/messages) for people.
#pragma once

#include <kainjow/mustache.hpp>

#include <string>

#include "common/status.hpp"
#include "web/core/context.hpp"

namespace madoguchi::web {

// A template (ui/templates.hpp, or a page's own) filled with `data`; Mustache escapes every {{value}}.
std::string Render(const char* tmpl, const kainjow::mustache::data& data);

// The site layout around a page's content (the signed-in user's name and the logout form when
// `user` is not null).
std::string PageShell(const std::string& title, const std::string& content_html, const Principal* user);

// A page saying `message` with `http_status` (ctx null: before a route matched).
HttpResponse ErrorPage(const RequestContext* ctx, int http_status, const std::string& message);

// `status` as the route's kind answers it: JsonError for the API, ErrorPage with the staff's
// wording from the catalogue for pages. REQUIRES: !status.ok().
HttpResponse Fail(const RequestContext& ctx, const Status& status);

}  // namespace madoguchi::web
