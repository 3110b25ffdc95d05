-- home-care patients linked in LINE (care/follow_up.hpp): the code an application's status page
-- shows, kept only as its SHA-256, and the LINE user who sent it (NULL: not linked, or unlinked
-- by an unfollow). While linked, every message about the patient goes to that LINE user.
CREATE TABLE care_line_links (
  application_id BIGINT PRIMARY KEY REFERENCES care_applications(id),
  tenant_code    TEXT NOT NULL REFERENCES tenants(code),
  code_hash      TEXT NOT NULL,
  line_user_id   TEXT,
  offered_at     BIGINT NOT NULL,
  linked_at      BIGINT,
  UNIQUE (tenant_code, code_hash)
);
CREATE INDEX care_line_links_user ON care_line_links(tenant_code, line_user_id);
