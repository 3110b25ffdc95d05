-- saved segments: a draft campaign may take its recipients from a segment (booked_on:YYYY-MM-DD,
-- not_booked), read again when it is previewed and when it is sent, instead of a file.
ALTER TABLE campaigns ADD COLUMN segment TEXT NOT NULL DEFAULT '';
