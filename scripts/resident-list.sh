#!/usr/bin/env bash
# Writes a synthetic target list of N residents (CSV, UTF-8) to stdout for the benchmarks:
# 宛名番号 700000+i, 券番号 4000000000+i, birth date as bench/rush.cpp's BirthOf(i).
#   scripts/resident-list.sh 100000 > list.csv
set -euo pipefail
awk -v n="${1:?usage: resident-list.sh N}" 'BEGIN { print "宛名番号,券番号,氏名,氏名カナ,生年月日,住所,電話番号";
  for (i = 0; i < n; i++) printf "%d,4%09d,住民 %d,ジュウミン,19%02d-%02d-%02d,日南市,\n", 700000 + i, i, i, 30 + i % 40, 1 + i % 12, 1 + i % 28 }'
