-- the old outbox's booking messages get booking dedupe keys (SQLite)
-- So a migrated reminder is found, and withdrawn, by its booking's key prefix like a new one
-- (store::CancelPendingByKeyPrefix, booking::ReminderKeyPrefix).
UPDATE messages SET dedupe_key = 'booking:' || substr('000000000000' || CAST(booking_id AS TEXT), -12, 12) || ':' || template_key ||
                                 ':outbox' || CAST(id AS TEXT)
WHERE booking_id IS NOT NULL AND dedupe_key LIKE 'outbox:%';
