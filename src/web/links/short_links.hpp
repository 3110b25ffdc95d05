// src/web/links/short_links.hpp — /s/{code}: the short links in messages (messaging/links.hpp).
// A signed code that is stored and has not expired counts one open and sends the resident on
// to its page; anything else gets a plain page in the residents' layout saying what to do. A
// code whose tag does not match is refused before the database is asked.
#pragma once

#include <string>

#include "common/clock.hpp"
#include "store/database.hpp"
#include "web/core/routes.hpp"
#include "web/residents/resident_pages.hpp"

namespace madoguchi::web {

// The key short codes are signed with, derived from the signing secret (LoadSigningSecret's):
// the worker signs, every server checks.
std::string ShortLinkKey(const std::string& signing_secret);

class ShortLinkHandlers {
 public:
  ShortLinkHandlers(store::Database& db, const Clock& clock, const std::string& signing_secret, ResidentPages& pages)
      : db_(db), clock_(clock), key_(ShortLinkKey(signing_secret)), pages_(pages) {}
  static void Register(Router& router, ShortLinkHandlers* self);

  HttpResponse Open(RequestContext& ctx);

 private:
  store::Database& db_;
  const Clock& clock_;
  const std::string key_;
  ResidentPages& pages_;
};

}  // namespace madoguchi::web
