// src/web/links/short_links.cpp — see short_links.hpp.
#include "web/links/short_links.hpp"

#include <spdlog/spdlog.h>

#include "common/crypto.hpp"
#include "messaging/links.hpp"
#include "store/outbox/links.hpp"
#include "web/http/error_mapping.hpp"
#include "web/ui/messages.hpp"

namespace madoguchi::web {

std::string ShortLinkKey(const std::string& signing_secret) { return crypto::HmacSha256(signing_secret, "madoguchi short links"); }

void ShortLinkHandlers::Register(Router& router, ShortLinkHandlers* self) {
  RouteAdder add(router, self);
  add("GET", "/s/{code}", RouteKind::kPage, roles::kPublic, "a short link from a message: counts the open, on to its page (303)",
      &ShortLinkHandlers::Open);
}

HttpResponse ShortLinkHandlers::Open(RequestContext& ctx) {
  const std::string& code = ctx.path_params.at("code");
  auto refuse = [&](int status, const char* key) {
    return pages_.ResidentError(ctx, status, ui::ErrorText(NotFoundError("short link", key), ui::Reader::kResident));
  };
  if (!messaging::IsSignedShortCode(code, key_)) return refuse(404, "unknown_link");
  std::optional<store::ShortLink> link;
  bool opens = false;
  Status s = store::InTransaction(db_, [&](store::Connection& c) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(link, store::FindShortLink(c, code));
    opens = link && messaging::LinkOpens(link->expires_at_ms, clock_.NowMs());
    // A HEAD is what link previews send, not a resident's tap.
    if (opens && ctx.request.method != "HEAD") MADOGUCHI_RETURN_IF_ERROR(store::CountLinkOpen(c, code, clock_.NowMs()));
    return Status::Ok();
  });
  if (!s.ok()) {
    spdlog::error("msg=\"cannot open a short link\" rid={} error=\"{}\"", ctx.request_id, s.ToString());
    return pages_.ResidentError(ctx, HttpStatusFor(s.code()), ui::ErrorText(s, ui::Reader::kResident));
  }
  if (!link) return refuse(404, "unknown_link");
  ctx.tenant = link->tenant;  // the expired page is in the municipality's layout, with its phone
  if (!opens) return refuse(410, "link_expired");
  HttpResponse r = RedirectResponse(link->target);
  r.headers.emplace_back("Cache-Control", "no-store");  // every tap is counted, none answered from a cache
  return r;
}

}  // namespace madoguchi::web
