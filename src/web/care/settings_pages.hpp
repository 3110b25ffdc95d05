// src/web/care/settings_pages.hpp — the tenant's home-care settings as a page for its supervisors
// and doctors (the same settings as `madoguchi care settings`): when the daily check-in goes out
// and when an unanswered one is reminded and put on the call list, how long home care lasts and
// the photos are kept, what residents turned away are told about clinics, who may register online
// (the eligibility screen's rules and the kit list), and the triage rule set (its file format,
// docs/care.md). A refused form names the field and saves nothing; a save is
// audited.
#pragma once

#include "common/clock.hpp"
#include "store/database.hpp"
#include "web/core/routes.hpp"

namespace madoguchi::web {

class CareSettingsPages {
 public:
  CareSettingsPages(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}
  static void Register(Router& router, CareSettingsPages* self);

  HttpResponse Page(RequestContext& ctx);
  HttpResponse Save(RequestContext& ctx);

 private:
  // `error`: a refused form (shown as typed, the field marked); `done`: what was saved.
  HttpResponse Render(RequestContext& ctx, int status, const std::string& done, const Status& error);

  store::Database& db_;
  const Clock& clock_;
};

}  // namespace madoguchi::web
