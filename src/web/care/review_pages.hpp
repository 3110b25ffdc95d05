// src/web/care/review_pages.hpp — the doctors' side of home-test applications (/t/{tenant}/care):
// the queue (readable photos with a T line first, then the longest waiting), the review page
// (claimed under a lease, so two doctors never review one application; the kit photo with zoom
// and rotate, the pre-read as a hint, the answers and risk factors; keys 1–4 for the decisions),
// the decision, the photos (doctors only, never cached), and the daily CSV of confirmed cases for
// the health centre's reporting. Every view and decision is audited.
#pragma once

#include "care/service.hpp"
#include "common/clock.hpp"
#include "store/care/photo_files.hpp"
#include "store/database.hpp"
#include "web/core/routes.hpp"

namespace madoguchi::web {

class CareReviewPages {
 public:
  CareReviewPages(store::Database& db, const Clock& clock, const care::CareService& care, const store::PhotoFiles& files)
      : db_(db), clock_(clock), care_(care), files_(files) {}
  static void Register(Router& router, CareReviewPages* self);

  HttpResponse QueuePage(RequestContext& ctx);
  HttpResponse TakeNext(RequestContext& ctx);
  HttpResponse ReviewPage(RequestContext& ctx);
  HttpResponse Decide(RequestContext& ctx);
  HttpResponse Release(RequestContext& ctx);
  HttpResponse Photo(RequestContext& ctx);
  HttpResponse ConfirmedCsv(RequestContext& ctx);
  HttpResponse ReviewJs(RequestContext& ctx);

 private:
  HttpResponse Queue(RequestContext& ctx, int status, const std::string& error);
  HttpResponse Review(RequestContext& ctx, int status, int64_t id, const std::string& error);

  store::Database& db_;
  const Clock& clock_;
  const care::CareService& care_;
  const store::PhotoFiles& files_;
};

}  // namespace madoguchi::web
