-- the rows already listed: what follows the first space (half- or full-width), without spaces
UPDATE residents SET given_kana = replace(replace(substr(name_kana, strpos(replace(name_kana, '　', ' '), ' ') + 1), ' ', ''), '　', '')
WHERE strpos(replace(name_kana, '　', ' '), ' ') > 0;
