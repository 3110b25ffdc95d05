-- LINE: channels per tenant, delivered webhook events, conversations
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
