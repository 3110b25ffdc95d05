-- the messages table with delivery columns (SQLite: copied into a new table)
CREATE TABLE messages_new (
  id               {{id}},
  tenant_code      TEXT NOT NULL REFERENCES tenants(code),
  resident_id      BIGINT REFERENCES residents(id),
  address          TEXT,
  channels         TEXT NOT NULL,
  template_key     TEXT NOT NULL,
  variables        {{json}} NOT NULL,
  purpose          TEXT NOT NULL CHECK (purpose = 'booking' OR purpose = 'reminder' OR purpose = 'waitlist' OR purpose = 'follow_up' OR purpose = 'kit_review' OR purpose = 'triage' OR purpose = 'campaign' OR purpose = 'reply'),
  urgency          TEXT NOT NULL CHECK (urgency = 'routine' OR urgency = 'urgent'),
  due_at           BIGINT NOT NULL,
  expires_at       BIGINT,
  dedupe_key       TEXT NOT NULL,
  booking_id       BIGINT REFERENCES bookings(id),
  state            TEXT NOT NULL DEFAULT 'queued' CHECK (state = 'queued' OR state = 'sending' OR state = 'sent' OR state = 'delivered' OR state = 'failed' OR state = 'cancelled' OR state = 'expired' OR state = 'suppressed'),
  attempts         BIGINT NOT NULL DEFAULT 0,
  channel_used     TEXT,
  created_at       BIGINT NOT NULL,
  sent_at          BIGINT,
  priority         BIGINT NOT NULL DEFAULT 1,
  next_attempt_at  BIGINT NOT NULL,
  lease_owner      TEXT,
  lease_until      BIGINT,
  last_error       TEXT,
  address_used     TEXT,
  provider_id      TEXT,
  parts            BIGINT,
  parts_delivered  BIGINT NOT NULL DEFAULT 0,
  cost_sen         BIGINT,
  delivered_at     BIGINT,
  CHECK ((resident_id IS NULL) <> (address IS NULL)),
  UNIQUE (tenant_code, dedupe_key)
);
INSERT INTO messages_new (id, tenant_code, resident_id, address, channels, template_key, variables, purpose, urgency, due_at, expires_at,
                          dedupe_key, booking_id, state, attempts, channel_used, created_at, sent_at, priority, next_attempt_at)
SELECT id, tenant_code, resident_id, address, channels, template_key, variables, purpose, urgency, due_at, expires_at, dedupe_key,
       booking_id, CASE state WHEN 'pending' THEN 'queued' WHEN 'sending' THEN 'queued' ELSE state END, attempts, channel_used,
       created_at, sent_at, CASE WHEN urgency = 'urgent' THEN 0 WHEN purpose = 'campaign' THEN 2 ELSE 1 END, due_at
FROM messages;
DROP TABLE messages;
ALTER TABLE messages_new RENAME TO messages;
CREATE INDEX messages_ready ON messages(priority, next_attempt_at) WHERE state = 'queued';
CREATE INDEX messages_leased ON messages(lease_until) WHERE state = 'sending';
-- A reply is matched to the last message sent to its number, whichever tenant sent it.
CREATE INDEX messages_sent_to ON messages(address_used, sent_at) WHERE address_used IS NOT NULL;
