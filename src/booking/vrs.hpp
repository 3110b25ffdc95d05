// src/booking/vrs.hpp — the Vaccination Record System (VRS) file layout "予防接種台帳向け出力".
//
// One row per person, keyed by 個別宛名番号, then one group of eight columns per dose
// (docs/vrs.md):  N回目登録日時 (YYYYMMDDHHMMSS, Japan time), N回目接種日 (YYYYMMDD), N回目券番号,
// N回目接種自治体コード, N回目接種会場名, N回目接種医師名, N回目ワクチンメーカー, N回目ロット番号.
// A dose not given leaves its eight cells empty. The same layout is exported and imported.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "booking/booking.hpp"

namespace madoguchi::booking {

struct VrsDose {
  int dose = 0;
  int64_t registered_at_ms = 0;
  Day vaccinated_on{};
  std::string ticket_number;
  std::string municipality_code;
  std::string venue_name;
  std::string doctor_name;
  std::string vaccine;  // our code: pfizer, moderna, …
  std::string lot;
};

struct VrsPerson {
  std::string address_number;  // 個別宛名番号
  std::vector<VrsDose> doses;  // by dose number
};

// The header for `doses` dose groups.
std::vector<std::string> VrsHeader(int doses);
// The cells of one row (empty cells for doses not given).
std::vector<std::string> VrsRow(const VrsPerson& p, int doses);

// "ファイザー" ⇄ "pfizer", "モデルナ" ⇄ "moderna", …; unknown names pass through unchanged.
std::string VrsMakerName(const std::string& vaccine_code);
std::string VaccineCodeOfMaker(const std::string& maker);

// Reads the data rows under a header made by VrsHeader(n) for some n (given as `header`).
// Every problem is reported (row, field, reason); people come back only when there are none.
struct VrsImport {
  std::vector<VrsPerson> people;
  std::vector<RowProblem> problems;
};
VrsImport ParseVrs(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows, Day today);

}  // namespace madoguchi::booking
