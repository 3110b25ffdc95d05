-- daily health observation (care/follow_up.hpp): each home-care episode keeps how to reach the
-- patient and what triage needs, and the open need to call them (the operators' call list); a
-- check-in per patient and day with its deadlines; every report (form, number reply, operator)
-- and every missed check-in with the classification, rule and rule-set version that gave it; the
-- calls operators log.
ALTER TABLE care_episodes ADD COLUMN first_check_in_on BIGINT NOT NULL DEFAULT 0;
ALTER TABLE care_episodes ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE care_episodes ADD COLUMN kana TEXT NOT NULL DEFAULT '';
ALTER TABLE care_episodes ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE care_episodes ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE care_episodes ADD COLUMN contact TEXT NOT NULL DEFAULT 'sms' CHECK (contact IN ('sms', 'email'));
ALTER TABLE care_episodes ADD COLUMN age BIGINT NOT NULL DEFAULT 0;
ALTER TABLE care_episodes ADD COLUMN risk_factors BIGINT NOT NULL DEFAULT 0;
ALTER TABLE care_episodes ADD COLUMN call_priority BIGINT;
ALTER TABLE care_episodes ADD COLUMN call_rule TEXT;
ALTER TABLE care_episodes ADD COLUMN call_score BIGINT;
ALTER TABLE care_episodes ADD COLUMN call_from_missed BIGINT;
ALTER TABLE care_episodes ADD COLUMN call_since BIGINT;
ALTER TABLE care_episodes ADD COLUMN ended_at BIGINT;
ALTER TABLE care_episodes ADD COLUMN extended_by BIGINT;
CREATE INDEX care_episodes_calls ON care_episodes(tenant_code, call_priority, call_score, call_since);
CREATE TABLE care_check_ins (
  id          {{id}},
  tenant_code TEXT NOT NULL REFERENCES tenants(code),
  episode_id  BIGINT NOT NULL REFERENCES care_episodes(id),
  day         BIGINT NOT NULL,
  state       TEXT NOT NULL CHECK (state IN ('sent', 'reminded', 'answered', 'missed')),
  send_at     BIGINT NOT NULL,
  remind_at   BIGINT NOT NULL,
  call_at     BIGINT NOT NULL,
  answered_at BIGINT,
  updated_at  BIGINT NOT NULL,
  UNIQUE (episode_id, day)
);
CREATE INDEX care_check_ins_remind ON care_check_ins(tenant_code, state, remind_at);
CREATE INDEX care_check_ins_call ON care_check_ins(tenant_code, state, call_at);
CREATE INDEX care_check_ins_by_day ON care_check_ins(tenant_code, day, state);
CREATE TABLE care_reports (
  id           {{id}},
  tenant_code  TEXT NOT NULL REFERENCES tenants(code),
  episode_id   BIGINT NOT NULL REFERENCES care_episodes(id),
  check_in_id  BIGINT REFERENCES care_check_ins(id),
  source       TEXT NOT NULL CHECK (source IN ('form', 'number_reply', 'operator', 'missed')),
  report       TEXT,
  priority     TEXT NOT NULL CHECK (priority IN ('P0', 'P1', 'P2', 'P3')),
  rule_id      TEXT NOT NULL,
  rule_version TEXT NOT NULL,
  risk_score   BIGINT NOT NULL,
  at           BIGINT NOT NULL,
  by_user      BIGINT REFERENCES users(id)
);
CREATE INDEX care_reports_of ON care_reports(episode_id, at);
CREATE TABLE care_calls (
  id          {{id}},
  tenant_code TEXT NOT NULL REFERENCES tenants(code),
  episode_id  BIGINT NOT NULL REFERENCES care_episodes(id),
  operator_id BIGINT NOT NULL REFERENCES users(id),
  outcome     TEXT NOT NULL CHECK (outcome IN ('reached', 'no_answer', 'advised_119', 'referred', 'wrong_number')),
  notes       TEXT NOT NULL,
  at          BIGINT NOT NULL
);
CREATE INDEX care_calls_of ON care_calls(episode_id, at);
