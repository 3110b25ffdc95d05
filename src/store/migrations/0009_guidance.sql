-- what a municipality tells its residents on every page and with every booking: the window's
-- phone and hours, what to bring, how early to come (booking::Guidance; none stored: the defaults)
CREATE TABLE tenant_guidance (
  tenant_code            TEXT PRIMARY KEY REFERENCES tenants(code),
  phone                  TEXT NOT NULL,
  hours                  TEXT NOT NULL,
  bring                  TEXT NOT NULL,
  arrive_minutes_before  INTEGER NOT NULL,
  updated_at             BIGINT NOT NULL
);
