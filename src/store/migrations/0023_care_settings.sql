-- a tenant's own home-care settings (store/care/settings.hpp): the check-in's time and deadlines
-- and its triage rule set, as a file in the documented format (docs/care.md). No row: the defaults.
CREATE TABLE care_settings (
  tenant_code          TEXT PRIMARY KEY REFERENCES tenants(code),
  check_in_minute      BIGINT NOT NULL,
  remind_after_minutes BIGINT NOT NULL,
  call_after_minutes   BIGINT NOT NULL,
  triage_rules         TEXT NOT NULL,
  updated_at           BIGINT NOT NULL
);
