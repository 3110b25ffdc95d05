-- the LINE account's own ID ("@123abcde", from the Messaging API's bot info when an admin checks
-- the token): residents' pages open LINE at that account with a word already written. Empty:
-- not known yet (the pages then only show the word).
ALTER TABLE line_channels ADD COLUMN basic_id TEXT NOT NULL DEFAULT '';
