-- vaccination booking: residents, venues, slots, bookings, vaccinations, waitlist, outbox, idempotency, call records
CREATE TABLE residents (
  id              {{id}},
  tenant_code     TEXT NOT NULL REFERENCES tenants(code),
  address_number  TEXT NOT NULL,
  ticket_number   TEXT NOT NULL,
  name            TEXT NOT NULL,
  name_kana       TEXT NOT NULL,
  kana_compact    TEXT NOT NULL,
  birth_date      TEXT NOT NULL,
  address         TEXT NOT NULL,
  phone           TEXT NOT NULL,
  phone_digits    TEXT NOT NULL,
  created_at      BIGINT NOT NULL,
  updated_at      BIGINT NOT NULL,
  UNIQUE (tenant_code, ticket_number),
  UNIQUE (tenant_code, address_number)
);
CREATE INDEX residents_by_kana ON residents(tenant_code, kana_compact);
CREATE INDEX residents_by_phone ON residents(tenant_code, phone_digits);
CREATE TABLE venues (
  id           {{id}},
  tenant_code  TEXT NOT NULL REFERENCES tenants(code),
  name         TEXT NOT NULL,
  address      TEXT NOT NULL,
  created_at   BIGINT NOT NULL
);
CREATE TABLE slots (
  id           {{id}},
  tenant_code  TEXT NOT NULL REFERENCES tenants(code),
  venue_id     BIGINT NOT NULL REFERENCES venues(id),
  starts_at    BIGINT NOT NULL,
  ends_at      BIGINT NOT NULL,
  capacity     BIGINT NOT NULL CHECK (capacity > 0),
  booked       BIGINT NOT NULL DEFAULT 0,
  vaccine      TEXT NOT NULL,
  dose         BIGINT NOT NULL,
  created_at   BIGINT NOT NULL,
  CHECK (booked >= 0 AND booked <= capacity)
);
CREATE INDEX slots_by_time ON slots(tenant_code, starts_at);
CREATE TABLE bookings (
  id                 {{id}},
  tenant_code        TEXT NOT NULL REFERENCES tenants(code),
  resident_id        BIGINT NOT NULL REFERENCES residents(id),
  dose               BIGINT NOT NULL,
  slot_id            BIGINT NOT NULL REFERENCES slots(id),
  state              TEXT NOT NULL CHECK (state IN ('booked','checked_in','vaccinated','cancelled','no_show')),
  channel            TEXT NOT NULL CHECK (channel IN ('web','phone','line','api')),
  confirmation_code  TEXT NOT NULL,
  created_by         BIGINT REFERENCES users(id),
  created_at         BIGINT NOT NULL,
  updated_at         BIGINT NOT NULL,
  UNIQUE (tenant_code, confirmation_code)
);
CREATE UNIQUE INDEX bookings_one_active ON bookings(tenant_code, resident_id, dose) WHERE state IN ('booked','checked_in');
CREATE INDEX bookings_by_slot ON bookings(slot_id);
CREATE INDEX bookings_by_resident ON bookings(resident_id);
CREATE TABLE vaccinations (
  id            {{id}},
  tenant_code   TEXT NOT NULL REFERENCES tenants(code),
  resident_id   BIGINT NOT NULL REFERENCES residents(id),
  dose          BIGINT NOT NULL,
  vaccinated_on TEXT NOT NULL,
  vaccine       TEXT NOT NULL,
  lot           TEXT NOT NULL DEFAULT '',
  venue_name    TEXT NOT NULL DEFAULT '',
  doctor_name   TEXT NOT NULL DEFAULT '',
  source        TEXT NOT NULL CHECK (source IN ('booking','vrs')),
  booking_id    BIGINT REFERENCES bookings(id),
  recorded_at   BIGINT NOT NULL,
  UNIQUE (tenant_code, resident_id, dose)
);
CREATE TABLE waitlist (
  id              {{id}},
  tenant_code     TEXT NOT NULL REFERENCES tenants(code),
  resident_id     BIGINT NOT NULL REFERENCES residents(id),
  dose            BIGINT NOT NULL,
  venue_id        BIGINT REFERENCES venues(id),
  state           TEXT NOT NULL CHECK (state IN ('waiting','offered','closed')),
  offered_slot_id BIGINT REFERENCES slots(id),
  created_at      BIGINT NOT NULL,
  offered_at      BIGINT
);
CREATE INDEX waitlist_waiting ON waitlist(tenant_code, state, id);
CREATE TABLE outbox (
  id           {{id}},
  tenant_code  TEXT NOT NULL REFERENCES tenants(code),
  kind         TEXT NOT NULL,
  booking_id   BIGINT REFERENCES bookings(id),
  resident_id  BIGINT REFERENCES residents(id),
  channel      TEXT NOT NULL,
  payload      TEXT NOT NULL,
  due_at       BIGINT NOT NULL,
  state        TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','sent','cancelled','failed')),
  attempts     BIGINT NOT NULL DEFAULT 0,
  created_at   BIGINT NOT NULL,
  sent_at      BIGINT
);
CREATE INDEX outbox_due ON outbox(state, due_at);
CREATE INDEX outbox_by_booking ON outbox(booking_id);
CREATE TABLE idempotency_keys (
  tenant_code   TEXT NOT NULL,
  idem_key      TEXT NOT NULL,
  request_hash  TEXT NOT NULL,
  status        BIGINT NOT NULL,
  body          TEXT NOT NULL,
  created_at    BIGINT NOT NULL,
  PRIMARY KEY (tenant_code, idem_key)
);
CREATE TABLE call_records (
  id           {{id}},
  tenant_code  TEXT NOT NULL REFERENCES tenants(code),
  user_id      BIGINT NOT NULL REFERENCES users(id),
  resident_id  BIGINT REFERENCES residents(id),
  category     TEXT NOT NULL,
  started_at   BIGINT NOT NULL,
  handle_sec   BIGINT NOT NULL,
  note         TEXT NOT NULL DEFAULT '',
  created_at   BIGINT NOT NULL
);
CREATE INDEX call_records_by_time ON call_records(tenant_code, started_at);
CREATE TABLE tenant_settings (
  tenant_code  TEXT PRIMARY KEY REFERENCES tenants(code),
  rules_json   TEXT NOT NULL,
  updated_at   BIGINT NOT NULL
);
CREATE TABLE server_secrets (
  name        TEXT PRIMARY KEY,
  value       TEXT NOT NULL,
  created_at  BIGINT NOT NULL
);
