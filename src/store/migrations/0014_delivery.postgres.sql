-- the messages table with delivery columns (PostgreSQL: altered in place)
ALTER TABLE messages DROP CONSTRAINT messages_state_check;
UPDATE messages SET state = 'queued' WHERE state = 'pending' OR state = 'sending';
ALTER TABLE messages ALTER COLUMN state SET DEFAULT 'queued';
ALTER TABLE messages ADD CONSTRAINT messages_state_check CHECK (state = 'queued' OR state = 'sending' OR state = 'sent' OR state = 'delivered' OR state = 'failed' OR state = 'cancelled' OR state = 'expired' OR state = 'suppressed');
ALTER TABLE messages ADD COLUMN priority BIGINT NOT NULL DEFAULT 1;
ALTER TABLE messages ADD COLUMN next_attempt_at BIGINT;
UPDATE messages SET next_attempt_at = due_at, priority = CASE WHEN urgency = 'urgent' THEN 0 WHEN purpose = 'campaign' THEN 2 ELSE 1 END;
ALTER TABLE messages ALTER COLUMN next_attempt_at SET NOT NULL;
ALTER TABLE messages ADD COLUMN lease_owner TEXT;
ALTER TABLE messages ADD COLUMN lease_until BIGINT;
ALTER TABLE messages ADD COLUMN last_error TEXT;
ALTER TABLE messages ADD COLUMN address_used TEXT;
ALTER TABLE messages ADD COLUMN provider_id TEXT;
ALTER TABLE messages ADD COLUMN parts BIGINT;
ALTER TABLE messages ADD COLUMN parts_delivered BIGINT NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN cost_sen BIGINT;
ALTER TABLE messages ADD COLUMN delivered_at BIGINT;
DROP INDEX messages_due;
CREATE INDEX messages_ready ON messages(priority, next_attempt_at) WHERE state = 'queued';
CREATE INDEX messages_leased ON messages(lease_until) WHERE state = 'sending';
-- A reply is matched to the last message sent to its number, whichever tenant sent it.
CREATE INDEX messages_sent_to ON messages(address_used, sent_at) WHERE address_used IS NOT NULL;
