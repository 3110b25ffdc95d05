-- short links: a message that carries a link carries /s/<code> instead, one code per message
-- (a retried message keeps its code), each open counted; a campaign may end its texts with a
-- link to the tenant's booking page.
CREATE TABLE short_links (
  code            TEXT PRIMARY KEY,
  tenant_code     TEXT NOT NULL REFERENCES tenants(code),
  message_id      BIGINT NOT NULL UNIQUE REFERENCES messages(id),
  target          TEXT NOT NULL,
  created_at      BIGINT NOT NULL,
  expires_at      BIGINT NOT NULL,
  opens           BIGINT NOT NULL DEFAULT 0,
  first_opened_at BIGINT,
  last_opened_at  BIGINT
);
ALTER TABLE campaigns ADD COLUMN link TEXT NOT NULL DEFAULT '';
CREATE INDEX replies_by_message ON replies(message_id);
