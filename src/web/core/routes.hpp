// src/web/core/routes.hpp — how a feature's handler class declares its routes. Each class has
//
//   static void Register(Router& router, Handlers* self);
//
// which adds every route of the feature; with `self` null the routes have no handler (the
// printed table, `madoguchi routes`, needs no database).
#pragma once

#include <string>

#include "accounts/accounts.hpp"
#include "web/core/context.hpp"
#include "web/http/router.hpp"

namespace madoguchi::web {

// Who may call a route (empty: public).
namespace roles {
inline constexpr accounts::RoleSet kPublic{};
inline constexpr accounts::RoleSet kAll = accounts::RoleSet::All();
inline constexpr accounts::RoleSet kAdmin{accounts::Role::kAdmin};
inline constexpr accounts::RoleSet kPlanners{accounts::Role::kAdmin, accounts::Role::kSupervisor};
inline constexpr accounts::RoleSet kOperators{accounts::Role::kAdmin, accounts::Role::kSupervisor, accounts::Role::kOperator};
inline constexpr accounts::RoleSet kBookingStaff{accounts::Role::kAdmin, accounts::Role::kSupervisor, accounts::Role::kOperator,
                                                 accounts::Role::kCityStaff};
// Home-test applications: health data (要配慮個人情報) for the tenant's doctors, operators and
// supervisors only; photos and decisions for doctors alone.
inline constexpr accounts::RoleSet kDoctors{accounts::Role::kDoctor};
inline constexpr accounts::RoleSet kCareStaff{accounts::Role::kSupervisor, accounts::Role::kOperator, accounts::Role::kDoctor};
inline constexpr accounts::RoleSet kCareLeads{accounts::Role::kSupervisor, accounts::Role::kDoctor};
inline constexpr accounts::RoleSet kListKeepers{accounts::Role::kAdmin, accounts::Role::kCityStaff};
}  // namespace roles

// Adds routes bound to the methods of one handler object.
template <typename H>
class RouteAdder {
 public:
  RouteAdder(Router& router, H* self) : router_(router), self_(self) {}
  void operator()(std::string method, std::string pattern, RouteKind kind, accounts::RoleSet roles, std::string summary,
                  HttpResponse (H::*fn)(RequestContext&)) {
    Handler handler;
    if (self_ != nullptr) handler = [self = self_, fn](RequestContext& ctx) { return (self->*fn)(ctx); };
    router_.Add(Route{std::move(method), std::move(pattern), kind, roles, std::move(summary), std::move(handler)});
  }

 private:
  Router& router_;
  H* self_;
};

}  // namespace madoguchi::web
