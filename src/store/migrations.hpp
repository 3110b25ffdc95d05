// src/store/migrations.hpp — versioned schema migrations, the same meaning on both backends.
//
// Each migration runs in its own transaction and is recorded in schema_migrations. Concurrent
// callers (several `serve` processes starting at once) are serialized: PostgreSQL by an
// advisory lock, SQLite by BEGIN IMMEDIATE. Applying is idempotent.
#pragma once

#include "store/database.hpp"

namespace madoguchi::store {

struct MigrationReport {
  int from_version = 0;  // schema version found
  int to_version = 0;    // schema version now
  int applied = 0;       // migrations applied by this call
};

// Brings the schema to the newest version. Errors: whatever the database reports; a failed
// migration leaves the schema at the previous version.
Result<MigrationReport> Migrate(Database& db);
// Only as far as version `up_to` (tests of a later migration's treatment of older data).
Result<MigrationReport> Migrate(Database& db, int up_to);

// The version the database is at (0 before any migration). For health checks.
Result<int> SchemaVersion(Connection& conn);

// The newest version this binary knows.
int LatestSchemaVersion();

}  // namespace madoguchi::store
