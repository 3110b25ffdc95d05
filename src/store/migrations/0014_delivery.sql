-- delivery: messages get a worker's lease, retries, the gateway's parts, cost and reports; numbers that asked to be left alone; each tenant's sending settings
-- The state names follow the life a worker gives a message: queued → sending → sent → delivered
-- | failed | expired | cancelled | suppressed ('pending' is now 'queued'). The messages table is
-- changed by the backend's own file (SQLite cannot change a CHECK without copying the table).

-- A number (E.164) or a LINE user ("line:U…") that is sent nothing but urgent care messages.
CREATE TABLE suppressions (
  tenant_code  TEXT NOT NULL REFERENCES tenants(code),
  address      TEXT NOT NULL,
  reason       TEXT NOT NULL CHECK (reason = 'reply_stop' OR reason = 'staff' OR reason = 'invalid'),
  created_by   BIGINT,
  created_at   BIGINT NOT NULL,
  PRIMARY KEY (tenant_code, address)
);
-- What a tenant's messages may do (messaging::SendingSettings; none stored: the defaults).
CREATE TABLE messaging_settings (
  tenant_code        TEXT PRIMARY KEY REFERENCES tenants(code),
  quiet_start_min    INTEGER NOT NULL,
  quiet_end_min      INTEGER NOT NULL,
  max_sms_parts      INTEGER NOT NULL,
  sms_sen_per_part   INTEGER NOT NULL,
  sms_sender         TEXT NOT NULL,
  updated_at         BIGINT NOT NULL
);
-- A resident's LINE user, found when a message to the resident is sent.
CREATE INDEX line_users_by_resident ON line_users(tenant_code, resident_id);
-- Replies from residents (SMS, later LINE), matched to the message they answer; the operator inbox reads them.
CREATE TABLE replies (
  id            {{id}},
  tenant_code   TEXT NOT NULL REFERENCES tenants(code),
  message_id    BIGINT REFERENCES messages(id),
  channel       TEXT NOT NULL CHECK (channel = 'sms' OR channel = 'line'),
  from_address  TEXT NOT NULL,
  body          TEXT NOT NULL,
  received_at   BIGINT NOT NULL,
  dedupe_key    TEXT NOT NULL UNIQUE,
  state         TEXT NOT NULL DEFAULT 'unread' CHECK (state = 'unread' OR state = 'read' OR state = 'done'),
  stop_request  BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX replies_inbox ON replies(tenant_code, state, received_at);
