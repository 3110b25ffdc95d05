-- the send rates' token buckets (messaging/pacing.hpp), one row each, shared by every worker on the
-- database: an aggregator's account, or a tenant's campaign rate, is one bucket however many
-- workers send. `at` 0: nobody has drawn from it yet (it starts full).
CREATE TABLE send_buckets (
  name          TEXT PRIMARY KEY,
  milli_tokens  BIGINT NOT NULL,
  at            BIGINT NOT NULL
);
