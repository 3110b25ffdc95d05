// Private to src/web: the state and handlers behind WebApp, split over several .cpp files
// (web_app.cpp: dispatch; auth.cpp: login and sessions; api_handlers.cpp; page_handlers.cpp).
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <mutex>
#include <semaphore>

#include "channels/line.hpp"
#include "common/text.hpp"
#include "forecast/model.hpp"
#include "store/accounts_repo.hpp"
#include "store/audit_repo.hpp"
#include "store/batch_writer.hpp"
#include "store/booking_port.hpp"
#include "store/booking_repo.hpp"
#include "store/plans_repo.hpp"
#include "web/admission.hpp"
#include "web/error_mapping.hpp"
#include "web/web_app.hpp"

namespace madoguchi::web {

using nlohmann::json;

// What a successful login hands back to the route that asked for it.
struct LoginOutcome {
  Principal principal;
  std::string session_token;  // goes into the cookie; only its hash is stored
};

// A planning request from the page or the API.
struct PlanInput {
  std::string scenario;
  std::optional<std::string> history_csv, events_csv;
  bool use_call_records = false;  // the history is the calls operators recorded in the console
};

// "12,15,40" (or "none"): the residents a look-up showed, as its audit row records them.
std::string ResidentIds(const std::vector<booking::ResidentRecord>& found);

struct WebApp::Impl {
  Impl(store::Database& db, Clock& clock, WebSettings settings, std::string signing_secret);

  store::Database& db;
  Clock& clock;
  WebSettings settings;
  Router router;
  std::counting_semaphore<64> hash_slots;
  std::string dummy_hash;                          // verified against for unknown logins, so timing does not tell
  std::string secret;                              // signs residents' cookies and queue numbers (shared through the database)
  std::unique_ptr<store::BatchWriter> writer;      // every booking write: group commit
  booking::BookingService booking_service{clock};  // every change to a booking, on every channel
  std::unique_ptr<DatabaseLine> waiting_line;      // one line for every process on the database
  std::unique_ptr<AdmissionGate> gate;
  std::unique_ptr<channels::LineClient> line;
  std::mutex tenants_mu;
  std::map<std::string, std::string> tenant_names;
  std::map<std::string, std::pair<int64_t, booking::Rules>> rules_cache;  // tenant → (read at, rules)

  // web_app.cpp
  // Every route, bound to `self` (or to nothing when null: the table alone).
  static void RegisterRoutes(Router& router, Impl* self);
  HttpResponse Dispatch(HttpRequest& request, const std::string& request_id, const Route** matched);
  HttpResponse Fail(const RequestContext& ctx, const Status& status) const;

  // auth.cpp
  Result<std::optional<Principal>> Authenticate(const HttpRequest& request);
  Result<LoginOutcome> Login(const std::string& login, const std::string& password, const RequestContext& ctx);
  Status Logout(const RequestContext& ctx);
  std::string SessionCookie(const std::string& token, bool secure) const;
  std::string ClearSessionCookie(bool secure) const;
  bool CsrfOk(const RequestContext& ctx) const;

  // Appends an audit entry for the request's actor in an open transaction.
  Status Audit(store::Connection& conn, const RequestContext& ctx, std::optional<std::string> tenant, std::string action,
               std::string record);
  // A resident reading or changing their own record (actor "resident:<id>", role "resident").
  Status AuditResident(store::Connection& conn, const RequestContext& ctx, const std::string& tenant, int64_t resident_id,
                       std::string action, std::string record);

  // api_handlers.cpp
  HttpResponse Healthz(RequestContext& ctx);
  HttpResponse ApiLogin(RequestContext& ctx);
  HttpResponse ApiLogout(RequestContext& ctx);
  HttpResponse ApiMe(RequestContext& ctx);
  HttpResponse ApiListTenants(RequestContext& ctx);
  HttpResponse ApiGetTenant(RequestContext& ctx);
  HttpResponse ApiListUsers(RequestContext& ctx);
  HttpResponse ApiCreateUser(RequestContext& ctx);
  // A new staff member from {login, display_name, role, password, tenants}, audited. Errors: the
  // field's (invalid_argument, weak_password, common_password, invalid_role, login_taken, ...).
  Result<store::User> CreateUser(const RequestContext& ctx, const json& body);
  HttpResponse ApiSetUserDisabled(RequestContext& ctx);
  HttpResponse ApiAudit(RequestContext& ctx);
  HttpResponse ApiListTokens(RequestContext& ctx);
  HttpResponse ApiCreateToken(RequestContext& ctx);
  HttpResponse ApiRevokeToken(RequestContext& ctx);

  // page_handlers.cpp
  HttpResponse PageLoginForm(RequestContext& ctx);
  HttpResponse PageLoginSubmit(RequestContext& ctx);
  HttpResponse PageLogout(RequestContext& ctx);
  HttpResponse PageHome(RequestContext& ctx);
  HttpResponse PageAudit(RequestContext& ctx);
  HttpResponse PageAuditCsv(RequestContext& ctx);
  HttpResponse StaticAsset(RequestContext& ctx);
  HttpResponse ErrorPage(const RequestContext* ctx, int http_status, const std::string& message) const;

  // plan_handlers.cpp: the supervisor's planner.
  HttpResponse PagePlans(RequestContext& ctx);
  HttpResponse PagePlanCreate(RequestContext& ctx);
  HttpResponse PagePlanView(RequestContext& ctx);
  HttpResponse PagePlanDownload(RequestContext& ctx);
  HttpResponse ApiListPlans(RequestContext& ctx);
  HttpResponse ApiCreatePlan(RequestContext& ctx);
  HttpResponse ApiGetPlan(RequestContext& ctx);
  Result<int64_t> MakeAndSavePlan(const RequestContext& ctx, const PlanInput& in);
  HttpResponse PlansPage(RequestContext& ctx, int status, const std::string& scenario, const Status* error, bool use_call_records = false);
  Result<store::SavedPlan> LoadPlan(const RequestContext& ctx);
  // The slots a caller can still book — starting later, with a seat free — as every channel offers them.
  store::SlotFilter BookableSlots(int limit, std::optional<int64_t> venue = std::nullopt,
                                  std::optional<booking::Day> day = std::nullopt) const;
  // The plan's forecast beside the calls recorded so far (days up to today, Japan time).
  Result<forecast::Tracking> TrackPlan(const RequestContext& ctx, const store::SavedPlan& plan);
  HttpResponse ApiPlanActuals(RequestContext& ctx);

  // booking_api.cpp
  HttpResponse ApiListVenues(RequestContext& ctx);
  HttpResponse ApiCreateVenue(RequestContext& ctx);
  HttpResponse ApiListSlots(RequestContext& ctx);
  HttpResponse ApiCreateSlot(RequestContext& ctx);
  HttpResponse ApiCreateBooking(RequestContext& ctx);
  HttpResponse ApiCancelBooking(RequestContext& ctx);
  HttpResponse ApiChangeBooking(RequestContext& ctx);
  HttpResponse ApiGetBooking(RequestContext& ctx);
  HttpResponse ApiPutBookingRules(RequestContext& ctx);
  // Validates, stores and audits the tenant's rules. Errors: ValidateRules's, the database's.
  Status SaveRules(const RequestContext& ctx, const booking::Rules& rules);
  HttpResponse ApiSearchResidents(RequestContext& ctx);
  HttpResponse ApiSetBookingState(RequestContext& ctx);
  HttpResponse ApiJoinWaitlist(RequestContext& ctx);
  Result<booking::Rules> LoadRules(store::Connection& conn, const std::string& tenant);
  Result<booking::Rules> ReadRules(store::Connection& conn, const std::string& tenant);
  Status RequireTenantExists(const std::string& tenant);
  // The resident holding `ticket` with this birth date. Throttled per ticket and per `source`
  // (the client address when empty; LINE passes "line:" and the user id).
  Result<booking::ResidentRecord> VerifyResident(const RequestContext& ctx, const std::string& ticket, const std::string& birth,
                                                 const std::string& source = "");
  Result<booking::ResidentRecord> ResidentOfRequest(const RequestContext& ctx, const json& body);
  // kResourceExhausted "lookups_throttled" once the staff member has looked up residents
  // settings.staff_lookups_per_hour times in the last hour (counted from the audit log).
  Status CheckLookupBudget(store::Connection& conn, const RequestContext& ctx);
  Result<booking::BookingRecord> BookingOfRequest(const RequestContext& ctx, const json& body);
  // The waiting room's 503, or nullopt to go on (`admitted` then says whether Done() is owed).
  std::optional<HttpResponse> WaitingRoomFor(const RequestContext& ctx, bool& admitted);

  // rules_page.cpp: eligibility on a page.
  HttpResponse PageRules(RequestContext& ctx);
  HttpResponse PageRulesSave(RequestContext& ctx);
  // `show_typed`: the form as the request typed it (a refusal), else the stored rules.
  HttpResponse RulesPage(RequestContext& ctx, int status, const std::string& done, const std::string& error, bool show_typed = false);

  // staff_pages.cpp: staff management.
  HttpResponse PageStaff(RequestContext& ctx);
  HttpResponse PageStaffCreate(RequestContext& ctx);
  HttpResponse StaffPage(RequestContext& ctx, int status, const std::string& done, const std::string& error, const std::string& f_name,
                         const std::string& f_login, const std::string& f_role);

  // setup_pages.cpp: the target list and venues/slots.
  HttpResponse PageResidents(RequestContext& ctx);
  HttpResponse PageResidentsImport(RequestContext& ctx);
  HttpResponse ResidentsImportPage(RequestContext& ctx, int status, const std::string& done,
                                   const std::vector<booking::RowProblem>& problems);
  HttpResponse PageVenues(RequestContext& ctx);
  HttpResponse PageVenueCreate(RequestContext& ctx);
  HttpResponse PageSlotsCreate(RequestContext& ctx);
  HttpResponse VenuesPage(RequestContext& ctx, int status, const std::string& done, const std::string& error);

  // line_webhook.cpp: LINE.
  HttpResponse LineWebhook(RequestContext& ctx);
  HttpResponse ApiPutLineChannel(RequestContext& ctx);
  std::vector<channels::LineMessage> LineConversation(const RequestContext& ctx, const std::string& user_id, const std::string& kind,
                                                      const std::string& input);

  // console_pages.cpp: the operator console.
  HttpResponse PageConsole(RequestContext& ctx);
  HttpResponse PageConsoleResident(RequestContext& ctx);
  HttpResponse PageConsoleAct(RequestContext& ctx);
  HttpResponse PageConsoleCall(RequestContext& ctx);
  HttpResponse PageCallsCsv(RequestContext& ctx);
  // The tenant's recorded calls as planner history ("timestamp,handle_sec", one row per call).
  Result<std::string> CallRecordsCsv(const std::string& tenant);
  HttpResponse ConsoleResidentPage(RequestContext& ctx, int status, const std::string& message, const std::string& error);

  // resident_pages.cpp: residents' booking pages.
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
  HttpResponse ResidentCss(RequestContext& ctx);
  HttpResponse ResidentWaitlist(RequestContext& ctx);
  HttpResponse ResidentConfirmPage(RequestContext& ctx, int status, int64_t slot_id, const std::string& change, const std::string& error);
  std::string ResidentPage(const RequestContext& ctx, const std::string& title, const std::string& content, bool signed_in,
                           const std::string& csrf, int refresh_s = 0);
  std::string ResidentCsrf(const RequestContext& ctx, HttpResponse* set_on);
  std::optional<int64_t> ResidentSession(const RequestContext& ctx);
  std::string ResidentCookie(const RequestContext& ctx, const char* base) const;
  std::optional<HttpResponse> ResidentAdmission(const RequestContext& ctx);
  Status LoadTenantName(const std::string& tenant);
};

// kResourceExhausted "throttled" (the subject is locked) or "slowed" (the source waits), with the
// seconds to wait in the message (auth.cpp).
Status ThrottledError(const accounts::ThrottleDecision& d);

// The site layout around a page's content (page_handlers.cpp).
std::string PageShell(const std::string& title, const std::string& content_html, const Principal* user);

// JSON helpers (api_handlers.cpp).
HttpResponse JsonReply(int status, const json& body);
// Parses the body as one JSON object. Errors: kMalformed for a wrong Content-Type, broken
// JSON, invalid UTF-8, or a non-object.
Result<json> ParseJsonObject(const HttpRequest& request);
// A string member. kInvalidArgument naming `field` when missing (and required), not a string,
// not UTF-8, or longer than `max_bytes`.
Result<std::string> JsonString(const json& body, const char* field, size_t max_bytes, bool required = true);

// A positive record id from a path or form ("123"); nullopt for anything else.
std::optional<int64_t> ParseId(const std::string& s);

// A style sheet response (cached for an hour).
HttpResponse CssResponse(const char* css);

// `request` with `body` as its JSON body and Content-Type (pages that reuse an API handler).
HttpRequest AsJsonRequest(const HttpRequest& request, std::string body);

}  // namespace madoguchi::web
