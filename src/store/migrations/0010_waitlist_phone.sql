-- the number a resident on the waitlist gave to be told on (empty: the list's phone)
ALTER TABLE waitlist ADD COLUMN phone TEXT NOT NULL DEFAULT '';
