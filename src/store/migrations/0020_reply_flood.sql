-- replies counted by sender: how many one address sent in the last hour (a flood is not stored).
CREATE INDEX replies_from ON replies(tenant_code, from_address, received_at);
