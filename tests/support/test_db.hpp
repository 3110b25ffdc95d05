// tests/support/test_db.hpp — fresh databases for tests, on every backend available.
//
// SQLite: a new file in a temporary directory. PostgreSQL: a new schema in the database named by
// MADOGUCHI_TEST_PG_URL (make test starts a throwaway cluster and sets it). When that variable is
// missing the PostgreSQL cases are skipped, unless MADOGUCHI_REQUIRE_PG=1 (set by make test), in
// which case they fail.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "booking/booking.hpp"
#include "store/database.hpp"

namespace madoguchi::testing {

// "sqlite" and "postgres".
std::vector<std::string> Backends();

class TestDatabase {
 public:
  // Creates an empty database for `backend`; on failure (or a skipped backend) url() is empty
  // and skip_reason() says why.
  explicit TestDatabase(const std::string& backend);
  ~TestDatabase();
  const std::string& url() const { return url_; }
  const std::string& skip_reason() const { return skip_reason_; }
  // Opens it (and migrates when `migrate`). REQUIRES: url() not empty.
  std::unique_ptr<store::Database> Open(bool migrate = true, store::OpenOptions options = {}) const;

 private:
  std::string backend_;
  std::string url_;
  std::string dir_;     // sqlite
  std::string schema_;  // postgres
  std::string skip_reason_;
};

// A fresh empty directory under the system temp dir.
std::string MakeTempDir();

// Puts `list` on the municipality's target list the way the server does (the booking core's
// import on the SQL port), inside the caller's transaction.
Status ImportResidents(store::Connection& conn, const std::string& tenant, const std::vector<booking::Resident>& list, int64_t now_ms);

// Makes the database refuse every `event` ("INSERT" or "UPDATE") on `table` from now on (a
// trigger on either backend): how a test shows that a failed write is not ignored.
Status RefuseWrites(store::Database& db, const std::string& table, const std::string& event);

}  // namespace madoguchi::testing

// Skips (or fails, when PostgreSQL is required) a test whose database could not be made.
#define MADOGUCHI_REQUIRE_DB(tdb)                                      \
  do {                                                                 \
    if ((tdb).url().empty()) {                                         \
      if ((tdb).skip_reason().find("required") != std::string::npos) { \
        FAIL() << (tdb).skip_reason();                                 \
      }                                                                \
      GTEST_SKIP() << (tdb).skip_reason();                             \
    }                                                                  \
  } while (0)
