// src/web/http/router.hpp — the route table: every route declares who may call it.
//
// A pattern is a path of literal segments and `{name}` segments that match one segment.
// A route whose pattern contains `{tenant}` is tenant-scoped: the caller must be bound to that
// tenant. `roles` empty means public (no login). The table is plain data, so tests can walk it.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "accounts/accounts.hpp"
#include "web/http/http_types.hpp"

namespace madoguchi::web {

struct RequestContext;
using Handler = std::function<HttpResponse(RequestContext&)>;

enum class RouteKind {
  kApi,   // JSON in and out; failures are JSON errors; 401 when not logged in
  kPage,  // HTML for people; failures are Japanese pages; redirect to /login when not logged in
};

struct Route {
  std::string method;   // GET, POST, PUT, PATCH, DELETE
  std::string pattern;  // "/api/v1/t/{tenant}/users"
  RouteKind kind = RouteKind::kApi;
  accounts::RoleSet roles;  // empty: public
  std::string summary;      // one line for docs and `madoguchi routes`
  Handler handler;

  bool is_public() const { return roles.empty(); }
  bool tenant_scoped() const { return pattern.find("{tenant}") != std::string::npos; }
  bool state_changing() const { return method != "GET" && method != "HEAD"; }
};

class Router {
 public:
  void Add(Route route);
  const std::vector<Route>& routes() const { return routes_; }

  struct Match {
    const Route* route = nullptr;               // null when nothing matched
    std::map<std::string, std::string> params;  // {name} -> segment
    std::vector<std::string> allowed_methods;   // set when the path matched but the method did not
  };
  // HEAD is served by the GET route.
  Match Find(const std::string& method, const std::string& path) const;

 private:
  std::vector<Route> routes_;
  std::vector<std::vector<std::string>> segments_;  // each route's pattern, split once when added
};

}  // namespace madoguchi::web
