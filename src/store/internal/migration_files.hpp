// Private to src/store: the schema migrations, as numbered .sql files under src/store/migrations/
// compiled into the binary (so a running server never reads SQL from disk).
//
//   NNNN_words.sql            the migration, for both backends; its first line is "-- what it does"
//   NNNN_words.sqlite.sql     run after it on SQLite only (optional)
//   NNNN_words.postgres.sql   run after it on PostgreSQL only (optional)
//
// `{{id}}` in any of them becomes the backend's auto-increment 64-bit primary key, `{{json}}` its
// JSON column type (JSONB; TEXT on SQLite). Versions run
// 1, 2, 3, ... without gaps. Never edit a file that has shipped: add the next number.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.hpp"

namespace madoguchi::store::internal {

struct SqlFile {
  std::string_view name;  // "0003_booking.sql"
  std::string_view sql;
};

struct Migration {
  int version = 0;
  std::string name;  // the common file's first line, without "-- "
  std::string stem;  // "0003_booking"
  std::string_view common_sql;
  std::optional<std::string_view> sqlite_sql, postgres_sql;
};

// The files compiled in (generated), in any order.
std::span<const SqlFile> EmbeddedMigrationFiles();

// The migrations the files make, by version. Errors: kInternal "bad_migration_files" naming the
// file, for a name not of the forms above, a backend file without its common file, a version
// given twice or missing, or a common file whose first line is not a "-- " description.
Result<std::vector<Migration>> ReadMigrations(std::span<const SqlFile> files);

}  // namespace madoguchi::store::internal
