// src/web/booking/setup.hpp — setting up booking: who may book (page and API), what residents are
// told (the window's phone and hours, what to bring), the target list
// (CSV upload, all rows or none, with a row report), and venues with their slots.
#pragma once

#include <string>
#include <vector>

#include "booking/service.hpp"
#include "common/clock.hpp"
#include "store/batch_writer.hpp"
#include "store/database.hpp"
#include "web/core/routes.hpp"
#include "web/core/tenants.hpp"

namespace madoguchi::web {

class BookingSetupHandlers {
 public:
  BookingSetupHandlers(store::Database& db, const Clock& clock, store::BatchWriter& writer, const booking::BookingService& booking,
                       Tenants& tenants)
      : db_(db), clock_(clock), writer_(writer), booking_(booking), tenants_(tenants) {}
  static void Register(Router& router, BookingSetupHandlers* self);

  HttpResponse PageRules(RequestContext& ctx);
  HttpResponse PageRulesSave(RequestContext& ctx);
  HttpResponse ApiPutBookingRules(RequestContext& ctx);
  HttpResponse PageGuidance(RequestContext& ctx);
  HttpResponse PageGuidanceSave(RequestContext& ctx);
  HttpResponse PageResidents(RequestContext& ctx);
  HttpResponse PageResidentsImport(RequestContext& ctx);
  HttpResponse PageVenues(RequestContext& ctx);
  HttpResponse PageVenueCreate(RequestContext& ctx);
  HttpResponse PageSlotsCreate(RequestContext& ctx);
  HttpResponse PageVenue(RequestContext& ctx);
  HttpResponse PageVenueSave(RequestContext& ctx);
  HttpResponse PageVenueDay(RequestContext& ctx);
  HttpResponse PageSlotChange(RequestContext& ctx);

 private:
  // Validates, stores and audits the tenant's rules. Errors: ValidateRules's, the database's.
  Status SaveRules(const RequestContext& ctx, const booking::Rules& rules);
  // `show_typed`: the form as the request typed it (a refusal), else the stored rules.
  HttpResponse RulesPage(RequestContext& ctx, int status, const std::string& done, const std::string& error, bool show_typed = false,
                         const std::optional<booking::RulesReach>& preview = std::nullopt);
  // Whom `rules` (nullopt: the rules in force) let book on the tenant's list. Errors: RulesOf's, ReachOf's.
  Result<booking::RulesReach> ReachOfRules(const RequestContext& ctx, const std::optional<booking::Rules>& rules);
  // The form as typed with why `refused` (not OK) refused it.
  HttpResponse RefusedRules(RequestContext& ctx, Status refused);
  // `error` non-empty: the form as the request typed it, with the error.
  HttpResponse GuidancePage(RequestContext& ctx, int status, const std::string& done, const std::string& error);
  HttpResponse ResidentsImportPage(RequestContext& ctx, int status, const std::string& done,
                                   const std::vector<booking::RowProblem>& problems);
  // `keep_typed`: the series form as the request typed it (a refusal).
  HttpResponse VenuesPage(RequestContext& ctx, int status, const std::string& done, const std::string& error, bool keep_typed = false);
  // One venue's page: what was done or refused, the residents to call after a day was closed;
  // `keep_typed`: the forms as the request typed them (a refusal).
  struct VenuePageView {
    std::string done, error;
    std::vector<booking::BookingToContact> to_contact;
    bool keep_typed = false;
  };
  HttpResponse VenuePage(RequestContext& ctx, int64_t venue_id, int status, const VenuePageView& view);

  store::Database& db_;
  const Clock& clock_;
  store::BatchWriter& writer_;
  const booking::BookingService& booking_;
  Tenants& tenants_;
};

}  // namespace madoguchi::web
