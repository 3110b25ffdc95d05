-- the given name's kana, so an operator finds 「イチロウ」 as well as 「ナンゴウ」 (filled on import)
ALTER TABLE residents ADD COLUMN given_kana TEXT NOT NULL DEFAULT '';
CREATE INDEX residents_by_given_kana ON residents(tenant_code, given_kana);
