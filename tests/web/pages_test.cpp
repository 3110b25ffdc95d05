#include <gtest/gtest.h>

#include "support/web_fixture.hpp"

namespace madoguchi::web {
namespace {

using accounts::Role;
using testing::Call;
using testing::kOwnTenant;
using testing::kPassword;
using testing::WebFixture;

class PagesTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(fx_.ready()); }
  WebFixture fx_{"sqlite"};
};

// GET /login, then POST the form with the CSRF cookie and field it handed out.
HttpResponse SubmitLogin(WebFixture& fx, const std::string& login, const std::string& password, const std::string& next = "") {
  HttpResponse form = fx.Send(Call{"GET", "/login"});
  const std::string set = testing::SetCookie(form, WebApp::kLoginCsrfCookie);
  const std::string value = set.substr(set.find('=') + 1, set.find(';') - set.find('=') - 1);
  Call c{"POST", "/login"};
  c.Header("Cookie", std::string(WebApp::kLoginCsrfCookie) + "=" + value);
  c.Param("csrf_token", value).Param("login", login).Param("password", password);
  if (!next.empty()) c.Param("next", next);
  return fx.Send(c);
}

TEST_F(PagesTest, AnonymousVisitorsAreSentToLogin) {
  HttpResponse r = fx_.Send(Call{"GET", "/"});
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(testing::HeaderOf(r, "Location"), "/login?next=/");
  HttpResponse login = fx_.Send(Call{"GET", "/login"});
  EXPECT_EQ(login.status, 200);
  EXPECT_NE(login.body.find("職員ログイン"), std::string::npos);
  EXPECT_NE(login.body.find("name=\"csrf_token\""), std::string::npos);
  EXPECT_NE(testing::HeaderOf(login, "Content-Security-Policy").find("frame-ancestors 'none'"), std::string::npos);
}

TEST_F(PagesTest, LoginFormNeedsItsCsrfToken) {
  fx_.AddUser("op", Role::kOperator, {kOwnTenant});
  Call c{"POST", "/login"};
  c.Param("login", "op").Param("password", kPassword);
  HttpResponse r = fx_.Send(c);
  EXPECT_EQ(r.status, 403);
  EXPECT_TRUE(testing::SetCookie(r, WebApp::kSessionCookie).empty());
}

TEST_F(PagesTest, WrongPasswordShowsAJapaneseMessage) {
  fx_.AddUser("op", Role::kOperator, {kOwnTenant});
  HttpResponse r = SubmitLogin(fx_, "op", "wrong password");
  EXPECT_EQ(r.status, 401);
  EXPECT_NE(r.body.find("ログイン名またはパスワードが違います。"), std::string::npos);
  EXPECT_NE(r.body.find("value=\"op\""), std::string::npos);  // the login is kept, the password is not
}

TEST_F(PagesTest, LoginThenHomeThenLogout) {
  fx_.AddUser("op", Role::kOperator, {kOwnTenant});
  HttpResponse r = SubmitLogin(fx_, "op", kPassword, "/");
  ASSERT_EQ(r.status, 303);
  const std::string set = testing::SetCookie(r, WebApp::kSessionCookie);
  ASSERT_FALSE(set.empty());
  const std::string cookie = set.substr(0, set.find(';'));
  HttpResponse home = fx_.Send(Call{"GET", "/"}.Header("Cookie", cookie));
  ASSERT_EQ(home.status, 200);
  EXPECT_NE(home.body.find("ようこそ、op さん"), std::string::npos);
  EXPECT_NE(home.body.find("日南市"), std::string::npos);
  EXPECT_EQ(home.body.find("千代田区"), std::string::npos);
  EXPECT_EQ(testing::HeaderOf(home, "Cache-Control"), "no-store");

  // Logout without the CSRF field is refused and the session stays.
  HttpResponse forged = fx_.Send(Call{"POST", "/logout"}.Header("Cookie", cookie));
  EXPECT_EQ(forged.status, 403);
  EXPECT_EQ(fx_.Send(Call{"GET", "/"}.Header("Cookie", cookie)).status, 200);
  const std::string csrf = home.body.substr(home.body.find("name=\"csrf_token\" value=\"") + 25, 32);
  // Issue #9, item 11: a value matching a double-submit cookie is not the session's token, and
  // the session's token in the URL is not accepted either.
  HttpResponse cookie_match = fx_.Send(Call{"POST", "/logout"}
                                           .Header("Cookie", cookie + "; " + WebApp::kLoginCsrfCookie + "=forged-value-1234")
                                           .Param("csrf_token", "forged-value-1234"));
  EXPECT_EQ(cookie_match.status, 403);
  EXPECT_EQ(fx_.Send(Call{"POST", "/logout?csrf_token=" + csrf}.Header("Cookie", cookie)).status, 403);
  EXPECT_EQ(fx_.Send(Call{"GET", "/"}.Header("Cookie", cookie)).status, 200) << "the session is still there";
  // With it, in the body, the session ends.
  HttpResponse out = fx_.Send(Call{"POST", "/logout"}.Header("Cookie", cookie).Param("csrf_token", csrf));
  EXPECT_EQ(out.status, 303);
  EXPECT_EQ(fx_.Send(Call{"GET", "/"}.Header("Cookie", cookie)).status, 303);
}

TEST_F(PagesTest, LoginNeverRedirectsOffSite) {
  fx_.AddUser("op", Role::kOperator, {kOwnTenant});
  // Issue #9 item 9: /%09/evil.example (a tab, which browsers drop) and other ways to another site.
  for (const char* next : {"//evil.example/", "https://evil.example/", "/\\evil.example", "/\t/evil.example", "/\n/evil.example",
                           "/\r\n/evil.example", "/ /evil.example"}) {
    HttpResponse r = SubmitLogin(fx_, "op", kPassword, next);
    ASSERT_EQ(r.status, 303);
    EXPECT_EQ(testing::HeaderOf(r, "Location"), "/") << next;
  }
}

TEST_F(PagesTest, AuditPageEscapesWhatItShows) {
  const int64_t admin = fx_.AddUser("admin", Role::kAdmin, {kOwnTenant});
  auto session = fx_.SessionFor(admin);
  // A failed login with a hostile login name lands in the audit log as a record.
  fx_.Send(Call{"POST", "/api/v1/session"}.Json({{"login", "<script>alert(1)</script>"}, {"password", "x"}}));
  fx_.Send(Call{"POST", "/api/v1/session"}.Json({{"login", "admin"}, {"password", "wrong one!"}}));
  HttpResponse page = fx_.SendAs(session, Call{"GET", std::string("/t/") + kOwnTenant + "/audit"});
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<td>ログインの失敗</td>"), std::string::npos);
  EXPECT_EQ(page.body.find("session.login_failed</td>"), std::string::npos) << "the code stays in the CSV and the API";
  EXPECT_EQ(page.body.find("<script>"), std::string::npos);
  HttpResponse csv = fx_.SendAs(session, Call{"GET", std::string("/t/") + kOwnTenant + "/audit.csv"});
  ASSERT_EQ(csv.status, 200);
  EXPECT_TRUE(
      csv.body.starts_with("\xEF\xBB\xBF"
                           "id,"));
  EXPECT_NE(testing::HeaderOf(csv, "Content-Disposition").find("audit-452041.csv"), std::string::npos);
}

// Issue #11, item 21: the audit page was in English codes with the newest 200 only. It is in
// Japanese, narrowed by who, action and day, paged backwards; the CSV follows the filters.
TEST_F(PagesTest, TheAuditPageFiltersByWhoActionAndDayAndPages) {
  const int64_t admin = fx_.AddUser("kanri", Role::kAdmin, {kOwnTenant});
  fx_.AddUser("suzuki", Role::kOperator, {kOwnTenant});
  auto session = fx_.SessionFor(admin);
  for (int i = 0; i < 3; ++i) fx_.Send(Call{"POST", "/api/v1/session"}.Json({{"login", "suzuki"}, {"password", "wrong one!"}}));
  const std::string page = std::string("/t/") + kOwnTenant + "/audit";
  HttpResponse failed = fx_.SendAs(session, Call{"GET", page}.Param("action", "session.login_failed"));
  ASSERT_EQ(failed.status, 200) << failed.body;
  size_t rows = 0;
  for (size_t at = failed.body.find("<td>ログインの失敗</td>"); at != std::string::npos;
       at = failed.body.find("<td>ログインの失敗</td>", at + 1))
    ++rows;
  EXPECT_EQ(rows, 3u);
  EXPECT_EQ(failed.body.find("<td>職員の追加</td>"), std::string::npos) << "only the action asked for";
  EXPECT_NE(failed.body.find("<option value=\"session.login_failed\" selected>ログインの失敗</option>"), std::string::npos);
  EXPECT_NE(failed.body.find("audit.csv?action=session.login_failed"), std::string::npos) << "the CSV keeps the filter";
  HttpResponse csv = fx_.SendAs(session, Call{"GET", page + ".csv"}.Param("action", "session.login_failed"));
  size_t lines = 0;
  for (char c : csv.body) lines += c == '\n';
  EXPECT_EQ(lines, 1u + 3u) << csv.body;
  // By who: kanri's own reads of the log, none of suzuki's failures.
  HttpResponse mine = fx_.SendAs(session, Call{"GET", page}.Param("who", "kanri"));
  EXPECT_NE(mine.body.find("<td>監査ログの閲覧</td>"), std::string::npos);
  EXPECT_EQ(mine.body.find("<td>ログインの失敗</td>"), std::string::npos);
  // By day: the fake clock's day has them; the day before has none.
  const std::string today = FormatIsoDate(JapanDay(fx_.clock().NowMs()));
  const std::string yesterday = FormatIsoDate(JapanDay(fx_.clock().NowMs()) - std::chrono::days{1});
  EXPECT_NE(fx_.SendAs(session, Call{"GET", page}.Param("from", today).Param("to", today)).body.find("<td>ログインの失敗</td>"),
            std::string::npos);
  EXPECT_NE(fx_.SendAs(session, Call{"GET", page}.Param("to", yesterday)).body.find("この条件の記録はありません。"), std::string::npos);
  // A bad filter is said in Japanese.
  HttpResponse bad = fx_.SendAs(session, Call{"GET", page}.Param("action", "drop table"));
  EXPECT_EQ(bad.status, 422);
  EXPECT_NE(bad.body.find("その操作は一覧にありません。"), std::string::npos);
  // Paging: 100 a page, then もっと古い記録を見る.
  for (int i = 0; i < 120; ++i) fx_.SendAs(session, Call{"GET", page});
  HttpResponse first = fx_.SendAs(session, Call{"GET", page}.Param("who", "kanri"));
  const size_t more = first.body.find("/audit?who=kanri&amp;before=");
  ASSERT_NE(more, std::string::npos) << "a link to older entries";
  const std::string before = first.body.substr(more + std::string("/audit?who=kanri&amp;before=").size(),
                                               first.body.find('"', more) - more - std::string("/audit?who=kanri&amp;before=").size());
  HttpResponse older = fx_.SendAs(session, Call{"GET", page}.Param("who", "kanri").Param("before", before));
  EXPECT_EQ(older.status, 200);
  EXPECT_NE(older.body.find("最新の記録にもどる"), std::string::npos);
}

TEST_F(PagesTest, UnknownPagesAndMethodsAreFriendly) {
  HttpResponse missing = fx_.Send(Call{"GET", "/no/such/page"});
  EXPECT_EQ(missing.status, 404);
  EXPECT_NE(missing.body.find("ページが見つかりません"), std::string::npos);
  HttpResponse method = fx_.Send(Call{"PUT", "/api/v1/me"});
  EXPECT_EQ(method.status, 405);
  EXPECT_EQ(testing::HeaderOf(method, "Allow"), "GET");
  EXPECT_EQ(fx_.Send(Call{"GET", "/api/v1/nothing"}).status, 404);
}

}  // namespace
}  // namespace madoguchi::web
