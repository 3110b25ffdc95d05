#include "store/migrations.hpp"

#include <chrono>
#include <string>

namespace madoguchi::store {
namespace {

// `{{id}}` becomes the backend's auto-increment 64-bit primary key. Times are Unix ms (BIGINT).
// Never edit a migration that has shipped: add a new one.
struct Migration {
  int version;
  const char* name;
  const char* common_sql;
  const char* sqlite_sql;
  const char* postgres_sql;
};

const Migration kMigrations[] = {
    {1, "tenants, staff accounts, sessions, API tokens, login throttling, audit log",
     R"sql(
CREATE TABLE tenants (
  code        TEXT PRIMARY KEY CHECK (length(code) = 6),
  name        TEXT NOT NULL,
  created_at  BIGINT NOT NULL
);
CREATE TABLE users (
  id             {{id}},
  login          TEXT NOT NULL UNIQUE,
  display_name   TEXT NOT NULL,
  role           TEXT NOT NULL CHECK (role IN ('admin','supervisor','operator','doctor','city_staff')),
  password_hash  TEXT NOT NULL,
  disabled       BIGINT NOT NULL DEFAULT 0,
  created_at     BIGINT NOT NULL
);
CREATE TABLE user_tenants (
  user_id      BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  tenant_code  TEXT NOT NULL REFERENCES tenants(code),
  PRIMARY KEY (user_id, tenant_code)
);
CREATE INDEX user_tenants_by_tenant ON user_tenants(tenant_code);
CREATE TABLE sessions (
  token_hash    TEXT PRIMARY KEY,
  user_id       BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token    TEXT NOT NULL,
  created_at    BIGINT NOT NULL,
  last_seen_at  BIGINT NOT NULL,
  expires_at    BIGINT NOT NULL,
  source_addr   TEXT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions(user_id);
CREATE INDEX sessions_by_expiry ON sessions(expires_at);
CREATE TABLE api_tokens (
  id            {{id}},
  user_id       BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name          TEXT NOT NULL,
  token_hash    TEXT NOT NULL UNIQUE,
  created_at    BIGINT NOT NULL,
  revoked_at    BIGINT,
  last_used_at  BIGINT
);
CREATE TABLE login_failures (
  id           {{id}},
  login        TEXT NOT NULL,
  source_addr  TEXT NOT NULL,
  at           BIGINT NOT NULL
);
CREATE INDEX login_failures_by_login ON login_failures(login, at);
CREATE INDEX login_failures_by_addr ON login_failures(source_addr, at);
CREATE TABLE audit_log (
  id             {{id}},
  at             BIGINT NOT NULL,
  actor_user_id  BIGINT,
  actor_login    TEXT NOT NULL,
  actor_role     TEXT NOT NULL,
  tenant_code    TEXT,
  action         TEXT NOT NULL,
  record         TEXT NOT NULL,
  source_addr    TEXT NOT NULL,
  request_id     TEXT NOT NULL
);
CREATE INDEX audit_by_tenant ON audit_log(tenant_code, id);
CREATE INDEX audit_by_actor ON audit_log(actor_user_id, id);
)sql",
     // The audit log is append-only: the database itself refuses UPDATE and DELETE.
     R"sql(
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
)sql",
     R"sql(
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
)sql"},
    {2, "saved staffing plans (scenario, summary, report) per tenant",
     R"sql(
CREATE TABLE plans (
  id             {{id}},
  tenant_code    TEXT NOT NULL REFERENCES tenants(code),
  name           TEXT NOT NULL,
  created_at     BIGINT NOT NULL,
  created_by     BIGINT NOT NULL REFERENCES users(id),
  scenario_json  TEXT NOT NULL,
  history_csv    TEXT,
  summary_json   TEXT NOT NULL,
  report_html    TEXT NOT NULL,
  plan_csv       TEXT NOT NULL,
  plan_json      TEXT NOT NULL
);
CREATE INDEX plans_by_tenant ON plans(tenant_code, id);
)sql",
     nullptr, nullptr},
    {3, "vaccination booking: residents, venues, slots, bookings, vaccinations, waitlist, outbox, idempotency, call records",
     R"sql(
CREATE TABLE residents (
  id              {{id}},
  tenant_code     TEXT NOT NULL REFERENCES tenants(code),
  address_number  TEXT NOT NULL,
  ticket_number   TEXT NOT NULL,
  name            TEXT NOT NULL,
  name_kana       TEXT NOT NULL,
  kana_compact    TEXT NOT NULL,
  birth_date      TEXT NOT NULL,
  address         TEXT NOT NULL,
  phone           TEXT NOT NULL,
  phone_digits    TEXT NOT NULL,
  created_at      BIGINT NOT NULL,
  updated_at      BIGINT NOT NULL,
  UNIQUE (tenant_code, ticket_number),
  UNIQUE (tenant_code, address_number)
);
CREATE INDEX residents_by_kana ON residents(tenant_code, kana_compact);
CREATE INDEX residents_by_phone ON residents(tenant_code, phone_digits);
CREATE TABLE venues (
  id           {{id}},
  tenant_code  TEXT NOT NULL REFERENCES tenants(code),
  name         TEXT NOT NULL,
  address      TEXT NOT NULL,
  created_at   BIGINT NOT NULL
);
CREATE TABLE slots (
  id           {{id}},
  tenant_code  TEXT NOT NULL REFERENCES tenants(code),
  venue_id     BIGINT NOT NULL REFERENCES venues(id),
  starts_at    BIGINT NOT NULL,
  ends_at      BIGINT NOT NULL,
  capacity     BIGINT NOT NULL CHECK (capacity > 0),
  booked       BIGINT NOT NULL DEFAULT 0,
  vaccine      TEXT NOT NULL,
  dose         BIGINT NOT NULL,
  created_at   BIGINT NOT NULL,
  CHECK (booked >= 0 AND booked <= capacity)
);
CREATE INDEX slots_by_time ON slots(tenant_code, starts_at);
CREATE TABLE bookings (
  id                 {{id}},
  tenant_code        TEXT NOT NULL REFERENCES tenants(code),
  resident_id        BIGINT NOT NULL REFERENCES residents(id),
  dose               BIGINT NOT NULL,
  slot_id            BIGINT NOT NULL REFERENCES slots(id),
  state              TEXT NOT NULL CHECK (state IN ('booked','checked_in','vaccinated','cancelled','no_show')),
  channel            TEXT NOT NULL CHECK (channel IN ('web','phone','line','api')),
  confirmation_code  TEXT NOT NULL,
  created_by         BIGINT REFERENCES users(id),
  created_at         BIGINT NOT NULL,
  updated_at         BIGINT NOT NULL,
  UNIQUE (tenant_code, confirmation_code)
);
CREATE UNIQUE INDEX bookings_one_active ON bookings(tenant_code, resident_id, dose) WHERE state IN ('booked','checked_in');
CREATE INDEX bookings_by_slot ON bookings(slot_id);
CREATE INDEX bookings_by_resident ON bookings(resident_id);
CREATE TABLE vaccinations (
  id            {{id}},
  tenant_code   TEXT NOT NULL REFERENCES tenants(code),
  resident_id   BIGINT NOT NULL REFERENCES residents(id),
  dose          BIGINT NOT NULL,
  vaccinated_on TEXT NOT NULL,
  vaccine       TEXT NOT NULL,
  lot           TEXT NOT NULL DEFAULT '',
  venue_name    TEXT NOT NULL DEFAULT '',
  doctor_name   TEXT NOT NULL DEFAULT '',
  source        TEXT NOT NULL CHECK (source IN ('booking','vrs')),
  booking_id    BIGINT REFERENCES bookings(id),
  recorded_at   BIGINT NOT NULL,
  UNIQUE (tenant_code, resident_id, dose)
);
CREATE TABLE waitlist (
  id              {{id}},
  tenant_code     TEXT NOT NULL REFERENCES tenants(code),
  resident_id     BIGINT NOT NULL REFERENCES residents(id),
  dose            BIGINT NOT NULL,
  venue_id        BIGINT REFERENCES venues(id),
  state           TEXT NOT NULL CHECK (state IN ('waiting','offered','closed')),
  offered_slot_id BIGINT REFERENCES slots(id),
  created_at      BIGINT NOT NULL,
  offered_at      BIGINT
);
CREATE INDEX waitlist_waiting ON waitlist(tenant_code, state, id);
CREATE TABLE outbox (
  id           {{id}},
  tenant_code  TEXT NOT NULL REFERENCES tenants(code),
  kind         TEXT NOT NULL,
  booking_id   BIGINT REFERENCES bookings(id),
  resident_id  BIGINT REFERENCES residents(id),
  channel      TEXT NOT NULL,
  payload      TEXT NOT NULL,
  due_at       BIGINT NOT NULL,
  state        TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','sent','cancelled','failed')),
  attempts     BIGINT NOT NULL DEFAULT 0,
  created_at   BIGINT NOT NULL,
  sent_at      BIGINT
);
CREATE INDEX outbox_due ON outbox(state, due_at);
CREATE INDEX outbox_by_booking ON outbox(booking_id);
CREATE TABLE idempotency_keys (
  tenant_code   TEXT NOT NULL,
  idem_key      TEXT NOT NULL,
  request_hash  TEXT NOT NULL,
  status        BIGINT NOT NULL,
  body          TEXT NOT NULL,
  created_at    BIGINT NOT NULL,
  PRIMARY KEY (tenant_code, idem_key)
);
CREATE TABLE call_records (
  id           {{id}},
  tenant_code  TEXT NOT NULL REFERENCES tenants(code),
  user_id      BIGINT NOT NULL REFERENCES users(id),
  resident_id  BIGINT REFERENCES residents(id),
  category     TEXT NOT NULL,
  started_at   BIGINT NOT NULL,
  handle_sec   BIGINT NOT NULL,
  note         TEXT NOT NULL DEFAULT '',
  created_at   BIGINT NOT NULL
);
CREATE INDEX call_records_by_time ON call_records(tenant_code, started_at);
CREATE TABLE tenant_settings (
  tenant_code  TEXT PRIMARY KEY REFERENCES tenants(code),
  rules_json   TEXT NOT NULL,
  updated_at   BIGINT NOT NULL
);
CREATE TABLE server_secrets (
  name        TEXT PRIMARY KEY,
  value       TEXT NOT NULL,
  created_at  BIGINT NOT NULL
);
)sql",
     nullptr, nullptr},
    {4, "LINE: channels per tenant, delivered webhook events, conversations",
     R"sql(
CREATE TABLE line_channels (
  tenant_code     TEXT PRIMARY KEY REFERENCES tenants(code),
  channel_secret  TEXT NOT NULL,
  access_token    TEXT NOT NULL,
  updated_at      BIGINT NOT NULL
);
CREATE TABLE line_events (
  tenant_code       TEXT NOT NULL,
  webhook_event_id  TEXT NOT NULL,
  received_at       BIGINT NOT NULL,
  PRIMARY KEY (tenant_code, webhook_event_id)
);
CREATE TABLE line_users (
  tenant_code   TEXT NOT NULL REFERENCES tenants(code),
  line_user_id  TEXT NOT NULL,
  state         TEXT NOT NULL,
  ticket        TEXT NOT NULL DEFAULT '',
  resident_id   BIGINT REFERENCES residents(id),
  updated_at    BIGINT NOT NULL,
  PRIMARY KEY (tenant_code, line_user_id)
);
)sql",
     nullptr, nullptr},
    {5, "throttles in the database (guesses by subject and source), residents' sessions, API token expiry and scope",
     R"sql(
DROP TABLE login_failures;
CREATE TABLE guess_failures (
  id       {{id}},
  scope    TEXT NOT NULL CHECK (scope IN ('staff','resident')),
  subject  TEXT NOT NULL,
  source   TEXT NOT NULL,
  at       BIGINT NOT NULL
);
CREATE INDEX guess_failures_by_subject ON guess_failures(scope, subject, at);
CREATE INDEX guess_failures_by_source ON guess_failures(scope, source, at);
CREATE INDEX guess_failures_by_at ON guess_failures(at);
CREATE TABLE resident_sessions (
  token_hash   TEXT PRIMARY KEY,
  tenant_code  TEXT NOT NULL REFERENCES tenants(code),
  resident_id  BIGINT NOT NULL REFERENCES residents(id),
  created_at   BIGINT NOT NULL,
  expires_at   BIGINT NOT NULL
);
CREATE INDEX resident_sessions_by_expiry ON resident_sessions(expires_at);
ALTER TABLE api_tokens ADD COLUMN expires_at BIGINT;
ALTER TABLE api_tokens ADD COLUMN scope TEXT NOT NULL DEFAULT 'full' CHECK (scope IN ('full','read'));
UPDATE api_tokens SET expires_at = created_at + 7776000000 WHERE expires_at IS NULL;
CREATE INDEX audit_by_actor_at ON audit_log(actor_user_id, at);
CREATE INDEX audit_platform ON audit_log(id) WHERE tenant_code IS NULL;
)sql",
     nullptr, nullptr},
    // Residents act without a staff account: their rows (most of the log in a rush) need no entry
    // in the index that counts a staff member's look-ups, and the single writer no longer keeps one.
    {6, "the staff look-up index covers staff rows only",
     R"sql(
DROP INDEX audit_by_actor_at;
CREATE INDEX audit_by_actor_at ON audit_log(actor_user_id, at) WHERE actor_user_id IS NOT NULL;
)sql",
     nullptr, nullptr},
};

std::string Render(const char* sql, Backend backend) {
  std::string out = sql;
  const std::string id = backend == Backend::kSqlite ? "INTEGER PRIMARY KEY"
                                                     : "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";
  for (size_t pos; (pos = out.find("{{id}}")) != std::string::npos;) out.replace(pos, 6, id);
  return out;
}

Result<int> CurrentVersion(Connection& conn) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
  return static_cast<int>(rows.at(0).Int(0));
}

// Inside an open transaction: take the migration lock and make sure the bookkeeping table exists.
Status LockAndPrepare(Connection& conn) {
  if (conn.backend() == Backend::kPostgres) {
    MADOGUCHI_RETURN_IF_ERROR(conn.Query("SELECT pg_advisory_xact_lock(7319000)").status());
  }
  return conn.ExecuteScript(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, "
      "applied_at BIGINT NOT NULL)");
}

}  // namespace

Result<int> SchemaVersion(Connection& conn) { return CurrentVersion(conn); }

int LatestSchemaVersion() { return kMigrations[std::size(kMigrations) - 1].version; }

Result<MigrationReport> Migrate(Database& db) {
  MigrationReport report;
  bool first = true;
  for (const Migration& m : kMigrations) {
    bool applied = false;
    Status s = InTransaction(db, [&](Connection& conn) -> Status {
      applied = false;
      MADOGUCHI_RETURN_IF_ERROR(LockAndPrepare(conn));
      MADOGUCHI_ASSIGN_OR_RETURN(int version, CurrentVersion(conn));
      if (first) report.from_version = version;
      if (version >= m.version) return Status::Ok();
      MADOGUCHI_RETURN_IF_ERROR(conn.ExecuteScript(Render(m.common_sql, conn.backend())));
      const char* specific = conn.backend() == Backend::kSqlite ? m.sqlite_sql : m.postgres_sql;
      if (specific != nullptr) MADOGUCHI_RETURN_IF_ERROR(conn.ExecuteScript(specific));
      const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count();
      MADOGUCHI_RETURN_IF_ERROR(conn.Query("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                                           {int64_t{m.version}, std::string(m.name), now})
                                    .status());
      applied = true;
      return Status::Ok();
    });
    if (!s.ok()) {
      return Status(s.code(), "migration_failed",
                    "migration " + std::to_string(m.version) + " (" + m.name + ") failed: " + s.message());
    }
    first = false;
    if (applied) ++report.applied;
  }
  report.to_version = LatestSchemaVersion();
  return report;
}

}  // namespace madoguchi::store
