-- a time closed to booking (a typhoon, no staff): when, and why as staff wrote it
ALTER TABLE slots ADD COLUMN closed_at BIGINT;
ALTER TABLE slots ADD COLUMN closed_reason TEXT NOT NULL DEFAULT '';
