// tests/support/web_fixture.hpp — a WebApp over a fresh database with two tenants, a FakeClock,
// and helpers to make staff users, sessions and requests without sockets.
#pragma once

#include <nlohmann/json.hpp>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "accounts/accounts.hpp"
#include "common/clock.hpp"
#include "support/test_db.hpp"
#include "web/web_app.hpp"

namespace madoguchi::testing {

inline constexpr const char* kOwnTenant = "452041";      // 日南市
inline constexpr const char* kForeignTenant = "131016";  // 千代田区
inline constexpr const char* kPassword = "correct-horse-battery";

struct Call {
  std::string method = "GET";
  std::string path = "/";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::multimap<std::string, std::string> params;
  std::set<std::string> file_fields;  // params that are uploaded files' bytes (as a multipart body marks them)
  std::string remote_addr = "192.0.2.10";
  bool residents_only = false;  // as the public listener marks requests when a staff listener exists

  Call& Json(const nlohmann::json& j) {
    body = j.dump();
    headers.emplace_back("Content-Type", "application/json");
    return *this;
  }
  Call& Header(std::string k, std::string v) {
    headers.emplace_back(std::move(k), std::move(v));
    return *this;
  }
  Call& Param(std::string k, std::string v) {
    params.emplace(std::move(k), std::move(v));
    return *this;
  }
};

struct Session {
  std::string cookie;  // "madoguchi_session=..."
  std::string csrf;
};

class WebFixture {
 public:
  // `line_api_base`: where the LINE client sends (a stand-in in tests; nothing listens by default).
  explicit WebFixture(const std::string& backend, web::WebSettings settings = {}, std::string line_api_base = "http://127.0.0.1:9");
  ~WebFixture();

  const TestDatabase& test_db() const { return tdb_; }
  bool ready() const { return app_ != nullptr; }
  store::Database& db() { return *db_; }
  web::WebApp& app() { return *app_; }
  FakeClock& clock() { return clock_; }
  // Where this fixture's WebApp keeps residents' photos (removed with the fixture).
  const std::string& files_dir() const { return files_dir_; }

  // A staff user with password kPassword; returns its id.
  int64_t AddUser(const std::string& login, accounts::Role role, const std::vector<std::string>& tenants);
  // A session made directly in the store (no Argon2 on the way).
  Session SessionFor(int64_t user_id);
  // An API token made directly in the store.
  std::string TokenFor(int64_t user_id);

  web::HttpResponse Send(const Call& call);
  // The actions of the tenant's audit log, newest first (at most 100).
  std::vector<std::string> AuditActions(const std::string& tenant);
  // Send() with the session's cookie (and its CSRF token as a form field for pages).
  web::HttpResponse SendAs(const Session& session, Call call);

 private:
  TestDatabase tdb_;
  FakeClock clock_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<store::BatchWriter> writer_;
  std::unique_ptr<channels::LineClient> line_;
  std::unique_ptr<web::WebApp> app_;
  std::string files_dir_;
};

// The Set-Cookie header of `r` for cookie `name`, or "".
std::string SetCookie(const web::HttpResponse& r, const std::string& name);
// The value of header `name`, or "".
std::string HeaderOf(const web::HttpResponse& r, const std::string& name);

}  // namespace madoguchi::testing
