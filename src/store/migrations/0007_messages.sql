-- the generic outbox: messages with a recipient, delivery channels in order, a template and its variables as JSON, purpose, urgency, expiry and a dedupe key
-- Every module that tells a resident something writes one row here, in the transaction of the
-- change that caused it; the worker delivers it. The booking's origin channel no longer stands
-- in for the delivery channel: `channels` is how the message may reach the person, in order.
-- The CHECKs are written with OR, not IN (...): SQLite builds a temporary table for an IN list
-- each time it checks a row, which made writing a message cost half again as much.
CREATE TABLE messages (
  id            {{id}},
  tenant_code   TEXT NOT NULL REFERENCES tenants(code),
  resident_id   BIGINT REFERENCES residents(id),
  address       TEXT,
  channels      TEXT NOT NULL,
  template_key  TEXT NOT NULL,
  variables     {{json}} NOT NULL,
  purpose       TEXT NOT NULL CHECK (purpose = 'booking' OR purpose = 'reminder' OR purpose = 'waitlist' OR purpose = 'follow_up' OR purpose = 'kit_review' OR purpose = 'triage' OR purpose = 'campaign' OR purpose = 'reply'),
  urgency       TEXT NOT NULL CHECK (urgency = 'routine' OR urgency = 'urgent'),
  due_at        BIGINT NOT NULL,
  expires_at    BIGINT,
  dedupe_key    TEXT NOT NULL,
  booking_id    BIGINT REFERENCES bookings(id),
  state         TEXT NOT NULL DEFAULT 'pending' CHECK (state = 'pending' OR state = 'sending' OR state = 'sent' OR state = 'failed' OR state = 'cancelled' OR state = 'expired'),
  attempts      BIGINT NOT NULL DEFAULT 0,
  channel_used  TEXT,
  created_at    BIGINT NOT NULL,
  sent_at       BIGINT,
  CHECK ((resident_id IS NULL) <> (address IS NULL)),
  UNIQUE (tenant_code, dedupe_key)
);
CREATE INDEX messages_due ON messages(due_at) WHERE state = 'pending';
-- What the old outbox held, kept: its kind is the template, its channel (where the booking was
-- made) becomes the reach the booking rules give it now, its payload the variables.
INSERT INTO messages (tenant_code, resident_id, channels, template_key, variables, purpose, urgency, due_at, expires_at,
                      dedupe_key, booking_id, state, attempts, created_at, sent_at)
SELECT tenant_code, resident_id,
       CASE WHEN channel = 'line' THEN 'line,sms' ELSE 'sms' END,
       kind, CAST(payload AS {{json}}),
       CASE kind WHEN 'reminder' THEN 'reminder' WHEN 'waitlist_offer' THEN 'waitlist' ELSE 'booking' END,
       'routine', due_at, NULL, 'outbox:' || CAST(id AS TEXT), booking_id, state, attempts, created_at, sent_at
FROM outbox WHERE resident_id IS NOT NULL ORDER BY id;
DROP TABLE outbox;
