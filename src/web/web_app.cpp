// Dispatch: route → authenticate → role → tenant scope → CSRF → handler → access log.
// Every route is declared in RegisterRoutes(); nothing is reachable any other way.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <typeinfo>

#include "common/text.hpp"

#include "web/internal/app_impl.hpp"
#include "web/ui/messages.hpp"

namespace madoguchi::web {

using accounts::Role;
using accounts::RoleSet;

bool Principal::HasTenant(const std::string& code) const { return std::find(tenants.begin(), tenants.end(), code) != tenants.end(); }

Result<std::string> LoadSigningSecret(store::Database& db, Clock& clock) {
  std::string secret;
  MADOGUCHI_RETURN_IF_ERROR(store::InTransaction(db, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(secret, store::LoadOrCreateSecret(conn, "resident_signing", crypto::RandomToken(32), clock.NowMs()));
    return Status::Ok();
  }));
  return secret;
}

WebApp::Impl::Impl(store::Database& db_in, Clock& clock_in, WebSettings settings_in, std::string signing_secret)
    : db(db_in),
      clock(clock_in),
      settings(std::move(settings_in)),
      hash_slots(std::clamp(settings.max_concurrent_password_hashes, 1, 64)),
      secret(std::move(signing_secret)) {
  if (secret.empty()) throw std::invalid_argument("WebApp needs the signing secret (LoadSigningSecret)");
  dummy_hash = crypto::HashPassword(crypto::RandomToken(16), settings.password_cost).value();
  writer = std::make_unique<store::BatchWriter>(db, store::DefaultBatchWriterOptions(db));
  line = std::make_unique<channels::LineClient>(channels::LineClientOptions{settings.line_api_base});
  waiting_line = std::make_unique<DatabaseLine>(db, *writer);
  gate = std::make_unique<AdmissionGate>(
      settings.admission_max_in_flight, [this] { return writer->ops(); }, clock, *waiting_line);
  RegisterRoutes(router, this);
}

void WebApp::Impl::RegisterRoutes(Router& router, Impl* self) {
  const RoleSet kAll = RoleSet::All();
  const RoleSet kAdmin{Role::kAdmin};
  const RoleSet kPublic{};
  // Without an application (the printed table), a route has no handler.
  auto add = [&router, self](std::string method, std::string pattern, RouteKind kind, RoleSet roles, std::string summary,
                             HttpResponse (Impl::*fn)(RequestContext&)) {
    Handler handler;
    if (self != nullptr) handler = [self, fn](RequestContext& ctx) { return (self->*fn)(ctx); };
    router.Add(Route{std::move(method), std::move(pattern), kind, roles, std::move(summary), std::move(handler)});
  };
  using K = RouteKind;
  add("GET", "/healthz", K::kApi, kPublic, "liveness and database check", &Impl::Healthz);
  add("POST", "/api/v1/session", K::kApi, kPublic, "log in: {login,password} → session cookie", &Impl::ApiLogin);
  add("DELETE", "/api/v1/session", K::kApi, kAll, "log out", &Impl::ApiLogout);
  add("GET", "/api/v1/me", K::kApi, kAll, "the logged-in user", &Impl::ApiMe);
  add("GET", "/api/v1/tenants", K::kApi, kAll, "tenants of the caller", &Impl::ApiListTenants);
  // No route creates a municipality: that is the platform operator's, on the server (`madoguchi
  // tenant add`), so one municipality's admin cannot open another's code (issue #9, item 14).
  add("GET", "/api/v1/t/{tenant}", K::kApi, kAll, "one tenant", &Impl::ApiGetTenant);
  add("GET", "/api/v1/t/{tenant}/users", K::kApi, RoleSet{Role::kAdmin, Role::kSupervisor}, "staff of a tenant", &Impl::ApiListUsers);
  add("POST", "/api/v1/t/{tenant}/users", K::kApi, kAdmin, "create staff {login,display_name,role,password,tenants}", &Impl::ApiCreateUser);
  add("PUT", "/api/v1/t/{tenant}/users/{id}/disabled", K::kApi, kAdmin,
      "disable or enable a user of the tenant {disabled}: disabling ends their sessions and tokens at once", &Impl::ApiSetUserDisabled);
  add("GET", "/api/v1/t/{tenant}/audit", K::kApi, kAdmin, "audit log (JSON, or CSV with ?format=csv)", &Impl::ApiAudit);
  add("GET", "/api/v1/tokens", K::kApi, kAll, "the caller's API tokens", &Impl::ApiListTokens);
  add("POST", "/api/v1/tokens", K::kApi, kAll, "create an API token {name}", &Impl::ApiCreateToken);
  add("DELETE", "/api/v1/tokens/{id}", K::kApi, kAll, "revoke an API token", &Impl::ApiRevokeToken);

  add("GET", "/login", K::kPage, kPublic, "login page", &Impl::PageLoginForm);
  add("POST", "/login", K::kPage, kPublic, "login form", &Impl::PageLoginSubmit);
  add("POST", "/logout", K::kPage, kAll, "logout form", &Impl::PageLogout);
  add("GET", "/", K::kPage, kAll, "home", &Impl::PageHome);
  add("GET", "/t/{tenant}/audit", K::kPage, kAdmin, "audit log page", &Impl::PageAudit);
  add("GET", "/t/{tenant}/staff", K::kPage, kAdmin, "staff of the tenant, and a form to add someone", &Impl::PageStaff);
  add("POST", "/t/{tenant}/staff", K::kPage, kAdmin, "add a staff member", &Impl::PageStaffCreate);
  add("GET", "/t/{tenant}/booking-rules", K::kPage, kAdmin, "who may book: age band, doses, intervals", &Impl::PageRules);
  add("POST", "/t/{tenant}/booking-rules", K::kPage, kAdmin, "save who may book", &Impl::PageRulesSave);
  add("GET", "/t/{tenant}/audit.csv", K::kPage, kAdmin, "audit log CSV download", &Impl::PageAuditCsv);
  const RoleSet kPlanners{Role::kAdmin, Role::kSupervisor};
  const RoleSet kBookingStaff{Role::kAdmin, Role::kSupervisor, Role::kOperator, Role::kCityStaff};
  add("GET", "/api/v1/t/{tenant}/venues", K::kApi, kPublic, "vaccination venues", &Impl::ApiListVenues);
  add("POST", "/api/v1/t/{tenant}/venues", K::kApi, kPlanners, "create a venue {name,address}", &Impl::ApiCreateVenue);
  add("GET", "/api/v1/t/{tenant}/slots", K::kApi, kPublic, "slots from now on (?venue=&date=) with seats remaining", &Impl::ApiListSlots);
  add("POST", "/api/v1/t/{tenant}/slots", K::kApi, kPlanners, "create a slot {venue_id,starts_at,ends_at,capacity,vaccine,dose}",
      &Impl::ApiCreateSlot);
  add("POST", "/api/v1/t/{tenant}/bookings", K::kApi, kPublic,
      "book {ticket_number,birth_date,slot_id} (staff: ticket only); Idempotency-Key header", &Impl::ApiCreateBooking);
  add("PUT", "/api/v1/t/{tenant}/bookings/{code}", K::kApi, kPublic, "move a booking {ticket_number,birth_date,slot_id}",
      &Impl::ApiChangeBooking);
  add("DELETE", "/api/v1/t/{tenant}/bookings/{code}", K::kApi, kPublic, "cancel a booking {ticket_number,birth_date}",
      &Impl::ApiCancelBooking);
  add("GET", "/api/v1/t/{tenant}/bookings/{code}", K::kApi, kBookingStaff, "one booking with its resident (staff)", &Impl::ApiGetBooking);
  add("POST", "/api/v1/t/{tenant}/waitlist", K::kApi, kPublic,
      "wait for a freed seat {ticket_number,birth_date[,dose][,venue_id]} (staff: ticket only)", &Impl::ApiJoinWaitlist);
  add("POST", "/api/v1/t/{tenant}/bookings/{code}/state", K::kApi,
      RoleSet{Role::kAdmin, Role::kSupervisor, Role::kOperator, Role::kDoctor, Role::kCityStaff},
      "at the venue: {state: checked_in|vaccinated|no_show, lot, doctor}", &Impl::ApiSetBookingState);
  add("GET", "/api/v1/t/{tenant}/residents", K::kApi, kBookingStaff,
      "find residents by ?q= 券番号, phone or katakana name, with their bookings", &Impl::ApiSearchResidents);
  add("PUT", "/api/v1/t/{tenant}/booking-rules", K::kApi, kAdmin,
      "eligibility {min_age,max_age,max_dose,same_vaccine_for_second_dose,min_days_after_previous_dose}", &Impl::ApiPutBookingRules);
  add("GET", "/api/v1/t/{tenant}/plans", K::kApi, kPlanners, "saved staffing plans", &Impl::ApiListPlans);
  add("POST", "/api/v1/t/{tenant}/plans", K::kApi, kPlanners,
      "make and save a plan {scenario, history_csv?, events_csv?, use_call_records?} (docs/planning.md)", &Impl::ApiCreatePlan);
  add("GET", "/api/v1/t/{tenant}/plans/{id}", K::kApi, kPlanners, "one plan (JSON)", &Impl::ApiGetPlan);
  add("GET", "/api/v1/t/{tenant}/plans/{id}/actuals", K::kApi, kPlanners,
      "the plan's daily forecast beside the calls recorded so far (finished days judged against the band; today as it stands)",
      &Impl::ApiPlanActuals);
  add("GET", "/t/{tenant}/plans", K::kPage, kPlanners, "planner page: scenario form and saved plans", &Impl::PagePlans);
  add("POST", "/t/{tenant}/plans", K::kPage, kPlanners, "planner form (multipart: scenario, history_csv, events_csv, use_call_records)",
      &Impl::PagePlanCreate);
  add("GET", "/t/{tenant}/plans/{id}", K::kPage, kPlanners, "one plan: the report with download links", &Impl::PagePlanView);
  add("GET", "/t/{tenant}/plans/{id}/{file}", K::kPage, kPlanners, "download: report.html, plan.csv, plan.json or scenario.json",
      &Impl::PagePlanDownload);
  const RoleSet kOperators{Role::kAdmin, Role::kSupervisor, Role::kOperator};
  add("GET", "/t/{tenant}/console", K::kPage, kOperators, "operator console: find a caller (?q=), record a call", &Impl::PageConsole);
  add("GET", "/t/{tenant}/console/residents/{id}", K::kPage, kOperators, "operator console: one resident and their bookings",
      &Impl::PageConsoleResident);
  add("POST", "/t/{tenant}/console/residents/{id}/{action}", K::kPage, kOperators,
      "operator console: book, change or cancel for the caller", &Impl::PageConsoleAct);
  add("POST", "/t/{tenant}/console/calls", K::kPage, kOperators, "operator console: record a call (category, handle time)",
      &Impl::PageConsoleCall);
  const RoleSet kListKeepers{Role::kAdmin, Role::kCityStaff};
  add("GET", "/t/{tenant}/residents", K::kPage, kListKeepers, "target list: count and CSV upload form", &Impl::PageResidents);
  add("POST", "/t/{tenant}/residents/import", K::kPage, kListKeepers, "target list: import a CSV (all rows or none)",
      &Impl::PageResidentsImport);
  add("GET", "/t/{tenant}/venues", K::kPage, kPlanners, "venues and upcoming slots", &Impl::PageVenues);
  add("POST", "/t/{tenant}/venues", K::kPage, kPlanners, "add a venue", &Impl::PageVenueCreate);
  add("POST", "/t/{tenant}/slots", K::kPage, kPlanners, "add a day's series of slots", &Impl::PageSlotsCreate);
  add("GET", "/t/{tenant}/calls.csv", K::kPage, kPlanners, "call records as planner history (one row per call)", &Impl::PageCallsCsv);
  add("POST", "/line/webhook/{tenant}", K::kApi, kPublic, "LINE webhook (X-Line-Signature checked before parsing)", &Impl::LineWebhook);
  add("PUT", "/api/v1/t/{tenant}/line", K::kApi, kAdmin, "set the LINE channel {channel_secret,access_token}", &Impl::ApiPutLineChannel);
  // Residents' pages (no login: 券番号 + 生年月日).
  add("GET", "/r/{tenant}", K::kPage, kPublic, "residents: start (waiting room when busy), sign in", &Impl::ResidentStart);
  add("GET", "/r/{tenant}/wait", K::kPage, kPublic, "residents: the waiting room", &Impl::ResidentWait);
  add("POST", "/r/{tenant}/signin", K::kPage, kPublic, "residents: ticket number and birth date", &Impl::ResidentSignIn);
  add("POST", "/r/{tenant}/signout", K::kPage, kPublic, "residents: end", &Impl::ResidentSignOut);
  add("GET", "/r/{tenant}/me", K::kPage, kPublic, "residents: my bookings", &Impl::ResidentHome);
  add("GET", "/r/{tenant}/book", K::kPage, kPublic, "residents: choose venue, day, time (?venue=&date=&change=)", &Impl::ResidentChoose);
  add("GET", "/r/{tenant}/confirm", K::kPage, kPublic, "residents: confirm a time (?slot=&change=)", &Impl::ResidentConfirm);
  add("POST", "/r/{tenant}/book", K::kPage, kPublic, "residents: book or move", &Impl::ResidentBook);
  add("GET", "/r/{tenant}/cancel", K::kPage, kPublic, "residents: confirm a cancellation (?code=)", &Impl::ResidentCancelPage);
  add("POST", "/r/{tenant}/cancel", K::kPage, kPublic, "residents: cancel", &Impl::ResidentCancel);
  add("POST", "/r/{tenant}/waitlist", K::kPage, kPublic, "residents: tell me when a seat frees up", &Impl::ResidentWaitlist);
  add("GET", "/static/resident.css", K::kPage, kPublic, "residents' style sheet", &Impl::ResidentCss);
  add("GET", "/static/app.css", K::kPage, kPublic, "style sheet", &Impl::StaticAsset);
}

HttpResponse WebApp::Impl::Fail(const RequestContext& ctx, const Status& status) const {
  if (ctx.route.kind == RouteKind::kApi) return JsonError(status);
  return ErrorPage(&ctx, HttpStatusFor(status.code()), ui::ErrorText(status));
}

namespace {

bool IsApiPath(const std::string& path) { return path.starts_with("/api/") || path == "/healthz"; }

// What the residents' listener serves: their pages, their API calls and the style sheets.
bool ServedToResidents(const Route& route) {
  if (!route.is_public()) return false;
  return route.pattern.starts_with("/r/") || route.pattern.starts_with("/static/") || route.pattern == "/healthz" ||
         (route.pattern.starts_with("/api/v1/t/") && route.kind == RouteKind::kApi);
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
    auto principal = Authenticate(request);
    if (!principal.ok()) return Fail(ctx, principal.status());
    ctx.principal = std::move(principal).value();
  }

  if (!route.is_public()) {
    if (!ctx.principal) {
      if (route.kind == RouteKind::kPage) {
        return RedirectResponse("/login?next=" + UrlEncode(request.path));
      }
      return JsonError(UnauthenticatedError("log in first (POST /api/v1/session) or send an API token", "unauthenticated"));
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
    } else if (!CsrfOk(ctx)) {
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

WebApp::WebApp(store::Database& db, Clock& clock, WebSettings settings, std::string signing_secret)
    : impl_(std::make_unique<Impl>(db, clock, std::move(settings), std::move(signing_secret))) {}

WebApp::~WebApp() = default;

std::string WebApp::CookieName(std::string_view base, bool secure) {
  if (!secure) return std::string(base);
  return (base == kSessionCookie ? "__Host-" : "__Secure-") + std::string(base);
}

const Router& WebApp::router() const { return impl_->router; }

Router WebApp::RouteTable() {
  Router router;
  Impl::RegisterRoutes(router, nullptr);
  return router;
}

AdmissionGate& WebApp::admission() { return *impl_->gate; }

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
