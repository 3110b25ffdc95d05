-- email: a resident's address for notices (given on their booking page), and the address and
-- name a tenant's emails come from ('' : the tenant sends no email).
ALTER TABLE residents ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE messaging_settings ADD COLUMN email_from TEXT NOT NULL DEFAULT '';
ALTER TABLE messaging_settings ADD COLUMN email_from_name TEXT NOT NULL DEFAULT '';
