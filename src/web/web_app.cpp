// Dispatch: route → authenticate → role → tenant scope → CSRF → handler → access log.
// Every route is declared by a feature's Register(), all called from RegisterRoutes(); nothing is
// reachable any other way.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <typeinfo>

#include "common/text.hpp"

#include "store/booking/bookings.hpp"
#include "web/accounts/accounts_handlers.hpp"
#include "web/audit/audit_handlers.hpp"
#include "web/booking/booking_api.hpp"
#include "web/booking/console.hpp"
#include "web/booking/setup.hpp"
#include "web/care/application_pages.hpp"
#include "web/care/follow_up_pages.hpp"
#include "web/care/review_pages.hpp"
#include "web/care/settings_pages.hpp"
#include "web/core/admission.hpp"
#include "web/core/resident_access.hpp"
#include "web/core/sessions.hpp"
#include "web/core/tenants.hpp"
#include "web/hooks/sms_hooks.hpp"
#include "web/http/error_mapping.hpp"
#include "web/jobs/job_pages.hpp"
#include "web/line/line_handlers.hpp"
#include "web/links/short_links.hpp"
#include "web/messaging/campaign_pages.hpp"
#include "web/messaging/inbox_pages.hpp"
#include "web/planning/planning_handlers.hpp"
#include "web/residents/resident_pages.hpp"
#include "web/ui/messages.hpp"
#include "web/ui/pages.hpp"
#include "web/web_app.hpp"

namespace madoguchi::web {

Result<std::string> LoadSigningSecret(store::Database& db, const Clock& clock) {
  std::string secret;
  MADOGUCHI_RETURN_IF_ERROR(store::InTransaction(db, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(secret, store::LoadOrCreateSecret(conn, "resident_signing", crypto::RandomToken(32), clock.NowMs()));
    return Status::Ok();
  }));
  return secret;
}

// The application's parts: the shared services of core/ and one handler object per feature.
struct WebApp::Impl {
  Impl(WebParts parts, WebSettings settings_in);

  // Every route of every feature, bound to `self`'s handlers (to none when null: the table alone).
  static void RegisterRoutes(Router& router, Impl* self);
  HttpResponse Dispatch(HttpRequest& request, const std::string& request_id, const Route** matched);

  const WebSettings settings;
  const std::string secret;  // signs residents' cookies and queue numbers (shared through the database)
  Router router;
  Sessions sessions;
  Tenants tenants;
  ResidentAccess residents;
  booking::BookingService booking_service;  // every change to a booking, on every channel
  DatabaseLine waiting_line;                // one line for every process on the database
  AdmissionGate gate;
  AccountsHandlers accounts;
  AuditHandlers audit;
  PlanningHandlers planning;
  BookingApi booking_api;
  BookingSetupHandlers booking_setup;
  ConsoleHandlers console;
  ResidentPages resident_pages;
  care::FollowUpService follow_up;  // daily check-ins, triage, calls
  LineHandlers line;
  SmsHooks sms_hooks;
  CampaignHandlers campaigns;
  InboxHandlers inbox;
  ShortLinkHandlers links;
  JobHandlers jobs;
  store::PhotoFiles photo_files;   // residents' photos, in the data folder
  care::CareService care_service;  // home-test applications, reviews and episodes
  CareApplicationPages care_pages;
  CareReviewPages care_review;
  CareFollowUpPages care_follow_up;
  CareSettingsPages care_settings;
};

WebApp::Impl::Impl(WebParts parts, WebSettings settings_in)
    : settings(std::move(settings_in)),
      secret(std::move(parts.signing_secret)),
      sessions(parts.db, parts.clock, settings),
      tenants(parts.db, parts.clock),
      residents(parts.db, parts.clock, settings),
      booking_service(parts.clock),
      waiting_line(parts.db, parts.writer),
      gate(
          settings.admission_max_in_flight, [&writer = parts.writer] { return writer.ops(); }, parts.clock, waiting_line),
      accounts(parts.db, parts.clock, settings, sessions),
      audit(parts.db, parts.clock),
      planning(parts.db, parts.clock),
      booking_api(parts.db, parts.clock, parts.writer, booking_service, tenants, residents, gate, secret),
      booking_setup(parts.db, parts.clock, parts.writer, booking_service, tenants),
      console(parts.db, parts.clock, parts.writer, booking_service, tenants, residents),
      resident_pages(parts.db, parts.clock, settings, parts.writer, booking_service, tenants, residents, gate, secret),
      follow_up(parts.clock, secret),
      line(parts.db, parts.clock, parts.writer, booking_service, tenants, residents, parts.line, follow_up),
      sms_hooks(parts.db, parts.clock, parts.writer, secret, follow_up),
      campaigns(parts.db, parts.clock, settings),
      inbox(parts.db, parts.clock),
      links(parts.db, parts.clock, secret, resident_pages),
      jobs(parts.db, parts.clock),
      photo_files(parts.files_dir),
      care_service(parts.clock, secret),
      care_pages(parts.db, parts.clock, tenants, resident_pages, care_service, follow_up, photo_files),
      care_review(parts.db, parts.clock, care_service, photo_files),
      care_follow_up(parts.db, parts.clock, follow_up),
      care_settings(parts.db, parts.clock) {
  if (secret.empty()) throw std::invalid_argument("WebApp needs the signing secret (LoadSigningSecret)");
  RegisterRoutes(router, this);
}

void WebApp::Impl::RegisterRoutes(Router& router, Impl* self) {
  AccountsHandlers::Register(router, self ? &self->accounts : nullptr);
  AuditHandlers::Register(router, self ? &self->audit : nullptr);
  BookingSetupHandlers::Register(router, self ? &self->booking_setup : nullptr);
  BookingApi::Register(router, self ? &self->booking_api : nullptr);
  PlanningHandlers::Register(router, self ? &self->planning : nullptr);
  ConsoleHandlers::Register(router, self ? &self->console : nullptr);
  LineHandlers::Register(router, self ? &self->line : nullptr);
  SmsHooks::Register(router, self ? &self->sms_hooks : nullptr);
  CampaignHandlers::Register(router, self ? &self->campaigns : nullptr);
  InboxHandlers::Register(router, self ? &self->inbox : nullptr);
  ResidentPages::Register(router, self ? &self->resident_pages : nullptr);
  ShortLinkHandlers::Register(router, self ? &self->links : nullptr);
  JobHandlers::Register(router, self ? &self->jobs : nullptr);
  CareApplicationPages::Register(router, self ? &self->care_pages : nullptr);
  CareReviewPages::Register(router, self ? &self->care_review : nullptr);
  CareFollowUpPages::Register(router, self ? &self->care_follow_up : nullptr);
  CareSettingsPages::Register(router, self ? &self->care_settings : nullptr);
}

namespace {

bool IsApiPath(const std::string& path) { return path.starts_with("/api/") || path == "/healthz"; }

// What the residents' listener serves: their pages, their API calls and the style sheets.
bool ServedToResidents(const Route& route) {
  if (!route.is_public()) return false;
  return route.pattern.starts_with("/r/") || route.pattern.starts_with("/s/") || route.pattern.starts_with("/static/") ||
         route.pattern == "/healthz" || (route.pattern.starts_with("/api/v1/t/") && route.kind == RouteKind::kApi);
}

bool IsJsonContentType(const std::string& content_type) { return content_type.starts_with("application/json"); }

void AddSecurityHeaders(HttpResponse& r, bool authenticated) {
  r.AddHeader("X-Content-Type-Options", "nosniff");
  r.AddHeader("Referrer-Policy", "same-origin");
  const bool own_csp = std::any_of(r.headers.begin(), r.headers.end(), [](const auto& h) { return h.first == "Content-Security-Policy"; });
  if (r.content_type.starts_with("text/html") && !own_csp) {
    r.AddHeader("X-Frame-Options", "DENY");
    r.AddHeader("Content-Security-Policy",
                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                "frame-ancestors 'none'; form-action 'self'");
  }
  if (authenticated) r.AddHeader("Cache-Control", "no-store");
}

}  // namespace

namespace {

// The path (and query) of the page a form was sent from, when the Referer names this host; "/"
// otherwise.
std::string SameSiteRefererPath(const HttpRequest& request) {
  const std::string referer = request.Header("Referer");
  const size_t scheme = referer.find("://");
  const std::string host = request.Header("Host");
  if (scheme == std::string::npos || host.empty()) return "/";
  const size_t path = referer.find('/', scheme + 3);
  if (path == std::string::npos || referer.substr(scheme + 3, path - scheme - 3) != host) return "/";
  return referer.substr(path);
}

}  // namespace

HttpResponse WebApp::Impl::Dispatch(HttpRequest& request, const std::string& request_id, const Route** matched) {
  Router::Match match = router.Find(request.method, request.path);
  *matched = match.route;
  if (match.route == nullptr) {
    const bool api = IsApiPath(request.path);
    if (!match.allowed_methods.empty()) {
      std::string allow;
      for (const auto& m : match.allowed_methods) allow += (allow.empty() ? "" : ", ") + m;
      HttpResponse r = api ? JsonError(405, Status(StatusCode::kMalformed, "method_not_allowed", "use one of: " + allow))
                           : ErrorPage(nullptr, 405, "この操作はできません。");
      r.AddHeader("Allow", allow);
      return r;
    }
    if (!api && request.path.starts_with("/r/")) return resident_pages.NotFound(request, request_id);  // the residents' layout
    return api ? JsonError(404, NotFoundError("no such route", "no_route")) : ErrorPage(nullptr, 404, "ページが見つかりません。");
  }
  const Route& route = *match.route;
  // With a staff listener configured, the residents' listener serves residents only: no login,
  // staff pages or staff API there (each lives on the listener the city keeps inside).
  if (request.residents_only && !ServedToResidents(route)) {
    return IsApiPath(request.path) ? JsonError(404, NotFoundError("no such route", "no_route"))
                                   : ErrorPage(nullptr, 404, "ページが見つかりません。");
  }
  // Every field but an uploaded file's bytes is text: invalid UTF-8 is refused here, naming the
  // field and never echoing its bytes (a password field's included).
  for (const auto& [name, value] : request.params) {
    if (request.file_fields.count(name) == 0 && (!text::IsValidUtf8(value) || !text::IsValidUtf8(name))) {
      const std::string field = text::IsValidUtf8(name) ? name : "?";
      Status bad = MalformedError(field, "is not valid UTF-8 text", "bad_encoding");
      return route.kind == RouteKind::kApi ? JsonError(400, bad) : ErrorPage(nullptr, 400, ui::ErrorText(bad));
    }
  }
  RequestContext ctx{request, route, std::move(match.params), request_id, std::nullopt, {}};

  // Staff credentials count only on the staff listener: on the residents' one everybody is a
  // resident (no booking by ticket alone there, even with a stolen token).
  if (!request.residents_only) {
    auto principal = sessions.Authenticate(request);
    if (!principal.ok()) return Fail(ctx, principal.status());
    ctx.principal = std::move(principal).value();
  }

  if (!route.is_public()) {
    if (!ctx.principal) {
      if (route.kind == RouteKind::kPage) {
        if (route.state_changing()) {
          // A form sent after the session ran out (mid-call): nothing was done, and the login
          // says so and returns to the page the form was on — never to the action, which a
          // GET cannot repeat (it answered 「この操作はできません」).
          return RedirectResponse("/login?expired=1&next=" + UrlEncode(SameSiteRefererPath(request)));
        }
        return RedirectResponse("/login?next=" + UrlEncode(request.path));
      }
      return JsonError(UnauthenticatedError("log in first (POST /api/v1/session) or send an API token", "unauthenticated"));
    }
    // A password an admin set is changed before anything else (the logout and the change itself aside).
    if (ctx.principal->must_change_password && route.pattern != "/password" && route.pattern != "/logout" &&
        route.pattern != "/api/v1/session") {
      if (route.kind == RouteKind::kPage) return RedirectResponse("/password");
      return JsonError(403, PermissionDeniedError("choose your own password first (the page /password)", "password_change_required"));
    }
    if (!route.roles.Contains(ctx.principal->role)) {
      return Fail(ctx, PermissionDeniedError(std::string("this needs one of the roles: ") + route.roles.ToString()));
    }
    if (ctx.principal->via_api_token && ctx.principal->token_scope == accounts::TokenScope::kRead && route.state_changing()) {
      return Fail(ctx, PermissionDeniedError("this API token may only read", "read_only_token"));
    }
    if (route.tenant_scoped()) {
      const std::string& tenant = ctx.path_params["tenant"];
      // Same answer whether the tenant exists or not: a user learns nothing about other tenants.
      if (!ctx.principal->HasTenant(tenant)) {
        return Fail(ctx, PermissionDeniedError("you are not bound to this tenant", "foreign_tenant"));
      }
      ctx.tenant = tenant;
    }
  }

  if (route.is_public() && route.tenant_scoped()) ctx.tenant = ctx.path_params["tenant"];

  if (route.state_changing()) {
    const bool cookie_auth = ctx.principal && !ctx.principal->via_api_token;
    if (route.kind == RouteKind::kApi) {
      // SameSite=Strict + a non-form Content-Type: a cross-site form cannot make this request.
      if ((cookie_auth || route.is_public()) && !IsJsonContentType(request.Header("Content-Type"))) {
        return JsonError(415, MalformedError("Content-Type", "send Content-Type: application/json", "unsupported_media_type"));
      }
    } else if (!sessions.CsrfOk(ctx)) {
      return ErrorPage(&ctx, 403, ui::ErrorText(Status(StatusCode::kPermissionDenied, "csrf", "")));
    }
  }

  try {
    return route.handler(ctx);
  } catch (const std::exception& e) {
    // Not e.what(): it may quote the input that caused it (a byte of a password).
    spdlog::error("msg=\"handler threw\" rid={} route=\"{} {}\" type=\"{}\"", request_id, route.method, route.pattern, typeid(e).name());
    return Fail(ctx, InternalError("internal error"));
  }
}

WebApp::WebApp(WebParts parts, WebSettings settings) : impl_(std::make_unique<Impl>(std::move(parts), std::move(settings))) {}

WebApp::~WebApp() = default;

const Router& WebApp::router() const { return impl_->router; }

Router WebApp::RouteTable() {
  Router router;
  Impl::RegisterRoutes(router, nullptr);
  return router;
}

AdmissionGate& WebApp::admission() { return impl_->gate; }

HttpResponse WebApp::Handle(HttpRequest&& request) {
  const auto started = std::chrono::steady_clock::now();
  const std::string request_id = crypto::RandomToken(9);
  const Route* route = nullptr;
  request.peer_addr = request.remote_addr;
  request.remote_addr = ClientAddress(request.peer_addr, request.Header("X-Forwarded-For"), impl_->settings.trusted_proxies);
  HttpResponse response = impl_->Dispatch(request, request_id, &route);
  response.AddHeader("X-Request-Id", request_id);
  const bool secure = request.tls || impl_->settings.secure_cookies;
  AddSecurityHeaders(response, !request.Cookie(CookieName(kSessionCookie, secure)).empty() || !request.Header("Authorization").empty());
  // Browsers that once reached us over HTTPS never try plain HTTP again (a year; not subdomains,
  // which the city may run for other services).
  if (secure) response.AddHeader("Strict-Transport-Security", "max-age=31536000");
  if (impl_->settings.log_requests) {
    // The route pattern, not the path: paths may carry personal identifiers.
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    spdlog::info("msg=request rid={} method={} route=\"{}\" status={} dur_ms={:.2f}", request_id,
                 request.method.size() <= 8 ? request.method : "?", route ? route->pattern : "-", response.status, ms);
  }
  return response;
}

}  // namespace madoguchi::web
