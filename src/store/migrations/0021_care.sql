-- home-test applications (care/service.hpp): a resident's answers and photos, the pre-read of the
-- kit photo, the doctors' queue (ordered by queue_rank, then waiting time) with a lease so two
-- doctors never review one application, the decision, and the home-care episode a confirmation
-- opens. Photos are files in the data folder named by their content hash; a row per photo keeps
-- the reference and when the file is deleted.
CREATE TABLE care_applications (
  id                {{id}},
  tenant_code       TEXT NOT NULL REFERENCES tenants(code),
  receipt           TEXT NOT NULL,
  state             TEXT NOT NULL CHECK (state IN ('waiting', 'photo_requested', 'confirmed', 'not_confirmed', 'see_clinic')),
  queue_rank        BIGINT NOT NULL,
  answers           TEXT NOT NULL,
  family_kana       TEXT NOT NULL,
  phone             TEXT NOT NULL,
  reading           TEXT NOT NULL,
  category          TEXT NOT NULL,
  test_line         DOUBLE PRECISION NOT NULL,
  automatic_returns BIGINT NOT NULL DEFAULT 0,
  photos_sent       BIGINT NOT NULL DEFAULT 1,
  submitted_at      BIGINT NOT NULL,
  updated_at        BIGINT NOT NULL,
  lease_doctor      BIGINT REFERENCES users(id),
  lease_until       BIGINT,
  decision          TEXT,
  reason            TEXT NOT NULL DEFAULT '',
  decided_by        BIGINT REFERENCES users(id),
  decided_at        BIGINT,
  UNIQUE (tenant_code, receipt)
);
CREATE INDEX care_queue ON care_applications(tenant_code, state, queue_rank, submitted_at);
CREATE TABLE care_photos (
  id             {{id}},
  tenant_code    TEXT NOT NULL REFERENCES tenants(code),
  application_id BIGINT NOT NULL REFERENCES care_applications(id),
  kind           TEXT NOT NULL CHECK (kind IN ('kit', 'id')),
  ref            TEXT NOT NULL,
  is_current     BIGINT NOT NULL,
  created_at     BIGINT NOT NULL,
  delete_after   BIGINT,
  deleted_at     BIGINT
);
CREATE INDEX care_photos_of ON care_photos(application_id, kind);
CREATE INDEX care_photos_due ON care_photos(delete_after);
CREATE INDEX care_photos_by_ref ON care_photos(tenant_code, kind, ref);
CREATE TABLE care_episodes (
  id             {{id}},
  tenant_code    TEXT NOT NULL REFERENCES tenants(code),
  application_id BIGINT NOT NULL UNIQUE REFERENCES care_applications(id),
  state          TEXT NOT NULL CHECK (state IN ('active', 'ended')),
  starts_on      BIGINT NOT NULL,
  planned_end_on BIGINT NOT NULL,
  created_at     BIGINT NOT NULL
);
CREATE INDEX care_episodes_by_state ON care_episodes(tenant_code, state, planned_end_on);
