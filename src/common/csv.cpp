#include "common/csv.hpp"

#include <iconv.h>

#include <cerrno>

#include "common/text.hpp"

namespace madoguchi::csv {
namespace {

using text::Trim;

}  // namespace

Result<std::string> ToUtf8(std::string_view bytes) {
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
  if (text::IsValidUtf8(bytes)) return std::string(bytes);
  iconv_t cd = iconv_open("UTF-8", "CP932");
  if (cd == reinterpret_cast<iconv_t>(-1)) return InternalError("iconv cannot convert from CP932 on this system");
  // A CP932 byte can become three UTF-8 bytes (half-width katakana: ｱ is 0xB1, U+FF71), so the
  // output is sized for that and never runs short.
  std::string out(bytes.size() * 3 + 16, '\0');
  char* in_ptr = const_cast<char*>(bytes.data());
  size_t in_left = bytes.size();
  char* out_ptr = out.data();
  size_t out_left = out.size();
  const size_t r = iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left);
  const int err = errno;
  iconv_close(cd);
  if (r == static_cast<size_t>(-1)) {
    if (err == E2BIG) return InternalError("CP932 conversion ran out of room");
    return InvalidArgumentError("encoding",
                                "the file is neither UTF-8 nor Shift_JIS/CP932 (byte " + std::to_string(bytes.size() - in_left + 1) + ")");
  }
  out.resize(out.size() - out_left);
  return out;
}

Result<std::string> Utf8ToCp932(std::string_view utf8) {
  iconv_t cd = iconv_open("CP932", "UTF-8");
  if (cd == reinterpret_cast<iconv_t>(-1)) return InternalError("iconv cannot convert to CP932 on this system");
  std::string out(utf8.size() + 16, '\0');
  char* in_ptr = const_cast<char*>(utf8.data());
  size_t in_left = utf8.size();
  char* out_ptr = out.data();
  size_t out_left = out.size();
  const size_t r = iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left);
  iconv_close(cd);
  if (r == static_cast<size_t>(-1)) {
    return InvalidArgumentError("encoding", "a character at byte " + std::to_string(utf8.size() - in_left + 1) + " has no CP932 form");
  }
  out.resize(out.size() - out_left);
  return out;
}

Result<std::vector<Record>> ReadRecords(std::string_view text) {
  // One pass over the bytes (linear on any input). A quote opens a cell only as its first
  // character; inside a quoted cell "" is a quote; after the closing quote only a comma or the
  // end of the line may follow. Anything else is refused naming the row and column, so a file
  // is either read whole or not at all.
  std::vector<Record> records;
  std::vector<std::string> record;
  std::string cell;
  enum class State { kCellStart, kUnquoted, kQuoted, kQuoteInQuoted } state = State::kCellStart;
  int line = 1;              // physical line of the current byte
  int record_line = 1;       // physical line where the current record began
  int quoted_from_line = 1;  // where the open quoted cell began
  auto where = [&](size_t column) {
    // Data rows are numbered from 1 as the import reports number them (the header is row 0).
    const std::string row = records.empty() ? "the header" : "row " + std::to_string(records.size());
    return row + " (line " + std::to_string(record_line) + "), column " + std::to_string(column);
  };
  auto end_record = [&]() {
    record.push_back(std::move(cell));
    cell.clear();
    bool blank = true;
    for (auto& c : record) {
      c = Trim(c);
      blank = blank && c.empty();
    }
    if (!(blank && record.size() == 1)) records.push_back({record_line, std::move(record)});
    record.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    switch (state) {
      case State::kCellStart:
      case State::kUnquoted:
        if (c == '"') {
          if (state == State::kUnquoted && !Trim(cell).empty()) {
            return InvalidArgumentError(where(record.size() + 1),
                                        "has a double quote (\") inside a cell that does not start with one; put the "
                                        "whole cell in double quotes and write the quote twice (\"\")",
                                        "csv_stray_quote");
          }
          cell.clear();  // spaces before an opening quote
          state = State::kQuoted;
          quoted_from_line = line;
        } else if (c == ',') {
          record.push_back(std::move(cell));
          cell.clear();
          state = State::kCellStart;
        } else if (c == '\n') {
          if (!cell.empty() && cell.back() == '\r') cell.pop_back();
          end_record();
          ++line;
          record_line = line;
          state = State::kCellStart;
        } else {
          cell += c;
          state = State::kUnquoted;
        }
        break;
      case State::kQuoted:
        if (c == '"') {
          state = State::kQuoteInQuoted;
        } else {
          if (c == '\n') ++line;
          cell += c;
        }
        break;
      case State::kQuoteInQuoted:
        if (c == '"') {
          cell += '"';
          state = State::kQuoted;
        } else if (c == ',') {
          record.push_back(std::move(cell));
          cell.clear();
          state = State::kCellStart;
        } else if (c == '\n' || (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n')) {
          if (c == '\r') ++i;
          end_record();
          ++line;
          record_line = line;
          state = State::kCellStart;
        } else if (c == ' ' || c == '\t') {
          // spaces after the closing quote are trimmed like any cell's
        } else {
          return InvalidArgumentError(where(record.size() + 1),
                                      "has characters after its closing double quote; write a quote inside a "
                                      "quoted cell twice (\"\")",
                                      "csv_stray_quote");
        }
        break;
    }
  }
  if (state == State::kQuoted) {
    return InvalidArgumentError(where(record.size() + 1),
                                "opens a double quote on line " + std::to_string(quoted_from_line) + " that is never closed",
                                "csv_unclosed_quote");
  }
  if (state != State::kCellStart || !record.empty() || !cell.empty()) {
    if (!cell.empty() && cell.back() == '\r') cell.pop_back();
    end_record();
  }
  if (records.empty()) return InvalidArgumentError("line 1", "the file is empty");
  return records;
}

Result<std::pair<std::vector<std::string>, std::vector<std::vector<std::string>>>> ReadCsv(std::string_view text) {
  MADOGUCHI_ASSIGN_OR_RETURN(std::vector<Record> records, ReadRecords(text));
  std::pair<std::vector<std::string>, std::vector<std::vector<std::string>>> out;
  out.first = std::move(records[0].cells);
  out.second.reserve(records.size() - 1);
  for (size_t i = 1; i < records.size(); ++i) out.second.push_back(std::move(records[i].cells));
  return out;
}

Result<std::vector<std::vector<std::string>>> ReadCsvWithHeader(std::string_view text, const std::vector<std::string>& header) {
  MADOGUCHI_ASSIGN_OR_RETURN(auto csv, ReadCsv(text));
  if (csv.first != header) {
    std::string want;
    for (const auto& h : header) want += (want.empty() ? "" : ",") + h;
    return InvalidArgumentError("line 1", "the header must be " + want);
  }
  return std::move(csv.second);
}

std::string Cell(std::string_view value) {
  std::string v;
  if (!value.empty() && std::string_view("=+-@\t\r").find(value[0]) != std::string_view::npos) v = "'";
  v += value;
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string CsvLine(const std::vector<std::string>& cells) {
  std::string out;
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i) out += ',';
    out += Cell(cells[i]);
  }
  return out + "\r\n";
}

}  // namespace madoguchi::csv
