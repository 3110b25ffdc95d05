-- campaigns: one text to many recipients, each a message in the outbox tagged with its campaign
-- A draft keeps its recipient list (the CSV as UTF-8) until it is sent; then its messages are
-- written at once (its recipients are checked again: one bad row queues nothing) and the list is
-- dropped. Paused, the worker passes its messages over; cancelled, they are withdrawn.
CREATE TABLE campaigns (
  id           {{id}},
  tenant_code  TEXT NOT NULL REFERENCES tenants(code),
  name         TEXT NOT NULL,
  body         TEXT NOT NULL,
  state        TEXT NOT NULL CHECK (state = 'draft' OR state = 'scheduled' OR state = 'paused' OR state = 'cancelled'),
  starts_at    BIGINT NOT NULL,
  recipients   BIGINT NOT NULL,
  parts        BIGINT NOT NULL,
  cost_sen     BIGINT NOT NULL,
  recipients_csv TEXT NOT NULL DEFAULT '',
  created_by   BIGINT,
  created_at   BIGINT NOT NULL,
  updated_at   BIGINT NOT NULL
);
CREATE INDEX campaigns_by_tenant ON campaigns(tenant_code, created_at);
ALTER TABLE messages ADD COLUMN campaign_id BIGINT REFERENCES campaigns(id);
CREATE INDEX messages_by_campaign ON messages(campaign_id, state) WHERE campaign_id IS NOT NULL;
