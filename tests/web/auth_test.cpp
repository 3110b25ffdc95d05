#include <gtest/gtest.h>

#include "support/web_fixture.hpp"

namespace madoguchi::web {
namespace {

using accounts::Role;
using nlohmann::json;
using testing::Call;
using testing::kOwnTenant;
using testing::kPassword;
using testing::WebFixture;

Call LoginCall(const std::string& login, const std::string& password, const std::string& addr = "192.0.2.10") {
  Call c{"POST", "/api/v1/session"};
  c.Json({{"login", login}, {"password", password}});
  c.remote_addr = addr;
  return c;
}

std::string CookieValue(const std::string& set_cookie) { return set_cookie.substr(0, set_cookie.find(';')); }

json Body(const HttpResponse& r) { return json::parse(r.body); }

class AuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fx_.ready());
    op_ = fx_.AddUser("op", Role::kOperator, {kOwnTenant});
    admin_ = fx_.AddUser("admin", Role::kAdmin, {kOwnTenant});
  }
  WebFixture fx_{"sqlite"};
  int64_t op_ = 0, admin_ = 0;
};

TEST_F(AuthTest, LoginSetsAHardenedSessionCookie) {
  HttpResponse r = fx_.Send(LoginCall("op", kPassword));
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string cookie = testing::SetCookie(r, WebApp::kSessionCookie);
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_EQ(cookie.find("Secure"), std::string::npos);  // plain HTTP here
  EXPECT_EQ(Body(r)["user"]["role"], "operator");

  HttpResponse me = fx_.Send(Call{"GET", "/api/v1/me"}.Header("Cookie", CookieValue(cookie)));
  ASSERT_EQ(me.status, 200);
  EXPECT_EQ(Body(me)["login"], "op");
  EXPECT_EQ(Body(me)["auth"], "session");
}

TEST_F(AuthTest, SecureCookieWhenConfigured) {
  WebSettings s;
  s.secure_cookies = true;
  WebFixture fx("sqlite", s);
  fx.AddUser("op", Role::kOperator, {kOwnTenant});
  HttpResponse r = fx.Send(LoginCall("op", kPassword));
  EXPECT_NE(testing::SetCookie(r, WebApp::kSessionCookie).find("; Secure"), std::string::npos);
}

TEST_F(AuthTest, UnknownUserAndWrongPasswordLookTheSame) {
  HttpResponse unknown = fx_.Send(LoginCall("nobody", kPassword));
  HttpResponse wrong = fx_.Send(LoginCall("op", "wrong password!"));
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(unknown.body, wrong.body);
  EXPECT_TRUE(testing::SetCookie(wrong, WebApp::kSessionCookie).empty());
}

TEST_F(AuthTest, BadLoginRequestsNameTheField) {
  HttpResponse missing = fx_.Send(Call{"POST", "/api/v1/session"}.Json({{"login", "op"}}));
  EXPECT_EQ(missing.status, 422);
  EXPECT_EQ(Body(missing)["error"]["field"], "password");
  HttpResponse typed = fx_.Send(Call{"POST", "/api/v1/session"}.Json({{"login", 5}, {"password", "x"}}));
  EXPECT_EQ(typed.status, 422);
  EXPECT_EQ(Body(typed)["error"]["field"], "login");
  Call form{"POST", "/api/v1/session"};
  form.body = "login=op&password=x";
  form.Header("Content-Type", "application/x-www-form-urlencoded");
  EXPECT_EQ(fx_.Send(form).status, 415);  // a cross-site form cannot log anyone in
}

TEST_F(AuthTest, LogoutEndsTheSession) {
  auto session = fx_.SessionFor(op_);
  EXPECT_EQ(fx_.SendAs(session, Call{"GET", "/api/v1/me"}).status, 200);
  HttpResponse out = fx_.SendAs(session, Call{"DELETE", "/api/v1/session"}.Json(json::object()));
  ASSERT_EQ(out.status, 200) << out.body;
  EXPECT_NE(testing::SetCookie(out, WebApp::kSessionCookie).find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(fx_.SendAs(session, Call{"GET", "/api/v1/me"}).status, 401);
}

TEST_F(AuthTest, SessionsExpireWhenIdleAndActivityExtendsThem) {
  auto cookie = CookieValue(testing::SetCookie(fx_.Send(LoginCall("op", kPassword)), WebApp::kSessionCookie));
  auto me = [&] { return fx_.Send(Call{"GET", "/api/v1/me"}.Header("Cookie", cookie)).status; };
  fx_.clock().Advance(std::chrono::minutes(100));
  EXPECT_EQ(me(), 200);  // activity at 100 min moves the idle deadline to 220 min
  fx_.clock().Advance(std::chrono::minutes(100));
  EXPECT_EQ(me(), 200);
  fx_.clock().Advance(std::chrono::minutes(121));
  EXPECT_EQ(me(), 401);
}

TEST_F(AuthTest, SessionsEndAtTheAbsoluteLimitWhateverTheActivity) {
  auto cookie = CookieValue(testing::SetCookie(fx_.Send(LoginCall("op", kPassword)), WebApp::kSessionCookie));
  for (int i = 0; i < 12; ++i) {
    fx_.clock().Advance(std::chrono::minutes(59));
    ASSERT_EQ(fx_.Send(Call{"GET", "/api/v1/me"}.Header("Cookie", cookie)).status, 200) << i;
  }
  fx_.clock().Advance(std::chrono::minutes(20));  // 728 min after login
  EXPECT_EQ(fx_.Send(Call{"GET", "/api/v1/me"}.Header("Cookie", cookie)).status, 401);
}

TEST_F(AuthTest, CookieCallsThatChangeStateNeedJson) {
  auto session = fx_.SessionFor(op_);
  Call c{"POST", "/api/v1/tokens"};
  c.body = "name=evil";
  c.Header("Content-Type", "application/x-www-form-urlencoded");
  EXPECT_EQ(fx_.SendAs(session, c).status, 415);
  auto tokens = Body(fx_.SendAs(session, Call{"GET", "/api/v1/tokens"}));
  EXPECT_TRUE(tokens["tokens"].empty());  // nothing was created
}

TEST_F(AuthTest, ApiTokensForMachineClients) {
  auto session = fx_.SessionFor(op_);
  HttpResponse created = fx_.SendAs(session, Call{"POST", "/api/v1/tokens"}.Json({{"name", "nightly export"}}));
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string token = Body(created)["token"];
  const int64_t id = Body(created)["id"];
  HttpResponse me = fx_.Send(Call{"GET", "/api/v1/me"}.Header("Authorization", "Bearer " + token));
  ASSERT_EQ(me.status, 200);
  EXPECT_EQ(Body(me)["auth"], "api_token");
  EXPECT_EQ(fx_.Send(Call{"GET", "/api/v1/me"}.Header("Authorization", "Bearer nope")).status, 401);
  EXPECT_EQ(fx_.Send(Call{"GET", "/api/v1/me"}.Header("Authorization", "Basic abc")).status, 401);
  // The list never shows the token itself.
  EXPECT_EQ(fx_.SendAs(session, Call{"GET", "/api/v1/tokens"}).body.find(token), std::string::npos);
  EXPECT_EQ(fx_.SendAs(session, Call{"DELETE", "/api/v1/tokens/" + std::to_string(id)}.Json(json::object())).status,
            200);
  EXPECT_EQ(fx_.Send(Call{"GET", "/api/v1/me"}.Header("Authorization", "Bearer " + token)).status, 401);
  EXPECT_EQ(fx_.SendAs(session, Call{"DELETE", "/api/v1/tokens/abc"}.Json(json::object())).status, 422);
}

TEST_F(AuthTest, ThrottlesPerAccount) {
  for (int i = 0; i < 5; ++i) EXPECT_EQ(fx_.Send(LoginCall("op", "wrong password!")).status, 401);
  HttpResponse blocked = fx_.Send(LoginCall("op", kPassword, "198.51.100.7"));  // even the right one, anywhere
  EXPECT_EQ(blocked.status, 429);
  EXPECT_EQ(testing::HeaderOf(blocked, "Retry-After"), "900");
  EXPECT_EQ(Body(blocked)["error"]["code"], "throttled");
  EXPECT_EQ(fx_.Send(LoginCall("admin", kPassword)).status, 200);  // other accounts are unaffected
  fx_.clock().Advance(std::chrono::minutes(16));
  EXPECT_EQ(fx_.Send(LoginCall("op", kPassword)).status, 200);
}

TEST_F(AuthTest, ThrottlesPerAddress) {
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(fx_.Send(LoginCall("guess" + std::to_string(i), "whatever pw", "203.0.113.9")).status, 401);
  }
  EXPECT_EQ(fx_.Send(LoginCall("op", kPassword, "203.0.113.9")).status, 429);
  EXPECT_EQ(fx_.Send(LoginCall("op", kPassword, "203.0.113.10")).status, 200);
}

TEST_F(AuthTest, WritesAndPersonalReadsAreAudited) {
  auto admin = fx_.SessionFor(admin_);
  ASSERT_EQ(fx_.Send(LoginCall("op", "wrong password!")).status, 401);
  ASSERT_EQ(fx_.Send(LoginCall("op", kPassword)).status, 200);
  HttpResponse created = fx_.SendAs(admin, Call{"POST", std::string("/api/v1/t/") + kOwnTenant + "/users"}.Json(
                                               {{"login", "doc"}, {"display_name", "=HYPERLINK(\"x\")"},
                                                {"role", "doctor"}, {"password", "a long secret pw"}}));
  ASSERT_EQ(created.status, 201) << created.body;
  ASSERT_EQ(fx_.SendAs(admin, Call{"GET", std::string("/api/v1/t/") + kOwnTenant + "/users"}).status, 200);

  auto entries = Body(fx_.SendAs(admin, Call{"GET", std::string("/api/v1/t/") + kOwnTenant + "/audit"}))["entries"];
  std::vector<std::string> actions;
  for (const auto& e : entries) actions.push_back(e["action"]);
  // Newest first.
  EXPECT_EQ(actions, (std::vector<std::string>{"user.list", "user.create", "session.login", "session.login_failed"}));
  EXPECT_EQ(entries[1]["actor_login"], "admin");
  EXPECT_EQ(entries[1]["actor_role"], "admin");
  EXPECT_EQ(entries[1]["tenant"], kOwnTenant);
  EXPECT_EQ(entries[1]["source_addr"], "192.0.2.10");
  EXPECT_FALSE(entries[1]["request_id"].get<std::string>().empty());

  HttpResponse csv = fx_.SendAs(admin, Call{"GET", std::string("/api/v1/t/") + kOwnTenant + "/audit"}.Param("format", "csv"));
  ASSERT_EQ(csv.status, 200);
  EXPECT_TRUE(csv.content_type.starts_with("text/csv"));
  EXPECT_TRUE(csv.body.starts_with("id,at_utc,actor_user_id,actor_login,actor_role,tenant,action"));
  EXPECT_NE(csv.body.find("user.create"), std::string::npos);
  EXPECT_EQ(csv.body.find("a long secret pw"), std::string::npos);
  EXPECT_EQ(fx_.SendAs(admin, Call{"GET", std::string("/api/v1/t/") + kOwnTenant + "/audit"}.Param("limit", "-1")).status,
            422);
}

TEST_F(AuthTest, AdminCreatesStaffWhoCanLogIn) {
  auto admin = fx_.SessionFor(admin_);
  const std::string path = std::string("/api/v1/t/") + kOwnTenant + "/users";
  HttpResponse bad_role = fx_.SendAs(admin, Call{"POST", path}.Json({{"login", "x1x"}, {"role", "root"}, {"password", "long enough pw"}}));
  EXPECT_EQ(bad_role.status, 422);
  EXPECT_EQ(Body(bad_role)["error"]["field"], "role");
  HttpResponse weak = fx_.SendAs(admin, Call{"POST", path}.Json({{"login", "x1x"}, {"role", "doctor"}, {"password", "short"}}));
  EXPECT_EQ(weak.status, 422);
  EXPECT_EQ(Body(weak)["error"]["field"], "password");
  ASSERT_EQ(fx_.SendAs(admin, Call{"POST", path}.Json({{"login", "x1x"}, {"role", "doctor"}, {"password", "long enough pw"}})).status, 201);
  EXPECT_EQ(fx_.SendAs(admin, Call{"POST", path}.Json({{"login", "x1x"}, {"role", "doctor"}, {"password", "long enough pw"}})).status, 409);
  EXPECT_EQ(fx_.Send(LoginCall("x1x", "long enough pw")).status, 200);
}

TEST_F(AuthTest, TenantCreationValidatesTheCheckDigit) {
  auto admin = fx_.SessionFor(admin_);
  HttpResponse bad = fx_.SendAs(admin, Call{"POST", "/api/v1/tenants"}.Json({{"code", "131042"}, {"name", "新宿区"}}));
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(Body(bad)["error"]["code"], "invalid_tenant_code");
  HttpResponse ok = fx_.SendAs(admin, Call{"POST", "/api/v1/tenants"}.Json({{"code", "131041"}, {"name", "新宿区"}}));
  ASSERT_EQ(ok.status, 201) << ok.body;
  // The creator now serves it.
  EXPECT_EQ(fx_.SendAs(fx_.SessionFor(admin_), Call{"GET", "/api/v1/t/131041"}).status, 200);
  EXPECT_EQ(fx_.SendAs(admin, Call{"POST", "/api/v1/tenants"}.Json({{"code", "131041"}, {"name", "again"}})).status, 409);
}

}  // namespace
}  // namespace madoguchi::web
