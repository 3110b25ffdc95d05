-- saved staffing plans (scenario, summary, report) per tenant
CREATE TABLE plans (
  id             {{id}},
  tenant_code    TEXT NOT NULL REFERENCES tenants(code),
  name           TEXT NOT NULL,
  created_at     BIGINT NOT NULL,
  created_by     BIGINT NOT NULL REFERENCES users(id),
  scenario_json  TEXT NOT NULL,
  history_csv    TEXT,
  summary_json   TEXT NOT NULL,
  report_html    TEXT NOT NULL,
  plan_csv       TEXT NOT NULL,
  plan_json      TEXT NOT NULL
);
CREATE INDEX plans_by_tenant ON plans(tenant_code, id);
