// src/common/csv.hpp — CSV and CP932, in one place: every file a city or a call center sends us
// (the target list, VRS records, call history, events) is read here, and every CSV we write.
//
// Files come in UTF-8 (with or without a BOM) or Shift_JIS/CP932 as municipal systems export
// them; the encoding is detected (valid UTF-8 is taken as UTF-8). The reader is RFC 4180 and
// strict: a file is read whole or refused naming the row, line and column.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.hpp"

namespace madoguchi::csv {

// `bytes` as UTF-8: unchanged when already valid UTF-8 (a BOM is dropped), else converted from
// CP932. kInvalidArgument naming "encoding" when it is neither.
Result<std::string> ToUtf8(std::string_view bytes);

// UTF-8 text as CP932 (Shift_JIS as Windows writes it). kInvalidArgument naming "encoding" for a
// character CP932 cannot hold.
Result<std::string> Utf8ToCp932(std::string_view utf8);

// One record of a file: its cells (trimmed; quoted line breaks kept) and the line it starts on.
struct Record {
  int line = 0;
  std::vector<std::string> cells;
};

// Every record, blank lines skipped. Errors: kInvalidArgument "csv_stray_quote" or
// "csv_unclosed_quote" on "row N (line L), column C" (rows counted after the first record, which
// is "the header"), or "line 1" for an empty file.
Result<std::vector<Record>> ReadRecords(std::string_view utf8);

// The first line's cells, and the data rows after it (cells trimmed, quoted line breaks kept).
Result<std::pair<std::vector<std::string>, std::vector<std::vector<std::string>>>> ReadCsv(std::string_view utf8);

// The data rows (cells) of a list whose first line must equal `header` (cells trimmed).
// kInvalidArgument naming "line 1" when the header differs.
Result<std::vector<std::vector<std::string>>> ReadCsvWithHeader(std::string_view utf8, const std::vector<std::string>& header);

// One cell for a CSV file that people open in a spreadsheet: quoted when needed (RFC 4180), and a
// leading = + - @ tab or CR neutralised with an apostrophe so it is never run as a formula.
std::string Cell(std::string_view value);

// One CSV line (RFC 4180: quoted when needed, CRLF) of `cells`, each as Cell() writes it.
std::string CsvLine(const std::vector<std::string>& cells);

}  // namespace madoguchi::csv
