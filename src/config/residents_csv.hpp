// src/config/residents_csv.hpp — the city's target list (対象者一覧) and other Japanese CSV files.
//
// The list is CSV with the header 宛名番号,券番号,氏名,氏名カナ,生年月日,住所,電話番号 (docs/booking.md),
// in UTF-8 (with or without a BOM) or Shift_JIS/CP932 as exported by municipal systems; the
// encoding is detected (valid UTF-8 is taken as UTF-8).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.hpp"

namespace madoguchi::config {

// `bytes` as UTF-8: unchanged when already valid UTF-8 (a BOM is dropped), else converted from
// CP932. kInvalidArgument naming "encoding" when it is neither.
Result<std::string> ToUtf8(std::string_view bytes);

// UTF-8 text as CP932 (Shift_JIS as Windows writes it). kInvalidArgument naming "encoding" for a
// character CP932 cannot hold.
Result<std::string> Utf8ToCp932(std::string_view utf8);

// The first line's cells, and the data rows after it (cells trimmed, quoted line breaks kept).
Result<std::pair<std::vector<std::string>, std::vector<std::vector<std::string>>>> ReadCsv(std::string_view utf8);

// The data rows (cells) of a list whose first line must equal `header` (cells trimmed).
// kInvalidArgument naming "line 1" when the header differs.
Result<std::vector<std::vector<std::string>>> ReadCsvWithHeader(std::string_view utf8, const std::vector<std::string>& header);

// One CSV line (RFC 4180: quoted when needed, CRLF) of `cells`.
std::string CsvLine(const std::vector<std::string>& cells);

}  // namespace madoguchi::config
