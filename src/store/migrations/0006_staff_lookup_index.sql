-- the staff look-up index covers staff rows only
-- Residents act without a staff account: their rows (most of the log in a rush) need no entry
-- in the index that counts a staff member's look-ups, and the single writer no longer keeps one.
DROP INDEX audit_by_actor_at;
CREATE INDEX audit_by_actor_at ON audit_log(actor_user_id, at) WHERE actor_user_id IS NOT NULL;
