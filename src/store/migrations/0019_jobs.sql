-- long jobs: work too long for a request (a plan's MIP and simulation, a campaign's expansion into
-- one message per recipient), queued by a page or the API
-- and run by a job thread of `serve` or `worker`, claimed under a lease like the outbox's (a killed
-- runner's job comes back when the lease runs out, up to three attempts). The page polls it.
CREATE TABLE jobs (
  id            {{id}},
  tenant_code   TEXT NOT NULL REFERENCES tenants(code),
  kind          TEXT NOT NULL CHECK (kind = 'plan' OR kind = 'campaign_send'),
  state         TEXT NOT NULL CHECK (state = 'queued' OR state = 'running' OR state = 'done' OR state = 'failed'),
  input         TEXT NOT NULL,
  percent       BIGINT NOT NULL DEFAULT 0,
  stage         TEXT NOT NULL DEFAULT '',
  result_id     BIGINT,
  error_code    BIGINT,
  error_key     TEXT,
  error_field   TEXT,
  error_message TEXT,
  created_by    BIGINT NOT NULL REFERENCES users(id),
  created_at    BIGINT NOT NULL,
  started_at    BIGINT,
  finished_at   BIGINT,
  lease_owner   TEXT,
  lease_until   BIGINT,
  attempts      BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX jobs_queue ON jobs(state, created_at);
-- A draft being sent: the job that writes its messages (a failed one leaves the draft to send again).
ALTER TABLE campaigns ADD COLUMN send_job BIGINT REFERENCES jobs(id);
