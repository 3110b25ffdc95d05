-- a password an admin set for someone: they choose their own at their next login
ALTER TABLE users ADD COLUMN must_change_password BIGINT NOT NULL DEFAULT 0;
