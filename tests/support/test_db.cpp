#include "support/test_db.hpp"

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <cstdlib>
#include <filesystem>

#include "booking/service.hpp"
#include "common/clock.hpp"
#include "common/crypto.hpp"
#include "store/booking/port.hpp"
#include "store/migrations.hpp"

namespace madoguchi::testing {
namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

bool Exec(const std::string& url, const std::string& sql, std::string* error) {
  PGconn* conn = PQconnectdb(url.c_str());
  bool ok = PQstatus(conn) == CONNECTION_OK;
  if (ok) {
    PGresult* r = PQexec(conn, sql.c_str());
    ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok) *error = PQresultErrorMessage(r);
    PQclear(r);
  } else {
    *error = PQerrorMessage(conn);
  }
  PQfinish(conn);
  return ok;
}

}  // namespace

std::vector<std::string> Backends() {
  // Both, always: test discovery happens at build time, without the test environment.
  // TestDatabase skips (or, when required, fails) PostgreSQL cases if no server is given.
  return {"sqlite", "postgres"};
}

std::string MakeTempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "madoguchi-test-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) return {};
  return tmpl;
}

TestDatabase::TestDatabase(const std::string& backend) : backend_(backend) {
  crypto::InitCrypto();
  if (backend == "sqlite") {
    dir_ = MakeTempDir();
    url_ = "sqlite:" + dir_ + "/test.db";
    return;
  }
  const std::string base = Env("MADOGUCHI_TEST_PG_URL");
  if (base.empty()) {
    skip_reason_ = Env("MADOGUCHI_REQUIRE_PG") == "1"
                       ? "PostgreSQL is required (MADOGUCHI_REQUIRE_PG=1) but MADOGUCHI_TEST_PG_URL is not set"
                       : "MADOGUCHI_TEST_PG_URL is not set; run under `make test` to include PostgreSQL";
    return;
  }
  schema_ = "t_" + crypto::Sha256Hex(crypto::RandomToken(16)).substr(0, 16);
  std::string error;
  if (!Exec(base, "CREATE SCHEMA " + schema_, &error)) {
    skip_reason_ = "PostgreSQL is required but unreachable: " + error;
    return;
  }
  url_ = base + (base.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema_;
}

TestDatabase::~TestDatabase() {
  std::error_code ec;
  if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
  if (!schema_.empty() && !url_.empty()) {
    std::string error;
    Exec(Env("MADOGUCHI_TEST_PG_URL"), "DROP SCHEMA " + schema_ + " CASCADE", &error);
  }
}

std::unique_ptr<store::Database> TestDatabase::Open(bool migrate, store::OpenOptions options) const {
  auto db = store::OpenDatabase(url_, options);
  EXPECT_TRUE(db.ok()) << db.status().ToString();
  if (!db.ok()) return nullptr;
  if (migrate) {
    auto m = store::Migrate(**db);
    EXPECT_TRUE(m.ok()) << m.status().ToString();
  }
  return std::move(db).value();
}

Status ImportResidents(store::Connection& conn, const std::string& tenant, const std::vector<booking::Resident>& list, int64_t now_ms) {
  FakeClock clock(now_ms);
  const booking::BookingService service(clock);
  store::SqlBookingPort port(conn);
  return service.ImportTargetList(port, tenant, list).status();
}

Status RefuseWrites(store::Database& db, const std::string& table, const std::string& event) {
  const std::string name = "refuse_" + table;
  const std::string sql =
      db.backend() == store::Backend::kSqlite
          ? "CREATE TRIGGER " + name + " BEFORE " + event + " ON " + table + " BEGIN SELECT RAISE(ABORT, 'refused'); END;"
          : "CREATE FUNCTION " + name +
                "() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$ LANGUAGE plpgsql; "
                "CREATE TRIGGER " +
                name + " BEFORE " + event + " ON " + table + " FOR EACH ROW EXECUTE FUNCTION " + name + "();";
  return store::InTransaction(db, [&](store::Connection& c) { return c.ExecuteScript(sql); });
}

}  // namespace madoguchi::testing
