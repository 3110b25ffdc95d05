// src/web/booking/console.hpp — the operator console: find the caller (券番号, phone or kana), see
// their bookings, book, move or cancel on their behalf (channel "phone"), and record each call's
// category and handle time — the call history the planner learns from.
#pragma once

#include <string>

#include "booking/service.hpp"
#include "common/clock.hpp"
#include "store/batch_writer.hpp"
#include "store/database.hpp"
#include "web/core/resident_access.hpp"
#include "web/core/routes.hpp"
#include "web/core/tenants.hpp"

namespace madoguchi::web {

class ConsoleHandlers {
 public:
  ConsoleHandlers(store::Database& db, const Clock& clock, store::BatchWriter& writer, const booking::BookingService& booking,
                  Tenants& tenants, ResidentAccess& residents)
      : db_(db), clock_(clock), writer_(writer), booking_(booking), tenants_(tenants), residents_(residents) {}
  static void Register(Router& router, ConsoleHandlers* self);

  HttpResponse PageConsole(RequestContext& ctx);
  HttpResponse PageConsoleResident(RequestContext& ctx);
  HttpResponse PageConsoleConfirmCancel(RequestContext& ctx);
  HttpResponse PageConsoleAct(RequestContext& ctx);
  HttpResponse PageConsoleCall(RequestContext& ctx);

 private:
  HttpResponse ConsoleResidentPage(RequestContext& ctx, int status, const std::string& message, const std::string& error);

  store::Database& db_;
  const Clock& clock_;
  store::BatchWriter& writer_;
  const booking::BookingService& booking_;
  Tenants& tenants_;
  ResidentAccess& residents_;
};

}  // namespace madoguchi::web
