-- throttles in the database (guesses by subject and source), residents' sessions, API token expiry and scope
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
