-- tenants, staff accounts, sessions, API tokens, login throttling, audit log
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
