#include "support/web_fixture.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "common/crypto.hpp"
#include "store/accounts/accounts.hpp"
#include "store/audit/audit_log.hpp"

namespace madoguchi::testing {

WebFixture::WebFixture(const std::string& backend, web::WebSettings settings, std::string line_api_base) : tdb_(backend) {
  if (tdb_.url().empty()) return;
  db_ = tdb_.Open();
  if (!db_) return;
  Status s = store::InTransaction(*db_, [&](store::Connection& conn) -> Status {
    MADOGUCHI_RETURN_IF_ERROR(store::InsertTenant(conn, {kOwnTenant, "日南市", clock_.NowMs()}));
    return store::InsertTenant(conn, {kForeignTenant, "千代田区", clock_.NowMs()});
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
  settings.password_cost = crypto::PasswordCost::kMinimalForTest;
  settings.log_requests = false;
  auto secret = web::LoadSigningSecret(*db_, clock_);
  EXPECT_TRUE(secret.ok()) << secret.status().ToString();
  if (!secret.ok()) return;
  writer_ = std::make_unique<store::BatchWriter>(*db_, store::DefaultBatchWriterOptions(*db_));
  line_ = std::make_unique<channels::LineClient>(channels::LineClientOptions{std::move(line_api_base)});
  files_dir_ = (std::filesystem::temp_directory_path() / ("madoguchi-files-" + crypto::RandomToken(8))).string();
  app_ = std::make_unique<web::WebApp>(web::WebParts{*db_, clock_, *writer_, *line_, *secret, files_dir_}, settings);
}

WebFixture::~WebFixture() {
  app_.reset();
  writer_.reset();
  line_.reset();
  db_.reset();
  if (!files_dir_.empty()) std::filesystem::remove_all(files_dir_);
}

int64_t WebFixture::AddUser(const std::string& login, accounts::Role role, const std::vector<std::string>& tenants) {
  auto hash = crypto::HashPassword(kPassword, crypto::PasswordCost::kMinimalForTest);
  int64_t id = 0;
  Status s = store::InTransaction(*db_, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(id, store::InsertUser(conn, {login, login, role, *hash, tenants, clock_.NowMs()}));
    return Status::Ok();
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
  return id;
}

Session WebFixture::SessionFor(int64_t user_id) {
  const std::string token = crypto::RandomToken(32);
  const std::string csrf = crypto::RandomToken(24);
  const int64_t now = clock_.NowMs();
  Status s = store::WithConnection(*db_, [&](store::Connection& conn) {
    return store::InsertSession(conn, {crypto::Sha256Hex(token), user_id, csrf, now, now, now + 3'600'000, "test"});
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
  return {std::string(web::WebApp::kSessionCookie) + "=" + token, csrf};
}

std::string WebFixture::TokenFor(int64_t user_id) {
  const std::string token = "mdg_" + crypto::RandomToken(32);
  Status s = store::WithConnection(*db_, [&](store::Connection& conn) {
    return store::InsertApiToken(conn, user_id, "test", crypto::Sha256Hex(token), clock_.NowMs(), clock_.NowMs() + 90LL * 86'400'000,
                                 accounts::TokenScope::kFull)
        .status();
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
  return token;
}

web::HttpResponse WebFixture::Send(const Call& call) {
  web::HttpRequest r;
  r.method = call.method;
  r.path = call.path;
  r.body = call.body;
  r.params = call.params;
  r.file_fields = call.file_fields;
  // A query string in the path becomes parameters, as the HTTP listener does.
  if (const size_t q = r.path.find('?'); q != std::string::npos) {
    const std::string query = r.path.substr(q + 1);
    r.path.resize(q);
    web::ParseQueryString(query, r.params);
    web::ParseQueryString(query, r.query);
  }
  r.remote_addr = call.remote_addr;
  r.residents_only = call.residents_only;
  for (const auto& [k, v] : call.headers) r.headers.emplace(k, v);
  return app_->Handle(std::move(r));
}

web::HttpResponse WebFixture::SendAs(const Session& session, Call call) {
  call.headers.emplace_back("Cookie", session.cookie);
  if (!call.path.starts_with("/api/") && call.method != "GET") call.params.emplace("csrf_token", session.csrf);
  return Send(call);
}

std::string SetCookie(const web::HttpResponse& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == "Set-Cookie" && v.starts_with(name + "=")) return v;
  }
  return {};
}

std::string HeaderOf(const web::HttpResponse& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return {};
}

std::vector<std::string> WebFixture::AuditActions(const std::string& tenant) {
  std::vector<std::string> actions;
  EXPECT_TRUE(store::WithConnection(db(), [&](store::Connection& c) -> Status {
                MADOGUCHI_ASSIGN_OR_RETURN(auto log, store::ListAudit(c, tenant, 100, 0, {}));
                for (const auto& e : log) actions.push_back(e.action);
                return Status::Ok();
              }).ok());
  return actions;
}

}  // namespace madoguchi::testing
