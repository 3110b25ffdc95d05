// src/web/care/application_pages.hpp — the residents' pages for a home-test positive
// (/r/{tenant}/care): the eligibility screen first, then the form with the two photos, the
// receipt number, and the status page the signed link in every message opens (where a new photo
// is sent when one is asked for), and the day's health check-in a patient's daily message opens. No JavaScript; large type; every form
// carries the residents' CSRF token; the status link is signed and expires, and opens that application's page only.
#pragma once

#include <string>

#include "care/follow_up.hpp"
#include "care/service.hpp"
#include "common/clock.hpp"
#include "store/care/photo_files.hpp"
#include "store/database.hpp"
#include "web/core/routes.hpp"
#include "web/core/tenants.hpp"
#include "web/residents/resident_pages.hpp"

namespace madoguchi::web {

class CareApplicationPages {
 public:
  CareApplicationPages(store::Database& db, const Clock& clock, Tenants& tenants, ResidentPages& residents, const care::CareService& care,
                       const care::FollowUpService& follow_up, const store::PhotoFiles& files)
      : db_(db), clock_(clock), tenants_(tenants), residents_(residents), care_(care), follow_up_(follow_up), files_(files) {}
  static void Register(Router& router, CareApplicationPages* self);

  HttpResponse ScreenPage(RequestContext& ctx);
  HttpResponse CheckScreen(RequestContext& ctx);
  HttpResponse Apply(RequestContext& ctx);
  HttpResponse StatusPage(RequestContext& ctx);
  HttpResponse SendPhoto(RequestContext& ctx);
  // The patient undoes their LINE link (messages go by SMS again).
  HttpResponse UnlinkLine(RequestContext& ctx);
  // The day's health check-in (the signed link in the check-in's message).
  HttpResponse CheckInPage(RequestContext& ctx);
  HttpResponse SendCheckIn(RequestContext& ctx);

 private:
  // A page in the care layout (the footer gives the window's phone when the tenant has one).
  HttpResponse Page(const RequestContext& ctx, int status, const std::string& title, const std::string& content);
  HttpResponse Error(const RequestContext& ctx, int status, const std::string& message);
  HttpResponse Screen(RequestContext& ctx, int status, const care::Problems& problems);
  HttpResponse Form(RequestContext& ctx, int status, const care::Problems& problems, bool photos_sent);
  HttpResponse StatusView(RequestContext& ctx, int status, int64_t id, const std::string& token, const std::string& error);
  Result<care::CareSettings> Settings(const std::string& tenant);
  HttpResponse CheckInForm(RequestContext& ctx, int status, int64_t check_in_id, const std::string& token, const care::Problems& problems);
  // What the patient is to do after sending the check-in.
  HttpResponse Advice(RequestContext& ctx, const std::string& token, care::Advice advice);

  store::Database& db_;
  const Clock& clock_;
  Tenants& tenants_;
  ResidentPages& residents_;
  const care::CareService& care_;
  const care::FollowUpService& follow_up_;
  const store::PhotoFiles& files_;
};

}  // namespace madoguchi::web
