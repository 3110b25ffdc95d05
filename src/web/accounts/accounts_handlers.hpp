// src/web/accounts/accounts_handlers.hpp — staff accounts: logging in and out (API and page), the
// home page, the caller's tenants and API tokens, and a municipality's staff (API and page).
#pragma once

#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "store/accounts/accounts.hpp"
#include "store/database.hpp"
#include "web/core/routes.hpp"
#include "web/core/sessions.hpp"

namespace madoguchi::web {

class AccountsHandlers {
 public:
  AccountsHandlers(store::Database& db, const Clock& clock, const WebSettings& settings, Sessions& sessions)
      : db_(db), clock_(clock), settings_(settings), sessions_(sessions) {}
  static void Register(Router& router, AccountsHandlers* self);

  HttpResponse Healthz(RequestContext& ctx);
  HttpResponse ApiLogin(RequestContext& ctx);
  HttpResponse ApiLogout(RequestContext& ctx);
  HttpResponse ApiMe(RequestContext& ctx);
  HttpResponse ApiListTenants(RequestContext& ctx);
  HttpResponse ApiGetTenant(RequestContext& ctx);
  HttpResponse ApiListUsers(RequestContext& ctx);
  HttpResponse ApiCreateUser(RequestContext& ctx);
  HttpResponse ApiSetUserDisabled(RequestContext& ctx);
  HttpResponse ApiListTokens(RequestContext& ctx);
  HttpResponse ApiCreateToken(RequestContext& ctx);
  HttpResponse ApiRevokeToken(RequestContext& ctx);
  HttpResponse PageLoginForm(RequestContext& ctx);
  HttpResponse PageLoginSubmit(RequestContext& ctx);
  HttpResponse PageLogout(RequestContext& ctx);
  HttpResponse PageHome(RequestContext& ctx);
  HttpResponse StaticAsset(RequestContext& ctx);
  HttpResponse PageStaff(RequestContext& ctx);
  HttpResponse PageStaffCreate(RequestContext& ctx);
  HttpResponse PageStaffChange(RequestContext& ctx);
  HttpResponse PagePasswordForm(RequestContext& ctx);
  HttpResponse PagePasswordSave(RequestContext& ctx);

 private:
  // A new staff member from {login, display_name, role, password, tenants}, audited. Errors: the
  // field's (invalid_argument, weak_password, common_password, invalid_role, login_taken, ...).
  Result<store::User> CreateUser(const RequestContext& ctx, const nlohmann::json& body);
  // The staff member `id` as the admin of ctx.tenant may change them: bound to the tenant, to no
  // municipality the admin is not, and not the admin. kFailedPrecondition "self", kNotFound
  // "unknown_user", kPermissionDenied "foreign_tenant".
  Result<store::User> StaffMember(store::Connection& conn, const RequestContext& ctx, int64_t id);
  HttpResponse PasswordPage(RequestContext& ctx, int status, const std::string& error);
  HttpResponse StaffPage(RequestContext& ctx, int status, const std::string& done, const std::string& error, const std::string& f_name,
                         const std::string& f_login, const std::string& f_role);

  store::Database& db_;
  const Clock& clock_;
  const WebSettings& settings_;
  Sessions& sessions_;
};

}  // namespace madoguchi::web
