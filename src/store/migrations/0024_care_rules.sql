-- a tenant's home-test registration rules (formats/care_rules.hpp) beside its check-in times and
-- triage rules: who may register online, the kit list, how long home care lasts and the photos
-- are kept, the clinic information. Empty: the defaults.
ALTER TABLE care_settings ADD COLUMN care_rules TEXT NOT NULL DEFAULT '';
