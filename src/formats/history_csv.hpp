// src/formats/history_csv.hpp — call history and event files into forecast inputs.
//
// Formats, detected from the first line (docs/forecast.md):
//   * daily counts:     header with `date` and a count column (`calls`, or the one named by
//                       `column`); an optional `flag` column marks rows to ignore (any value but `ok`);
//   * interval counts:  `date,interval_start,calls` or `datetime,calls` (the interval length is
//                       read off the times: 5, 6, 15, 30 or 60 minutes …);
//   * call timestamps:  a header with `timestamp` (or `datetime`/`start`/`time` and no count
//                       column): one row per call;
//   * Asterisk CDR:     cdr_csv's Master.csv (no header; start time in column 10; one row per
//                       uniqueid when present), with the mean billsec of answered calls.
// Times are Japan wall-clock; a time with an offset (`Z`, `+00:00`) is converted to +09:00.
// Files are UTF-8 or CP932 and read by common/csv (RFC 4180: a stray quote refuses the file).
// Errors name the line (and column) and why; nothing is returned half-read.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.hpp"
#include "forecast/model.hpp"

namespace madoguchi::formats {

struct HistoryOptions {
  std::string column;                 // count column; default "calls"
  std::optional<forecast::Day> from;  // drop earlier days
  std::optional<forecast::Day> to;    // drop later days
};

struct ParsedHistory {
  forecast::History history;
  std::string format;  // "daily", "interval", "timestamps", "asterisk_cdr"
  long long rows = 0;
  std::optional<double> mean_handle_sec;  // CDR: mean billsec of ANSWERED calls
};

Result<ParsedHistory> ParseHistoryCsv(std::string_view text, const HistoryOptions& options = {});

// `date,kind[,size][,label]`, kind one of mailing, booking_open, news, closed, open.
Result<std::vector<forecast::Event>> ParseEventsCsv(std::string_view text);

}  // namespace madoguchi::formats
