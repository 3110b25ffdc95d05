#include "config/residents_csv.hpp"

#include <iconv.h>

#include <cerrno>

#include "common/text.hpp"
#include "config/history_csv.hpp"

namespace madoguchi::config {
namespace {

using text::Trim;



}  // namespace

Result<std::string> ToUtf8(std::string_view bytes) {
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
  if (text::IsValidUtf8(bytes)) return std::string(bytes);
  iconv_t cd = iconv_open("UTF-8", "CP932");
  if (cd == reinterpret_cast<iconv_t>(-1)) return InternalError("iconv cannot convert from CP932 on this system");
  std::string out(bytes.size() * 3 / 2 + 16, '\0');
  char* in_ptr = const_cast<char*>(bytes.data());
  size_t in_left = bytes.size();
  char* out_ptr = out.data();
  size_t out_left = out.size();
  const size_t r = iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left);
  const int err = errno;
  iconv_close(cd);
  if (r == static_cast<size_t>(-1)) {
    (void)err;
    return InvalidArgumentError("encoding", "the file is neither UTF-8 nor Shift_JIS/CP932 (byte " +
                                                std::to_string(bytes.size() - in_left + 1) + ")");
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

Result<std::pair<std::vector<std::string>, std::vector<std::vector<std::string>>>> ReadCsv(std::string_view text) {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  bool first = true;
  std::string pending;
  for (size_t start = 0; start < text.size();) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    pending += std::string(text.substr(start, end - start));
    start = end + 1;
    size_t quotes = 0;
    for (char c : pending) quotes += c == '"';
    if (quotes % 2 == 1) {
      pending += '\n';
      continue;
    }
    std::string whole = std::move(pending);
    pending.clear();
    if (!whole.empty() && whole.back() == '\r') whole.pop_back();
    if (Trim(whole).empty()) continue;
    std::vector<std::string> cells = SplitCsvLine(whole);
    for (auto& c : cells) c = Trim(c);
    if (first) {
      header = std::move(cells);
      first = false;
    } else {
      rows.push_back(std::move(cells));
    }
  }
  if (first) return InvalidArgumentError("line 1", "the file is empty");
  return std::pair{header, rows};
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

std::string CsvLine(const std::vector<std::string>& cells) {
  std::string out;
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i) out += ',';
    const std::string& c = cells[i];
    if (c.find_first_of(",\"\r\n") == std::string::npos) {
      out += c;
      continue;
    }
    out += '"';
    for (char ch : c) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    out += '"';
  }
  return out + "\r\n";
}

}  // namespace madoguchi::config
