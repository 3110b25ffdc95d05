// src/web/residents/resident_pages.hpp — residents' booking pages (/r/{tenant}): sign in with 券番号
// + 生年月日, choose venue → day → time, confirm, get a confirmation code; view, change, cancel,
// wait for a freed seat. No JavaScript; every form has a CSRF token; the session is kept in the
// database, so any process serves any page. The waiting room stands in front when busy.
#pragma once

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

class ResidentPages {
 public:
  // `secret` signs admission passes and waiting-room numbers (LoadSigningSecret's).
  ResidentPages(store::Database& db, const Clock& clock, const WebSettings& settings, store::BatchWriter& writer,
                const booking::BookingService& booking, Tenants& tenants, ResidentAccess& residents, AdmissionGate& gate,
                const std::string& secret)
      : db_(db),
        clock_(clock),
        settings_(settings),
        writer_(writer),
        booking_(booking),
        tenants_(tenants),
        residents_(residents),
        gate_(gate),
        secret_(secret) {}
  static void Register(Router& router, ResidentPages* self);

  // A path under /r/ that no route has, answered in the residents' layout (the municipality's
  // when the path names one).
  HttpResponse NotFound(const HttpRequest& request, const std::string& request_id);

  HttpResponse ResidentStart(RequestContext& ctx);
  HttpResponse ResidentWait(RequestContext& ctx);
  HttpResponse ResidentSignIn(RequestContext& ctx);
  HttpResponse ResidentSignOut(RequestContext& ctx);
  HttpResponse ResidentHome(RequestContext& ctx);
  HttpResponse ResidentChoose(RequestContext& ctx);
  HttpResponse ResidentConfirm(RequestContext& ctx);
  HttpResponse ResidentBook(RequestContext& ctx);
  HttpResponse ResidentCancelPage(RequestContext& ctx);
  HttpResponse ResidentCancel(RequestContext& ctx);
  HttpResponse ResidentWaitlist(RequestContext& ctx);
  HttpResponse ResidentLeaveWaitlist(RequestContext& ctx);
  HttpResponse ResidentEmail(RequestContext& ctx);
  HttpResponse ResidentCss(RequestContext& ctx);

  // `message` in the residents' layout (the municipality's when ctx.tenant names one), with a way
  // back to the start.
  HttpResponse ResidentError(const RequestContext& ctx, int status, const std::string& message);
  // This browser's CSRF token for residents' forms (a double-submit cookie set on `set_on` when
  // it has none yet): every form under /r/{tenant} carries it.
  std::string ResidentCsrf(const RequestContext& ctx, HttpResponse* set_on);

 private:
  // The confirm page of `slot_id` for the signed-in `resident_id` (`change`: the code being moved).
  HttpResponse ResidentConfirmPage(RequestContext& ctx, int64_t resident_id, int status, int64_t slot_id, const std::string& change,
                                   const std::string& error);
  // A page in the residents' layout, whose footer gives the window's phone and hours
  // (Tenants::Guidance); a page saying it cannot be shown when they cannot be read.
  HttpResponse ResidentPage(const RequestContext& ctx, int status, const std::string& title, const std::string& content, bool signed_in,
                            const std::string& csrf, int refresh_s = 0);
  HttpResponse SignInFirst(const RequestContext& ctx, const std::string& next);
  // The email section: the address notices go to (`email`), the box as typed, why it was refused.
  std::string EmailForm(const RequestContext& ctx, const std::string& csrf, const std::string& email, const std::string& typed,
                        const std::string& error);
  std::optional<int64_t> ResidentSession(const RequestContext& ctx);
  std::string ResidentCookie(const RequestContext& ctx, const char* base) const;
  std::optional<HttpResponse> ResidentAdmission(const RequestContext& ctx);
  // The signed-in resident's booking named by the request's `code` (into `out`), or the answer to
  // give instead.
  std::optional<HttpResponse> OwnBookingOfRequest(const RequestContext& ctx, booking::BookingRecord& out);

  store::Database& db_;
  const Clock& clock_;
  const WebSettings& settings_;
  store::BatchWriter& writer_;
  const booking::BookingService& booking_;
  Tenants& tenants_;
  ResidentAccess& residents_;
  AdmissionGate& gate_;
  const std::string& secret_;
};

}  // namespace madoguchi::web
