#include <gtest/gtest.h>

#include "store/audit/audit_log.hpp"
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
  // Issue #9, item 17: behind TLS the session cookie is __Host- (Secure, Path=/, no Domain), and
  // HSTS tells the browser to stay on HTTPS.
  const std::string set = testing::SetCookie(r, WebApp::CookieName(WebApp::kSessionCookie, true));
  EXPECT_TRUE(set.starts_with("__Host-madoguchi_session=")) << set;
  EXPECT_NE(set.find("; Secure"), std::string::npos);
  EXPECT_NE(set.find("; Path=/;"), std::string::npos);
  EXPECT_EQ(set.find("Domain"), std::string::npos);
  EXPECT_EQ(testing::HeaderOf(r, "Strict-Transport-Security"), "max-age=31536000");
  // The cookie works under its own name, and a plain-named one planted by someone else does not.
  const std::string token = set.substr(set.find('=') + 1, set.find(';') - set.find('=') - 1);
  EXPECT_EQ(fx.Send(Call{"GET", "/api/v1/me"}.Header("Cookie", "__Host-madoguchi_session=" + token)).status, 200);
  EXPECT_EQ(fx.Send(Call{"GET", "/api/v1/me"}.Header("Cookie", "madoguchi_session=" + token)).status, 401);
  // Without TLS there is no HSTS header.
  EXPECT_EQ(testing::HeaderOf(fx_.Send(LoginCall("op", kPassword)), "Strict-Transport-Security"), "");
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
  EXPECT_EQ(fx_.SendAs(session, Call{"DELETE", "/api/v1/tokens/" + std::to_string(id)}.Json(json::object())).status, 200);
  EXPECT_EQ(fx_.Send(Call{"GET", "/api/v1/me"}.Header("Authorization", "Bearer " + token)).status, 401);
  EXPECT_EQ(fx_.SendAs(session, Call{"DELETE", "/api/v1/tokens/abc"}.Json(json::object())).status, 422);
}

// Issue #9, item 10: tokens expire, can be read-only, cannot mint tokens, and end when an admin
// disables their user (sessions too, at once).
TEST_F(AuthTest, TokensExpireHaveAScopeAndEndWithTheirUser) {
  auto session = fx_.SessionFor(op_);
  auto make = [&](nlohmann::json body) { return fx_.SendAs(session, Call{"POST", "/api/v1/tokens"}.Json(body)); };
  HttpResponse read = make({{"name", "dashboard"}, {"scope", "read"}, {"expires_in_days", 1}});
  ASSERT_EQ(read.status, 201) << read.body;
  EXPECT_EQ(Body(read)["scope"], "read");
  const std::string read_token = Body(read)["token"];
  auto bearer = [](const std::string& t) { return "Bearer " + t; };
  EXPECT_EQ(fx_.Send(Call{"GET", "/api/v1/me"}.Header("Authorization", bearer(read_token))).status, 200);
  HttpResponse write = fx_.Send(Call{"POST", "/api/v1/tokens"}.Header("Authorization", bearer(read_token)).Json({{"name", "x"}}));
  EXPECT_EQ(write.status, 403);
  EXPECT_EQ(Body(write)["error"]["code"], "read_only_token");
  fx_.clock().Advance(std::chrono::hours(25));
  EXPECT_EQ(fx_.Send(Call{"GET", "/api/v1/me"}.Header("Authorization", bearer(read_token))).status, 401) << "expired";

  session = fx_.SessionFor(op_);
  for (auto bad : {nlohmann::json{{"name", "x"}, {"expires_in_days", 0}}, nlohmann::json{{"name", "x"}, {"expires_in_days", 366}},
                   nlohmann::json{{"name", "x"}, {"expires_in_days", "7"}}, nlohmann::json{{"name", "x"}, {"scope", "admin"}}}) {
    HttpResponse r = make(bad);
    EXPECT_EQ(r.status, 422) << bad.dump();
  }

  session = fx_.SessionFor(op_);
  HttpResponse full = make({{"name", "batch"}});
  ASSERT_EQ(full.status, 201);
  const std::string token = Body(full)["token"];
  HttpResponse minted = fx_.Send(Call{"POST", "/api/v1/tokens"}.Header("Authorization", bearer(token)).Json({{"name", "child"}}));
  EXPECT_EQ(minted.status, 403);
  EXPECT_EQ(Body(minted)["error"]["code"], "token_cannot_mint");

  // An admin disables the departed operator: the token and the session end at once.
  auto admin = fx_.SessionFor(admin_);
  const std::string path = std::string("/api/v1/t/") + kOwnTenant + "/users/" + std::to_string(op_) + "/disabled";
  HttpResponse off = fx_.SendAs(admin, Call{"PUT", path}.Json({{"disabled", true}}));
  ASSERT_EQ(off.status, 200) << off.body;
  EXPECT_EQ(fx_.Send(Call{"GET", "/api/v1/me"}.Header("Authorization", bearer(token))).status, 401);
  EXPECT_EQ(fx_.SendAs(session, Call{"GET", "/api/v1/me"}).status, 401);
  EXPECT_EQ(fx_.Send(LoginCall("op", kPassword)).status, 401);
  EXPECT_EQ(fx_.SendAs(admin, Call{"PUT", path}.Json({{"disabled", "yes"}})).status, 422);
  const std::string self = std::string("/api/v1/t/") + kOwnTenant + "/users/" + std::to_string(admin_) + "/disabled";
  EXPECT_EQ(fx_.SendAs(admin, Call{"PUT", self}.Json({{"disabled", true}})).status, 409);
  // An admin of another municipality cannot reach this one's staff.
  auto foreign = fx_.SessionFor(fx_.AddUser("admin-b", Role::kAdmin, {testing::kForeignTenant}));
  const std::string theirs = std::string("/api/v1/t/") + testing::kForeignTenant + "/users/" + std::to_string(op_) + "/disabled";
  EXPECT_EQ(fx_.SendAs(foreign, Call{"PUT", theirs}.Json({{"disabled", false}})).status, 404);
}

// Issue #9, item 14: common passwords and ones built on the login are refused (NIST 800-63B).
TEST_F(AuthTest, CommonPasswordsAndTheLoginNameAreRefused) {
  auto admin = fx_.SessionFor(admin_);
  auto create = [&](const std::string& login, const std::string& pw) {
    return fx_.SendAs(admin, Call{"POST", std::string("/api/v1/t/") + kOwnTenant + "/users"}.Json(
                                 {{"login", login}, {"role", "operator"}, {"password", pw}}));
  };
  for (const char* common : {"password12", "qwertyuiop", "iloveyou99"}) {
    HttpResponse r = create("yamada", common);
    EXPECT_EQ(r.status, 422) << common;
    EXPECT_EQ(Body(r)["error"]["code"], "common_password") << common;
    EXPECT_EQ(Body(r)["error"]["field"], "password");
  }
  HttpResponse own = create("yamada", "yamada-2026-pass");
  EXPECT_EQ(own.status, 422);
  EXPECT_EQ(Body(own)["error"]["code"], "password_has_login");
  EXPECT_EQ(create("yamada", "nichinan office desk 7").status, 201);
}

// Issue #9, item 14: a failed login for a name nobody has lands in the platform's security log.
TEST_F(AuthTest, FailedLoginsOfUnknownNamesAreInThePlatformLog) {
  EXPECT_EQ(fx_.Send(LoginCall("ghost", "whatever pw 12")).status, 401);
  std::vector<store::AuditEntry> log;
  ASSERT_TRUE(store::WithConnection(fx_.db(), [&](store::Connection& c) -> Status {
                MADOGUCHI_ASSIGN_OR_RETURN(log, store::ListPlatformAudit(c, 10));
                return Status::Ok();
              }).ok());
  ASSERT_FALSE(log.empty());
  EXPECT_EQ(log[0].action, "session.login_failed");
  EXPECT_EQ(log[0].record, "unknown_login:ghost");
  EXPECT_EQ(log[0].source_addr, "192.0.2.10");
}

// Issue #9, item 14: with a staff listener, the residents' listener serves no staff login, page or API.
TEST_F(AuthTest, TheResidentsListenerServesResidentsOnly) {
  auto residents = [](Call c) {
    c.residents_only = true;
    return c;
  };
  for (const char* path : {"/login", "/", "/t/452041/console", "/api/v1/me", "/api/v1/t/452041/residents?q=1"}) {
    EXPECT_EQ(fx_.Send(residents(Call{"GET", path})).status, 404) << path;
  }
  EXPECT_EQ(fx_.Send(residents(LoginCall("op", kPassword))).status, 404) << "no staff login there";
  EXPECT_EQ(fx_.Send(residents(Call{"GET", "/healthz"})).status, 200);
  EXPECT_NE(fx_.Send(residents(Call{"GET", "/r/452041"})).status, 404);
  EXPECT_EQ(fx_.Send(residents(Call{"GET", "/api/v1/t/452041/venues"})).status, 200);
  // A staff token is not staff there: booking by ticket alone is refused as from anyone.
  const std::string token = fx_.TokenFor(op_);
  auto on_behalf = fx_.Send(residents(Call{"POST", "/api/v1/t/452041/bookings"}
                                          .Header("Authorization", "Bearer " + token)
                                          .Json({{"ticket_number", "1234567890"}, {"slot_id", 1}})));
  EXPECT_EQ(on_behalf.status, 422) << on_behalf.body;
  EXPECT_EQ(Body(on_behalf)["error"]["field"], "birth_date");
  // The same requests on the staff listener.
  EXPECT_EQ(fx_.Send(Call{"GET", "/login"}).status, 200);
  EXPECT_EQ(fx_.Send(LoginCall("op", kPassword)).status, 200);
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

TEST_F(AuthTest, ABusyAddressIsSlowedNeverLockedOut) {
  // 30 failures from one address (a help desk's typos, or a script) are free; then that address
  // gets one try per 10 s, and every other address and account goes on as before.
  for (int i = 0; i < 30; ++i) {
    EXPECT_EQ(fx_.Send(LoginCall("guess" + std::to_string(i), "whatever pw", "203.0.113.9")).status, 401);
  }
  HttpResponse slowed = fx_.Send(LoginCall("op", kPassword, "203.0.113.9"));
  EXPECT_EQ(slowed.status, 429);
  EXPECT_EQ(Body(slowed)["error"]["code"], "slowed");
  EXPECT_EQ(testing::HeaderOf(slowed, "Retry-After"), "10");
  EXPECT_EQ(fx_.Send(LoginCall("op", kPassword, "203.0.113.10")).status, 200);
  fx_.clock().Advance(std::chrono::seconds(10));
  EXPECT_EQ(fx_.Send(LoginCall("op", kPassword, "203.0.113.9")).status, 200) << "ten seconds later it may try again";
}

TEST_F(AuthTest, WritesAndPersonalReadsAreAudited) {
  auto admin = fx_.SessionFor(admin_);
  ASSERT_EQ(fx_.Send(LoginCall("op", "wrong password!")).status, 401);
  ASSERT_EQ(fx_.Send(LoginCall("op", kPassword)).status, 200);
  HttpResponse created = fx_.SendAs(
      admin, Call{"POST", std::string("/api/v1/t/") + kOwnTenant + "/users"}.Json(
                 {{"login", "doc"}, {"display_name", "=HYPERLINK(\"x\")"}, {"role", "doctor"}, {"password", "a long secret pw"}}));
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
  EXPECT_TRUE(csv.body.starts_with("id,at,actor_user_id,actor_login,actor_role,tenant,action"));
  EXPECT_NE(csv.body.find("+09:00,"), std::string::npos) << "Japan time with the offset (issue #11, item 21)";
  EXPECT_NE(csv.body.find("user.create"), std::string::npos);
  EXPECT_EQ(csv.body.find("a long secret pw"), std::string::npos);
  EXPECT_EQ(fx_.SendAs(admin, Call{"GET", std::string("/api/v1/t/") + kOwnTenant + "/audit"}.Param("limit", "-1")).status, 422);
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

// Issue #9, item 14: no admin can open a municipality over the API (it is `madoguchi tenant add`
// on the server; the check digit is tested in app/cli_test).
TEST_F(AuthTest, NoAdminCreatesAMunicipalityOverTheApi) {
  auto admin = fx_.SessionFor(admin_);
  HttpResponse r = fx_.SendAs(admin, Call{"POST", "/api/v1/tenants"}.Json({{"code", "131041"}, {"name", "新宿区"}}));
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(fx_.SendAs(admin, Call{"GET", "/api/v1/t/131041"}).status, 403);
}

// Issue #11, item 21: staff could only be added. An admin changes a role, disables and enables,
// and resets a password, which the person replaces at their next login before anything else.
TEST_F(AuthTest, AnAdminChangesRolesDisablesAndResetsAPasswordTheyReplaceAtLogin) {
  const auto admin = fx_.SessionFor(admin_);
  const std::string staff = std::string("/t/") + kOwnTenant + "/staff/";
  auto login = [&](const std::string& password) -> std::optional<testing::Session> {
    HttpResponse r = fx_.Send(LoginCall("op", password));
    if (r.status != 200) return std::nullopt;
    return testing::Session{CookieValue(testing::SetCookie(r, WebApp::kSessionCookie)), Body(r)["csrf_token"]};
  };
  auto before = login(kPassword);
  ASSERT_TRUE(before);

  // A role: said on the page; the person's open session ends (it carried the old role).
  HttpResponse role = fx_.SendAs(admin, Call{"POST", staff + std::to_string(op_) + "/role"}.Param("role", "supervisor"));
  ASSERT_EQ(role.status, 200) << role.body;
  EXPECT_NE(role.body.find("の役割を「スーパーバイザー」にしました。"), std::string::npos);
  EXPECT_EQ(fx_.SendAs(*before, Call{"GET", "/api/v1/me"}).status, 401);
  auto after = login(kPassword);
  ASSERT_TRUE(after);
  EXPECT_EQ(Body(fx_.SendAs(*after, Call{"GET", "/api/v1/me"}))["role"], "supervisor");

  // Disabled: no login; enabled: login again.
  ASSERT_EQ(fx_.SendAs(admin, Call{"POST", staff + std::to_string(op_) + "/disable"}).status, 200);
  EXPECT_FALSE(login(kPassword));
  HttpResponse enabled = fx_.SendAs(admin, Call{"POST", staff + std::to_string(op_) + "/enable"});
  EXPECT_NE(enabled.body.find("を有効にしました。"), std::string::npos);
  EXPECT_TRUE(login(kPassword));

  // Not oneself, not an unknown action, not someone of another municipality.
  HttpResponse self = fx_.SendAs(admin, Call{"POST", staff + std::to_string(admin_) + "/disable"});
  EXPECT_EQ(self.status, 409);
  EXPECT_NE(self.body.find("自分の役割・状態・パスワードはこの画面では変えられません。"), std::string::npos);
  EXPECT_EQ(fx_.SendAs(admin, Call{"POST", staff + std::to_string(op_) + "/delete"}).status, 404);
  const int64_t stranger = fx_.AddUser("stranger", Role::kOperator, {testing::kForeignTenant});
  HttpResponse foreign = fx_.SendAs(admin, Call{"POST", staff + std::to_string(stranger) + "/disable"});
  EXPECT_EQ(foreign.status, 404);
  EXPECT_NE(foreign.body.find("その職員はこの自治体にいません。"), std::string::npos);

  // A password reset: a weak one is refused; a good one opens only the change page.
  HttpResponse weak = fx_.SendAs(admin, Call{"POST", staff + std::to_string(op_) + "/reset"}.Param("password", "short"));
  EXPECT_EQ(weak.status, 422);
  HttpResponse reset = fx_.SendAs(admin, Call{"POST", staff + std::to_string(op_) + "/reset"}.Param("password", "temporary pass 2026"));
  ASSERT_EQ(reset.status, 200) << reset.body;
  EXPECT_NE(reset.body.find("次のログインで本人が新しいパスワードに変えます。"), std::string::npos);
  EXPECT_FALSE(login(kPassword)) << "the old password is gone";
  auto temporary = login("temporary pass 2026");
  ASSERT_TRUE(temporary);
  HttpResponse page = fx_.SendAs(*temporary, Call{"GET", std::string("/t/") + kOwnTenant + "/console"});
  EXPECT_EQ(page.status, 303);
  EXPECT_EQ(testing::HeaderOf(page, "Location"), "/password");
  HttpResponse api = fx_.SendAs(*temporary, Call{"GET", std::string("/api/v1/t/") + kOwnTenant + "/users"});
  EXPECT_EQ(api.status, 403);
  EXPECT_EQ(Body(api)["error"]["code"], "password_change_required");
  HttpResponse form = fx_.SendAs(*temporary, Call{"GET", "/password"});
  EXPECT_NE(form.body.find("管理者が仮のパスワードを設定しました。"), std::string::npos);
  HttpResponse differ =
      fx_.SendAs(*temporary, Call{"POST", "/password"}.Param("password", "my own pass 2026").Param("password_again", "my own pass 2027"));
  EXPECT_EQ(differ.status, 422);
  EXPECT_NE(differ.body.find("2つのパスワードが同じではありません。"), std::string::npos);
  HttpResponse changed =
      fx_.SendAs(*temporary, Call{"POST", "/password"}.Param("password", "my own pass 2026").Param("password_again", "my own pass 2026"));
  EXPECT_EQ(changed.status, 303);
  EXPECT_EQ(testing::HeaderOf(changed, "Location"), "/login?changed=1");
  EXPECT_NE(fx_.Send(Call{"GET", "/login?changed=1"}).body.find("パスワードを変えました。"), std::string::npos);
  auto own = login("my own pass 2026");
  ASSERT_TRUE(own);
  EXPECT_EQ(fx_.SendAs(*own, Call{"GET", std::string("/t/") + kOwnTenant + "/console"}).status, 200) << "no more detour";
}

// Issue #11, item 21: an admin of several municipalities changes which of them a staff member
// works for — only among the admin's own, never to none; the member's session ends (it carried
// the old municipalities); the change is audited. An admin of one municipality has no such choice.
TEST_F(AuthTest, AnAdminOfSeveralMunicipalitiesChangesWhichOnesAStaffMemberWorksFor) {
  const int64_t wide = fx_.AddUser("pref-admin", Role::kAdmin, {kOwnTenant, testing::kForeignTenant});
  const auto admin = fx_.SessionFor(wide);
  const std::string staff = std::string("/t/") + kOwnTenant + "/staff";
  auto before = fx_.SessionFor(op_);
  HttpResponse page = fx_.SendAs(admin, Call{"GET", staff});
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("name=\"tenant." + std::string(testing::kForeignTenant) + "\" value=\"1\">"), std::string::npos)
      << "a box for each of the admin's municipalities, unticked where the member is not: " << page.body;
  EXPECT_NE(page.body.find("name=\"tenant." + std::string(kOwnTenant) + "\" value=\"1\" checked>"), std::string::npos);

  HttpResponse both = fx_.SendAs(admin, Call{"POST", staff + "/" + std::to_string(op_) + "/tenants"}
                                            .Param(std::string("tenant.") + kOwnTenant, "1")
                                            .Param(std::string("tenant.") + testing::kForeignTenant, "1"));
  ASSERT_EQ(both.status, 200) << both.body;
  EXPECT_NE(both.body.find("の担当の自治体を変えました。"), std::string::npos);
  EXPECT_EQ(fx_.SendAs(before, Call{"GET", "/api/v1/me"}).status, 401) << "the open session carried the old municipalities";
  auto after = fx_.SessionFor(op_);
  auto me = Body(fx_.SendAs(after, Call{"GET", "/api/v1/me"}));
  EXPECT_EQ(me["tenants"], json::array({testing::kForeignTenant, kOwnTenant})) << me.dump();
  EXPECT_EQ(fx_.SendAs(after, Call{"GET", std::string("/t/") + testing::kForeignTenant + "/console"}).status, 200)
      << "now works for the second municipality";

  HttpResponse none = fx_.SendAs(admin, Call{"POST", staff + "/" + std::to_string(op_) + "/tenants"});
  EXPECT_EQ(none.status, 422);
  EXPECT_NE(none.body.find("担当の自治体を1つ以上選んでください。"), std::string::npos) << none.body;
  HttpResponse not_mine = fx_.SendAs(admin, Call{"POST", staff + "/" + std::to_string(op_) + "/tenants"}.Param("tenant.012025", "1"));
  EXPECT_EQ(not_mine.status, 403);
  EXPECT_NE(not_mine.body.find("あなたが担当していない自治体は選べません。"), std::string::npos) << not_mine.body;
  EXPECT_EQ(fx_.SendAs(fx_.SessionFor(op_), Call{"GET", std::string("/t/") + testing::kForeignTenant + "/console"}).status, 200)
      << "a refused change changes nothing";

  // Only the second one: the member leaves this municipality's list.
  HttpResponse moved = fx_.SendAs(
      admin, Call{"POST", staff + "/" + std::to_string(op_) + "/tenants"}.Param(std::string("tenant.") + testing::kForeignTenant, "1"));
  EXPECT_NE(moved.body.find("この自治体の職員の一覧からは外れました。"), std::string::npos);
  EXPECT_EQ(fx_.SendAs(fx_.SessionFor(op_), Call{"GET", std::string("/t/") + kOwnTenant + "/console"}).status, 403);

  // An admin of one municipality sees no boxes.
  HttpResponse single = fx_.SendAs(fx_.SessionFor(admin_), Call{"GET", staff});
  EXPECT_EQ(single.body.find("name=\"tenant."), std::string::npos);
  std::vector<store::AuditEntry> log;
  ASSERT_TRUE(store::WithConnection(fx_.db(), [&](store::Connection& c) -> Status {
                MADOGUCHI_ASSIGN_OR_RETURN(log, store::ListAudit(c, kOwnTenant, 50, 0, {}));
                return Status::Ok();
              }).ok());
  int changes = 0;
  for (const auto& e : log) changes += e.action == "user.tenants" && e.actor_login == "pref-admin";
  EXPECT_EQ(changes, 2);
}

}  // namespace
}  // namespace madoguchi::web
