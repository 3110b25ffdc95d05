// src/web/booking/booking_api.hpp — booking over the API: venues and slots (staff create, anyone
// lists), and bookings made, changed and cancelled by residents (ticket + birth date) or by staff
// on their behalf, the waitlist, the venue's states, and staff's search. Every write goes through
// the group-commit writer, so a 201 is sent only after its commit is durable; residents' bookings
// pass the waiting room first.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

#include "booking/service.hpp"
#include "common/clock.hpp"
#include "store/batch_writer.hpp"
#include "store/database.hpp"
#include "web/core/admission.hpp"
#include "web/core/resident_access.hpp"
#include "web/core/routes.hpp"
#include "web/core/tenants.hpp"

namespace madoguchi::web {

class BookingApi {
 public:
  // `secret` signs and checks waiting-room numbers (LoadSigningSecret's).
  BookingApi(store::Database& db, const Clock& clock, store::BatchWriter& writer, const booking::BookingService& booking, Tenants& tenants,
             ResidentAccess& residents, AdmissionGate& gate, const std::string& secret)
      : db_(db),
        clock_(clock),
        writer_(writer),
        booking_(booking),
        tenants_(tenants),
        residents_(residents),
        gate_(gate),
        secret_(secret) {}
  static void Register(Router& router, BookingApi* self);

  HttpResponse ApiListVenues(RequestContext& ctx);
  HttpResponse ApiCreateVenue(RequestContext& ctx);
  HttpResponse ApiListSlots(RequestContext& ctx);
  HttpResponse ApiCreateSlot(RequestContext& ctx);
  HttpResponse ApiCreateBooking(RequestContext& ctx);
  HttpResponse ApiCancelBooking(RequestContext& ctx);
  HttpResponse ApiChangeBooking(RequestContext& ctx);
  HttpResponse ApiGetBooking(RequestContext& ctx);
  HttpResponse ApiSearchResidents(RequestContext& ctx);
  HttpResponse ApiSetBookingState(RequestContext& ctx);
  HttpResponse ApiJoinWaitlist(RequestContext& ctx);

 private:
  // The resident named by the body (ticket and birth date), or — for staff of this tenant — by
  // the ticket alone.
  Result<booking::ResidentRecord> ResidentOfRequest(const RequestContext& ctx, const nlohmann::json& body);
  // The booking `code` of the resident named by the body (or any booking of the tenant, for staff).
  Result<booking::BookingRecord> BookingOfRequest(const RequestContext& ctx, const nlohmann::json& body);
  // The waiting room's 503, or nullopt to go on (`admitted` then says whether Done() is owed).
  std::optional<HttpResponse> WaitingRoomFor(const RequestContext& ctx, bool& admitted);

  store::Database& db_;
  const Clock& clock_;
  store::BatchWriter& writer_;
  const booking::BookingService& booking_;
  Tenants& tenants_;
  ResidentAccess& residents_;
  AdmissionGate& gate_;
  const std::string& secret_;
};

}  // namespace madoguchi::web
