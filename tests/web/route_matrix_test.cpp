// Walks the whole route table × every role (and anonymous) × own/foreign tenant, by session
// cookie and by API token, and checks allow/deny against each route's declaration. A route
// added later is covered automatically.
#include <gtest/gtest.h>

#include <set>

#include "support/web_fixture.hpp"

namespace madoguchi::web {
namespace {

using accounts::Role;
using testing::Call;
using testing::kForeignTenant;
using testing::kOwnTenant;
using testing::WebFixture;

std::string Fill(std::string pattern, const std::string& tenant) {
  for (auto [from, to] : {std::pair<std::string, std::string>{"{tenant}", tenant}, {"{id}", "1"}}) {
    for (size_t pos; (pos = pattern.find(from)) != std::string::npos;) pattern.replace(pos, from.size(), to);
  }
  return pattern;
}

Call MakeCall(const Route& route, const std::string& path) {
  Call c;
  c.method = route.method;
  c.path = path;
  if (route.state_changing() && route.kind == RouteKind::kApi) c.Json(nlohmann::json::object());
  return c;
}

// An anonymous browser posting a public form carries the pre-login CSRF cookie and field.
// The double-submit cookie the page's form would carry: the residents' own under /r/, the login
// form's elsewhere.
Call WithLoginCsrf(Call c) {
  c.Header("Cookie", std::string(c.path.starts_with("/r/") ? WebApp::kResidentCsrfCookie : WebApp::kLoginCsrfCookie) + "=matrix-token");
  c.Param("csrf_token", "matrix-token");
  return c;
}

bool Denied(int status) { return status == 401 || status == 403; }

class RouteMatrixTest : public ::testing::TestWithParam<std::string> {};

TEST_P(RouteMatrixTest, EveryRouteEveryRoleOwnAndForeignTenant) {
  WebFixture fx(GetParam());
  MADOGUCHI_REQUIRE_DB(fx.test_db());
  ASSERT_TRUE(fx.ready());
  std::map<Role, int64_t> users;
  for (Role r : accounts::kAllRoles) {
    users[r] = fx.AddUser(std::string("u-") + accounts::RoleName(r), r, {kOwnTenant});
  }

  int checks = 0;
  std::set<std::string> visited;
  for (const Route& route : fx.app().router().routes()) {
    const std::string label = route.method + " " + route.pattern;
    visited.insert(label);
    // The gateway's callbacks are public to every role and gated by the hook key in the URL
    // instead: without it, everyone gets 403 bad_key (tests/app/sms_delivery_test.cpp calls them
    // with it).
    if (route.pattern.starts_with("/hooks/")) {
      ASSERT_TRUE(route.is_public()) << label;
      HttpResponse anonymous = fx.Send(MakeCall(route, route.pattern));
      EXPECT_EQ(anonymous.status, 403) << label;
      EXPECT_NE(anonymous.body.find("bad_key"), std::string::npos) << label << ": " << anonymous.body;
      for (Role role : accounts::kAllRoles) {
        HttpResponse r = fx.SendAs(fx.SessionFor(users[role]), MakeCall(route, route.pattern));
        EXPECT_EQ(r.status, 403) << label << " as " << accounts::RoleName(role) << ": a session is not the key";
        ++checks;
      }
      continue;
    }
    const std::vector<std::string> tenants =
        route.tenant_scoped() ? std::vector<std::string>{kOwnTenant, kForeignTenant} : std::vector<std::string>{kOwnTenant};

    // Anonymous.
    for (const auto& tenant : tenants) {
      Call call = MakeCall(route, Fill(route.pattern, tenant));
      if (route.state_changing() && route.kind == RouteKind::kPage) call = WithLoginCsrf(call);
      HttpResponse r = fx.Send(call);
      ++checks;
      EXPECT_LT(r.status, 500) << label;
      if (route.is_public()) {
        EXPECT_FALSE(Denied(r.status)) << label << " should be public, got " << r.status;
      } else if (route.kind == RouteKind::kApi) {
        EXPECT_EQ(r.status, 401) << label << " anonymous";
      } else {
        EXPECT_EQ(r.status, 303) << label << " anonymous";
        EXPECT_TRUE(testing::HeaderOf(r, "Location").starts_with("/login")) << label;
      }
    }

    for (Role role : accounts::kAllRoles) {
      for (const auto& tenant : tenants) {
        const bool allowed = route.is_public() || (route.roles.Contains(role) && (!route.tenant_scoped() || tenant == kOwnTenant));
        const std::string what = label + " as " + accounts::RoleName(role) + " on " + tenant;
        // By session cookie (a fresh one each time: some routes end the session).
        {
          HttpResponse r = fx.SendAs(fx.SessionFor(users[role]), MakeCall(route, Fill(route.pattern, tenant)));
          ++checks;
          EXPECT_LT(r.status, 500) << what << ": " << r.body;
          if (allowed) {
            EXPECT_FALSE(Denied(r.status)) << what << " should be allowed, got " << r.status << " " << r.body;
          } else {
            EXPECT_EQ(r.status, 403) << what << " should be denied: " << r.body;
          }
        }
        // By API token (machine clients use the API routes).
        if (route.kind == RouteKind::kApi && !route.is_public()) {
          Call c = MakeCall(route, Fill(route.pattern, tenant));
          c.Header("Authorization", "Bearer " + fx.TokenFor(users[role]));
          HttpResponse r = fx.Send(c);
          ++checks;
          EXPECT_LT(r.status, 500) << what << " (token)";
          if (route.pattern == "/api/v1/session" && route.method == "DELETE") continue;  // 409: tokens have no session
          if (route.pattern == "/api/v1/tokens" && route.method == "POST") {             // a token cannot make tokens (issue #9)
            EXPECT_EQ(r.status, 403) << what;
            EXPECT_NE(r.body.find("token_cannot_mint"), std::string::npos) << what;
            continue;
          }
          if (allowed) {
            EXPECT_FALSE(Denied(r.status)) << what << " (token) should be allowed, got " << r.status << " " << r.body;
          } else {
            EXPECT_EQ(r.status, 403) << what << " (token) should be denied";
          }
        }
      }
    }
  }
  EXPECT_EQ(visited.size(), fx.app().router().routes().size());
  EXPECT_GT(checks, 200);
}

TEST_P(RouteMatrixTest, TenantDataNeverCrossesTenants) {
  WebFixture fx(GetParam());
  MADOGUCHI_REQUIRE_DB(fx.test_db());
  const int64_t admin_a = fx.AddUser("admin-a", Role::kAdmin, {kOwnTenant});
  const int64_t admin_b = fx.AddUser("admin-b", Role::kAdmin, {kForeignTenant});
  fx.AddUser("both", Role::kOperator, {kOwnTenant, kForeignTenant});
  const auto a = fx.SessionFor(admin_a);
  const auto b = fx.SessionFor(admin_b);

  // B creates a user and reads its list: both land in B's audit only.
  HttpResponse created = fx.SendAs(b, Call{"POST", std::string("/api/v1/t/") + kForeignTenant + "/users"}.Json(
                                          {{"login", "b-new"}, {"role", "operator"}, {"password", "long enough pw"}}));
  ASSERT_EQ(created.status, 201) << created.body;

  auto tenants = nlohmann::json::parse(fx.SendAs(a, Call{"GET", "/api/v1/tenants"}).body);
  ASSERT_EQ(tenants["tenants"].size(), 1u);
  EXPECT_EQ(tenants["tenants"][0]["code"], kOwnTenant);

  auto users = nlohmann::json::parse(fx.SendAs(a, Call{"GET", std::string("/api/v1/t/") + kOwnTenant + "/users"}).body);
  for (const auto& u : users["users"]) {
    EXPECT_NE(u["login"], "b-new");
    EXPECT_NE(u["login"], "admin-b");
    for (const auto& t : u["tenants"]) EXPECT_EQ(t, kOwnTenant) << "A must not learn B's code from a shared user";
  }

  auto audit = nlohmann::json::parse(fx.SendAs(a, Call{"GET", std::string("/api/v1/t/") + kOwnTenant + "/audit"}).body);
  for (const auto& e : audit["entries"]) {
    EXPECT_NE(e["tenant"], kForeignTenant) << e.dump();
    EXPECT_NE(e["actor_login"], "admin-b") << e.dump();
  }
  // And B can read and create in B but never in A.
  EXPECT_EQ(fx.SendAs(b, Call{"GET", std::string("/api/v1/t/") + kOwnTenant + "/audit"}).status, 403);
  EXPECT_EQ(
      fx.SendAs(b,
                Call{"POST", std::string("/api/v1/t/") + kForeignTenant + "/users"}.Json(
                    {{"login", "sneaky"}, {"role", "operator"}, {"password", "long enough pw"}, {"tenants", {kForeignTenant, kOwnTenant}}}))
          .status,
      403);
  EXPECT_EQ(fx.SendAs(a, Call{"GET", std::string("/api/v1/t/") + kOwnTenant + "/users"}).body.find("sneaky"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, RouteMatrixTest, ::testing::ValuesIn(testing::Backends()), [](const auto& info) { return info.param; });

// Issue #10 §2: the route table is printed without a database (`madoguchi routes` opened and
// migrated one, because only a whole application could list its routes). It is the same table.
TEST(RouteTableTest, TheTableAloneIsTheApplicationsRoutesWithoutHandlers) {
  WebFixture fx("sqlite");
  ASSERT_TRUE(fx.ready());
  const Router table = WebApp::RouteTable();
  const auto& live = fx.app().router().routes();
  ASSERT_EQ(table.routes().size(), live.size());
  for (size_t i = 0; i < live.size(); ++i) {
    EXPECT_EQ(table.routes()[i].method, live[i].method);
    EXPECT_EQ(table.routes()[i].pattern, live[i].pattern);
    EXPECT_EQ(table.routes()[i].roles.ToString(), live[i].roles.ToString());
    EXPECT_FALSE(table.routes()[i].handler) << "nothing behind the printed table";
    EXPECT_TRUE(live[i].handler);
  }
}

}  // namespace
}  // namespace madoguchi::web
