#include "formats/history_csv.hpp"

#include <algorithm>
#include <charconv>
#include <climits>
#include <cmath>
#include <map>
#include <numeric>
#include <set>

#include "common/csv.hpp"
#include "common/text.hpp"

namespace madoguchi::formats {
namespace {

using text::Trim;

using forecast::Day;
using std::chrono::days;

constexpr int kTimestampBinMinutes = 5;

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The file's records: UTF-8 or CP932, RFC 4180 (csv::ReadRecords: a stray quote refuses the file
// naming where). `what` names the file when it is empty or not text.
Result<std::vector<csv::Record>> Records(std::string_view bytes, const char* what) {
  auto text = csv::ToUtf8(bytes);
  if (!text.ok()) return InvalidArgumentError(what, text.status().message(), "bad_encoding");
  auto records = csv::ReadRecords(*text);
  if (!records.ok() && records.status().field() == "line 1") return InvalidArgumentError(what, "the file is empty");
  return records;
}

std::string At(size_t line_no, const std::string& column = {}) {
  return "line " + std::to_string(line_no) + (column.empty() ? "" : ", column " + column);
}

// A count: a whole or decimal number >= 0.
std::optional<double> Count(const std::string& s) {
  double v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || !std::isfinite(v) || v < 0) return std::nullopt;
  return v;
}

struct Moment {
  Day day{};
  int minute = 0;  // minute of the day, Japan time
};

// "YYYY-MM-DD HH:MM[:SS]" or "YYYY-MM-DDTHH:MM[:SS][.fff][Z|±HH:MM]".
std::optional<Moment> ParseMoment(std::string_view t) {
  if (t.size() < 16 || (t[10] != ' ' && t[10] != 'T')) return std::nullopt;
  auto day = ParseIsoDate(t.substr(0, 10));
  auto clock = forecast::ParseClock(t.substr(11, 5));
  if (!day || !clock || *clock >= 1440) return std::nullopt;
  std::string_view rest = t.substr(16);
  if (rest.size() >= 3 && rest[0] == ':') {
    if (!std::isdigit(static_cast<unsigned char>(rest[1])) || !std::isdigit(static_cast<unsigned char>(rest[2]))) return std::nullopt;
    rest.remove_prefix(3);
    if (!rest.empty() && rest[0] == '.') {
      rest.remove_prefix(1);
      while (!rest.empty() && std::isdigit(static_cast<unsigned char>(rest[0]))) rest.remove_prefix(1);
    }
  }
  int offset_min = kJapanOffsetMs / 60'000;  // no offset: already Japan time
  if (rest == "Z") {
    offset_min = 0;
  } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':') {
    auto hm = forecast::ParseClock(std::string(rest.substr(1, 2)) + ":" + std::string(rest.substr(4, 2)));
    if (!hm) return std::nullopt;
    offset_min = rest[0] == '+' ? *hm : -*hm;
  } else if (!rest.empty()) {
    return std::nullopt;
  }
  long long total = static_cast<long long>(day->time_since_epoch().count()) * 1440 + *clock + (kJapanOffsetMs / 60'000 - offset_min);
  const long long d = total >= 0 ? total / 1440 : (total - 1439) / 1440;
  return Moment{Day{days{d}}, static_cast<int>(total - d * 1440)};
}

int FindColumn(const std::vector<std::string>& header, std::initializer_list<const char*> names) {
  for (const char* n : names) {
    for (size_t i = 0; i < header.size(); ++i) {
      if (Lower(Trim(header[i])) == n) return static_cast<int>(i);
    }
  }
  return -1;
}

// Per-day bins, built up while reading.
struct Accumulator {
  int bin_minutes = 0;
  std::map<long long, std::vector<double>> bins;  // day number → counts
  std::map<long long, bool> missing;              // day number → flagged not ok
  void Add(const Moment& m, double count) {
    auto& v = bins[m.day.time_since_epoch().count()];
    if (v.empty()) v.assign(1440 / bin_minutes, 0.0);
    v[m.minute / bin_minutes] += count;
  }
};

constexpr long long kMaxSpanDays = 20 * 366;

// Days between the first and last seen; `gap_is_zero` fills unseen days with 0 (timestamps: no
// call that day) rather than no data (counts: the row is absent).
Result<forecast::History> Build(const Accumulator& acc, bool gap_is_zero, bool intraday, const HistoryOptions& o) {
  forecast::History h;
  if (acc.bins.empty() && acc.missing.empty()) return h;
  long long first = LLONG_MAX, last = LLONG_MIN;
  for (const auto& [d, v] : acc.bins) first = std::min(first, d), last = std::max(last, d);
  for (const auto& [d, v] : acc.missing) first = std::min(first, d), last = std::max(last, d);
  if (o.from) first = std::max<long long>(first, o.from->time_since_epoch().count());
  if (o.to) last = std::min<long long>(last, o.to->time_since_epoch().count());
  if (first > last) return h;
  if (last - first > kMaxSpanDays) {
    return InvalidArgumentError("history", "runs from " + FormatIsoDate(Day{days{first}}) + " to " + FormatIsoDate(Day{days{last}}) +
                                               ", more than 20 years: check the dates (or use --from/--to)");
  }
  h.first_day = Day{days{first}};
  h.interval_minutes = intraday ? acc.bin_minutes : 0;
  for (long long d = first; d <= last; ++d) {
    auto it = acc.bins.find(d);
    const bool flagged = acc.missing.count(d) > 0;
    if (flagged || (it == acc.bins.end() && !gap_is_zero)) {
      h.daily.push_back(std::nan(""));
      if (intraday) h.intraday.emplace_back();
      continue;
    }
    if (it == acc.bins.end()) {
      h.daily.push_back(0);
      if (intraday) h.intraday.emplace_back(1440 / acc.bin_minutes, 0.0);
      continue;
    }
    h.daily.push_back(std::accumulate(it->second.begin(), it->second.end(), 0.0));
    if (intraday) h.intraday.push_back(it->second);
  }
  return h;
}

Result<ParsedHistory> ParseCdr(const std::vector<csv::Record>& records, const HistoryOptions& o) {
  Accumulator acc{kTimestampBinMinutes};
  std::set<std::string> seen;
  double billsec = 0;
  long long answered = 0;
  ParsedHistory out;
  out.format = "asterisk_cdr";
  for (const csv::Record& rec : records) {
    const auto& f = rec.cells;
    const size_t line = static_cast<size_t>(rec.line);
    if (f.size() < 16)
      return InvalidArgumentError(At(line), "an Asterisk CDR row has at least 16 fields (got " + std::to_string(f.size()) + ")");
    auto m = ParseMoment(f[9]);
    if (!m) return InvalidArgumentError(At(line, "10 (start)"), "is not a time YYYY-MM-DD HH:MM:SS");
    if (f.size() >= 17 && !f[16].empty() && !seen.insert(f[16]).second) continue;  // one call, several CDRs
    acc.Add(*m, 1);
    ++out.rows;
    if (f[14] == "ANSWERED") {
      auto b = Count(f[13]);
      if (!b) return InvalidArgumentError(At(line, "14 (billsec)"), "is not a number of seconds");
      billsec += *b;
      ++answered;
    }
  }
  if (answered > 0) out.mean_handle_sec = billsec / answered;
  MADOGUCHI_ASSIGN_OR_RETURN(out.history, Build(acc, true, true, o));
  return out;
}

int Gcd(int a, int b) { return b == 0 ? a : Gcd(b, a % b); }

}  // namespace

Result<ParsedHistory> ParseHistoryCsv(std::string_view text, const HistoryOptions& o) {
  MADOGUCHI_ASSIGN_OR_RETURN(const std::vector<csv::Record> records, Records(text, "history"));
  const auto& header = records[0].cells;
  const size_t first = static_cast<size_t>(records[0].line) - 1;
  // Asterisk's Master.csv has no header: recognise it by the start time in column 10.
  if (header.size() >= 16 && ParseMoment(header[9])) return ParseCdr(records, o);

  const std::string count_name = o.column.empty() ? "calls" : Lower(o.column);
  const int c_date = FindColumn(header, {"date"});
  const int c_interval = FindColumn(header, {"interval_start"});
  const int c_datetime = FindColumn(header, {"datetime"});
  const int c_stamp = FindColumn(header, {"timestamp", "datetime", "start", "time"});
  int c_count = -1;
  for (size_t i = 0; i < header.size(); ++i) {
    if (Lower(Trim(header[i])) == count_name) c_count = static_cast<int>(i);
  }
  const int c_flag = FindColumn(header, {"flag"});
  if (!o.column.empty() && c_count < 0) {
    return InvalidArgumentError("column", "the header has no column named \"" + o.column + "\"");
  }

  ParsedHistory out;
  enum class Kind { kDaily, kInterval, kStamps } kind;
  if (c_count >= 0 && c_date >= 0 && c_interval < 0) kind = Kind::kDaily, out.format = "daily";
  else if (c_count >= 0 && ((c_date >= 0 && c_interval >= 0) || c_datetime >= 0)) kind = Kind::kInterval, out.format = "interval";
  else if (c_count < 0 && c_stamp >= 0) kind = Kind::kStamps, out.format = "timestamps";
  else {
    return InvalidArgumentError(At(first + 1),
                                "header not recognised: expected date,calls / date,interval_start,calls / datetime,calls / "
                                "timestamp (one row per call) or an Asterisk Master.csv");
  }

  struct Row {
    Moment at;
    double count;
    bool flagged;
  };
  std::vector<Row> rows;
  int gcd = 1440;
  std::set<std::pair<long long, int>> seen;
  const std::string count_col = c_count >= 0 ? header[c_count] : "";
  for (size_t row = 1; row < records.size(); ++row) {
    const auto& f = records[row].cells;
    const size_t line = static_cast<size_t>(records[row].line);
    const size_t need = static_cast<size_t>(std::max({c_date, c_interval, c_datetime, c_stamp, c_count, c_flag})) + 1;
    if (f.size() < need) {
      return InvalidArgumentError(At(line), "has " + std::to_string(f.size()) + " fields, the header has " + std::to_string(header.size()));
    }
    Row r{{}, 1, false};
    if (kind == Kind::kDaily) {
      auto d = ParseIsoDate(Trim(f[c_date]));
      if (!d) return InvalidArgumentError(At(line, "date"), "is not a date YYYY-MM-DD");
      r.at = {*d, 0};
    } else if (kind == Kind::kInterval && c_interval >= 0 && c_date >= 0) {
      auto d = ParseIsoDate(Trim(f[c_date]));
      if (!d) return InvalidArgumentError(At(line, "date"), "is not a date YYYY-MM-DD");
      auto m = forecast::ParseClock(Trim(f[c_interval]));
      if (!m || *m >= 1440) return InvalidArgumentError(At(line, "interval_start"), "is not a time HH:MM");
      r.at = {*d, *m};
    } else {
      const int col = kind == Kind::kInterval ? c_datetime : c_stamp;
      auto m = ParseMoment(Trim(f[col]));
      if (!m) return InvalidArgumentError(At(line, header[col]), "is not a time YYYY-MM-DD HH:MM[:SS][offset]");
      r.at = *m;
    }
    if (c_flag >= 0) r.flagged = Lower(Trim(f[c_flag])) != "ok";
    if (kind != Kind::kStamps) {
      const std::string cell = Trim(f[c_count]);
      if (cell.empty()) {
        r.flagged = true;  // no count: no data
      } else {
        auto v = Count(cell);
        if (!v) return InvalidArgumentError(At(line, count_col), "must be a number >= 0 (got \"" + cell + "\")");
        r.count = *v;
      }
      if (!seen.insert({r.at.day.time_since_epoch().count(), r.at.minute}).second) {
        return InvalidArgumentError(
            At(line), "repeats " + FormatIsoDate(r.at.day) + (kind == Kind::kInterval ? " " + forecast::FormatClock(r.at.minute) : ""));
      }
    }
    if (kind == Kind::kInterval) gcd = Gcd(gcd, r.at.minute);
    rows.push_back(r);
  }
  if (rows.empty()) return InvalidArgumentError("history", "has a header but no rows");
  out.rows = static_cast<long long>(rows.size());
  Accumulator acc{kind == Kind::kDaily ? 1440 : kind == Kind::kStamps ? kTimestampBinMinutes : gcd};
  for (const Row& r : rows) {
    if (r.flagged) acc.missing[r.at.day.time_since_epoch().count()] = true;
    else acc.Add(r.at, r.count);
  }
  MADOGUCHI_ASSIGN_OR_RETURN(out.history, Build(acc, kind == Kind::kStamps, kind != Kind::kDaily, o));
  if (out.history.daily.empty()) return InvalidArgumentError("history", "has no days in the requested range");
  return out;
}

Result<std::vector<forecast::Event>> ParseEventsCsv(std::string_view text) {
  MADOGUCHI_ASSIGN_OR_RETURN(const std::vector<csv::Record> records, Records(text, "events"));
  const auto& header = records[0].cells;
  const int c_date = FindColumn(header, {"date"}), c_kind = FindColumn(header, {"kind"});
  const int c_size = FindColumn(header, {"size", "count"}), c_label = FindColumn(header, {"label"});
  if (c_date < 0 || c_kind < 0) return InvalidArgumentError("line 1", "the header needs date,kind[,size][,label]");
  std::vector<forecast::Event> out;
  for (size_t row = 1; row < records.size(); ++row) {
    const auto& f = records[row].cells;
    const size_t line = static_cast<size_t>(records[row].line);
    auto get = [&](int c) { return c >= 0 && static_cast<size_t>(c) < f.size() ? Trim(f[c]) : std::string(); };
    forecast::Event e;
    auto d = ParseIsoDate(get(c_date));
    if (!d) return InvalidArgumentError(At(line, "date"), "is not a date YYYY-MM-DD");
    e.day = *d;
    auto k = forecast::ParseEventKind(get(c_kind));
    if (!k) return InvalidArgumentError(At(line, "kind"), "must be mailing, booking_open, news, closed or open");
    e.kind = *k;
    if (!get(c_size).empty()) {
      auto v = Count(get(c_size));
      if (!v) return InvalidArgumentError(At(line, "size"), "must be a number >= 0");
      e.size = *v;
    } else if (e.kind == forecast::EventKind::kMailing || e.kind == forecast::EventKind::kBookingOpen) {
      return InvalidArgumentError(At(line, "size"), "is required for " + get(c_kind) + " (the number of people)");
    }
    e.label = get(c_label);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace madoguchi::formats
