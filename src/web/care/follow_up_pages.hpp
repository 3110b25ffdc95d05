// src/web/care/follow_up_pages.hpp — the staff's pages for home-care patients: the operators'
// call list (most urgent first), a patient's record with every report, its classification and the
// rule that gave it, the calls logged, a form to log a call and (doctors) to extend the home care;
// the supervisors' dashboard, which stays current while open (it polls its JSON every 5 seconds),
// so a new P0 appears without a reload. Health data: the tenant's doctors, operators and
// supervisors only; every read audited; nothing cached.
#pragma once

#include "care/follow_up.hpp"
#include "common/clock.hpp"
#include "store/database.hpp"
#include "web/core/routes.hpp"

namespace madoguchi::web {

class CareFollowUpPages {
 public:
  CareFollowUpPages(store::Database& db, const Clock& clock, const care::FollowUpService& follow_up)
      : db_(db), clock_(clock), follow_up_(follow_up) {}
  static void Register(Router& router, CareFollowUpPages* self);

  HttpResponse CallsPage(RequestContext& ctx);
  HttpResponse PatientPage(RequestContext& ctx);
  HttpResponse LogCall(RequestContext& ctx);
  HttpResponse SendCheckIn(RequestContext& ctx);
  HttpResponse ReportByPhone(RequestContext& ctx);
  HttpResponse Extend(RequestContext& ctx);
  HttpResponse UnlinkLine(RequestContext& ctx);
  HttpResponse DashboardPage(RequestContext& ctx);
  HttpResponse DashboardJson(RequestContext& ctx);
  HttpResponse LiveJs(RequestContext& ctx);

 private:
  // `done`: what a post just did ("call", "check_in", "extended"), told from the record.
  // `problems`: a report taken on the phone that did not read (its form shown open, each error beside its field).
  HttpResponse Patient(RequestContext& ctx, int status, int64_t id, const std::string& error, const std::string& done,
                       const care::Problems& problems = {});

  store::Database& db_;
  const Clock& clock_;
  const care::FollowUpService& follow_up_;
};

}  // namespace madoguchi::web
