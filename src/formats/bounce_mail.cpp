#include "formats/bounce_mail.hpp"

#include <gmime/gmime.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <mutex>
#include <sstream>

namespace madoguchi::formats {
namespace {

constexpr size_t kMaxBytes = 10 << 20;

void InitGMime() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

struct Unref {
  void operator()(void* p) const {
    if (p) g_object_unref(p);
  }
};
template <typename T>
using Owned = std::unique_ptr<T, Unref>;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

// The words of a header value that look like addresses ("Name <a@b>, c@d" → a@b, c@d;
// "rfc822; a@b" → a@b).
void AddAddresses(std::string_view value, std::vector<std::string>& out) {
  std::string word;
  auto flush = [&] {
    if (word.find('@') != std::string::npos && std::find(out.begin(), out.end(), word) == out.end()) out.push_back(word);
    word.clear();
  };
  for (char c : value) {
    if (c == ',' || c == ';' || c == '<' || c == '>' || c == '"' || std::isspace(static_cast<unsigned char>(c))) {
      flush();
    } else {
      word += c;
    }
  }
  flush();
}

// The field blocks of a message/delivery-status body (RFC 3464 §2.1): blank-line separated groups
// of "Name: value" lines, continuation lines folded in; names in lower case.
using Fields = std::vector<std::pair<std::string, std::string>>;
std::vector<Fields> ReadStatusBlocks(const std::string& body) {
  std::vector<Fields> blocks(1);
  std::istringstream in(body);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (Trim(line).empty()) {
      if (!blocks.back().empty()) blocks.emplace_back();
      continue;
    }
    if ((line[0] == ' ' || line[0] == '\t') && !blocks.back().empty()) {
      blocks.back().back().second += " " + Trim(line);
      continue;
    }
    const size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    blocks.back().emplace_back(Lower(Trim(line.substr(0, colon))), Trim(line.substr(colon + 1)));
  }
  if (blocks.back().empty()) blocks.pop_back();
  return blocks;
}

std::string FirstWord(const std::string& v) {
  const size_t end = v.find_first_of(" \t(;");
  return end == std::string::npos ? v : v.substr(0, end);
}

std::string Content(GMimePart* part) {
  GMimeDataWrapper* content = g_mime_part_get_content(part);
  if (!content) return {};
  Owned<GMimeStream> mem(g_mime_stream_mem_new());
  g_mime_data_wrapper_write_to_stream(content, mem.get());
  GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem.get()));
  return std::string(reinterpret_cast<const char*>(bytes->data), bytes->len);
}

constexpr const char* kAddressHeaders[] = {"to", "delivered-to", "x-original-to", "envelope-to", "x-envelope-to", "x-rcptto"};

void ReadReport(const std::string& body, BounceMail& out) {
  out.is_report = true;
  const std::vector<Fields> blocks = ReadStatusBlocks(body);
  for (size_t i = 0; i < blocks.size(); ++i) {
    messaging::RecipientStatus r;
    bool recipient = false;
    for (const auto& [name, value] : blocks[i]) {
      if (name == "action") {
        r.action = Lower(FirstWord(value));
        recipient = true;
      } else if (name == "status") {
        r.status = FirstWord(value);
      } else if (i == 0 && (name == "x-postfix-sender" || name == "original-envelope-id")) {
        AddAddresses(value, out.addressed_to);
      }
    }
    if (recipient) out.recipients.push_back(std::move(r));
  }
}

void Visit(GMimeObject* /*parent*/, GMimeObject* part, gpointer data) {
  auto* out = static_cast<BounceMail*>(data);
  GMimeContentType* type = g_mime_object_get_content_type(part);
  if (!type || !g_mime_content_type_is_type(type, "message", "delivery-status")) return;
  if (GMIME_IS_PART(part)) {
    ReadReport(Content(GMIME_PART(part)), *out);
  } else if (GMIME_IS_MESSAGE_PART(part)) {
    // Read as a message by some builds: its "headers" are the per-message block.
    GMimeMessage* m = g_mime_message_part_get_message(GMIME_MESSAGE_PART(part));
    if (!m) return;
    char* text = g_mime_object_to_string(GMIME_OBJECT(m), nullptr);
    ReadReport(text ? text : "", *out);
    g_free(text);
  }
}

}  // namespace

Result<BounceMail> ReadBounceMail(std::string_view raw) {
  auto bad = [](const char* why) { return InvalidArgumentError("message", why, "not_a_message"); };
  if (raw.size() > kMaxBytes) return bad("is over 10 MiB");
  InitGMime();
  Owned<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(raw.data(), raw.size()));
  Owned<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  Owned<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), nullptr));
  if (!message) return bad("is not a mail message");
  GMimeHeaderList* headers = g_mime_object_get_header_list(GMIME_OBJECT(message.get()));
  const int n = headers ? g_mime_header_list_get_count(headers) : 0;
  if (n == 0) return bad("has no header");
  BounceMail out;
  for (int i = 0; i < n; ++i) {
    GMimeHeader* h = g_mime_header_list_get_header_at(headers, i);
    const std::string name = Lower(g_mime_header_get_name(h));
    const char* value = g_mime_header_get_value(h);
    if (value && std::find(std::begin(kAddressHeaders), std::end(kAddressHeaders), name) != std::end(kAddressHeaders)) {
      AddAddresses(value, out.addressed_to);
    }
  }
  g_mime_message_foreach(message.get(), Visit, &out);
  return out;
}

}  // namespace madoguchi::formats
