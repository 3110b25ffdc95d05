// src/channels/smtp.cpp — see smtp.hpp.
#include "channels/smtp.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <ctime>
#include <mutex>

#include "common/crypto.hpp"
#include "common/text.hpp"

namespace madoguchi::channels {
namespace {

bool IsPlainAscii(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c > 0x7E) return false;
  }
  return true;
}

// Base64 in lines of 76 characters, as MIME bodies are written.
std::string Base64Lines(std::string_view data) {
  const std::string b64 = crypto::Base64Encode(data);
  std::string out;
  for (size_t i = 0; i < b64.size(); i += 76) out += b64.substr(i, 76) + "\r\n";
  return out;
}

// RFC 2047 encoded words ("=?UTF-8?B?…?="), folded onto continuation lines so that no line is
// longer than 76 characters (`used`: what the header's name took on the first line), never cutting
// a character.
std::string EncodedWords(std::string_view text, size_t used) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    const size_t budget = (out.empty() ? 76 - used : 75) - 12;  // 12: =?UTF-8?B? and ?=
    size_t end = std::min(text.size(), i + budget / 4 * 3);
    while (end < text.size() && end > i && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + crypto::Base64Encode(text.substr(i, end - i)) + "?=";
    i = end;
  }
  return out;
}

std::string HeaderText(std::string_view text, size_t used) {
  if (IsPlainAscii(text) && text.find_first_of("\"\\") == std::string_view::npos && used + text.size() <= 78) return std::string(text);
  return EncodedWords(text, used);
}

// "Wed, 02 Dec 2026 16:47:00 +0900": the time in Japan.
std::string MailDate(int64_t now_ms) {
  const std::time_t t = static_cast<std::time_t>(now_ms / 1000 + 9 * 3600);
  std::tm tm{};
  gmtime_r(&t, &tm);
  static const char* const kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0900", kDays[tm.tm_wday], tm.tm_mday, kMonths[tm.tm_mon],
                tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

// The text as HTML: escaped, line breaks kept, http(s) links made links.
std::string TextAsHtml(std::string_view text) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    const size_t next = std::min(text.find("https://", i), text.find("http://", i));
    if (next == std::string_view::npos) {
      out += madoguchi::text::HtmlEscape(text.substr(i));
      break;
    }
    out += madoguchi::text::HtmlEscape(text.substr(i, next - i));
    size_t end = next;
    while (end < text.size() && static_cast<unsigned char>(text[end]) > 0x20 && static_cast<unsigned char>(text[end]) < 0x7F) ++end;
    const std::string url = madoguchi::text::HtmlEscape(text.substr(next, end - next));
    out += "<a href=\"" + url + "\">" + url + "</a>";
    i = end;
  }
  std::string html;
  for (char c : out) {
    if (c == '\n') html += "<br>\r\n";
    else if (c != '\r') html += c;
  }
  return html;
}

std::string WithCrlf(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) out += '\r';
    out += text[i];
  }
  return out;
}

std::string DomainOf(const std::string& address) {
  const size_t at = address.rfind('@');
  return at == std::string::npos ? "localhost" : address.substr(at + 1);
}

size_t ReadPayload(char* buffer, size_t size, size_t items, void* user) {
  auto* payload = static_cast<std::pair<const std::string*, size_t>*>(user);
  const size_t n = std::min(size * items, payload->first->size() - payload->second);
  std::memcpy(buffer, payload->first->data() + payload->second, n);
  payload->second += n;
  return n;
}

}  // namespace

Status ValidateSmtpOptions(const SmtpOptions& o) {
  const std::string scheme = o.url.rfind("smtp://", 0) == 0 ? "smtp://" : o.url.rfind("smtps://", 0) == 0 ? "smtps://" : "";
  if (scheme.empty()) return InvalidArgumentError("smtp-url", "must start with smtp:// or smtps://");
  if (o.url.size() == scheme.size() || o.url[scheme.size()] == '/' || o.url[scheme.size()] == ':') {
    return InvalidArgumentError("smtp-url", "needs a host");
  }
  if (!o.username.empty() && o.password.empty()) return InvalidArgumentError("smtp-pass", "is required with --smtp-user");
  if (o.timeout_ms < 100 || o.timeout_ms > 120000) return InvalidArgumentError("smtp-timeout", "must be from 100 ms to 120 s");
  return Status::Ok();
}

std::string ComposeEmail(const Email& e, int64_t now_ms) {
  const std::string boundary = "=_madoguchi_" + std::to_string(e.message_id);
  std::string m;
  m += "Date: " + MailDate(now_ms) + "\r\n";
  // The name, then the address, on a line of its own when it does not fit after the name.
  std::string from = "From: ";
  if (!e.from_name.empty()) {
    from += HeaderText(e.from_name, from.size());
    const size_t nl = from.rfind('\n');
    const size_t line_start = nl == std::string::npos ? 0 : nl + 1;
    from += from.size() - line_start + e.from.size() + 3 > 78 ? "\r\n " : " ";
  }
  m += from + "<" + e.from + ">\r\n";
  m += "To: <" + e.to + ">\r\n";
  m += "Subject: " + HeaderText(e.subject, 9) + "\r\n";
  m += "Message-ID: <madoguchi." + std::to_string(e.message_id) + "." + std::to_string(now_ms) + "@" + DomainOf(e.from) + ">\r\n";
  m += "MIME-Version: 1.0\r\n";
  m += "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n";
  m += "\r\n";
  m += "--" + boundary + "\r\n";
  m += "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n";
  m += Base64Lines(WithCrlf(e.text));
  m += "--" + boundary + "\r\n";
  m += "Content-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n";
  const std::string html =
      "<!DOCTYPE html>\r\n<html lang=\"ja\"><head><meta charset=\"utf-8\"><title>" + madoguchi::text::HtmlEscape(e.subject) +
      "</title></head>\r\n<body style=\"font-size:18px;line-height:1.7\">\r\n<p>" + TextAsHtml(e.text) + "</p>\r\n</body></html>\r\n";
  m += Base64Lines(html);
  m += "--" + boundary + "--\r\n";
  return m;
}

struct SmtpClient::Impl {
  SmtpOptions options;
  CURL* curl = nullptr;
};

SmtpClient::SmtpClient(SmtpOptions options) : impl_(std::make_unique<Impl>()) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  impl_->options = std::move(options);
  impl_->curl = curl_easy_init();
}

SmtpClient::~SmtpClient() {
  if (impl_->curl) curl_easy_cleanup(impl_->curl);
}

Status SmtpClient::Send(const Email& e, int64_t now_ms) {
  const SmtpOptions& o = impl_->options;
  if (o.url.empty()) return FailedPreconditionError("no SMTP server is configured", "email_not_configured");
  if (!impl_->curl) return UnavailableError("libcurl could not start", "email_unavailable");
  // The addresses go into SMTP commands and headers: one that could end a line or a bracket is
  // refused here too, whatever checked it before.
  const std::string& envelope = e.envelope_from.empty() ? e.from : e.envelope_from;
  for (const std::string* a : {&e.from, &e.to, &envelope}) {
    if (a->empty() || !IsPlainAscii(*a) || a->find_first_of("<> ") != std::string::npos) {
      return InvalidArgumentError(a == &e.to     ? "to"
                                  : a == &e.from ? "from"
                                                 : "envelope_from",
                                  "is not an address that can be put in a mail header", "email_rejected");
    }
  }
  CURL* c = impl_->curl;
  const std::string message = ComposeEmail(e, now_ms);
  std::pair<const std::string*, size_t> payload{&message, 0};
  const std::string from = "<" + envelope + ">";
  curl_slist* rcpt = curl_slist_append(nullptr, ("<" + e.to + ">").c_str());
  char error[CURL_ERROR_SIZE] = {0};
  curl_easy_reset(c);
  curl_easy_setopt(c, CURLOPT_URL, o.url.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(c, CURLOPT_READFUNCTION, ReadPayload);
  curl_easy_setopt(c, CURLOPT_READDATA, &payload);
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(o.timeout_ms));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(o.timeout_ms));
  curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(o.require_tls ? CURLUSESSL_ALL : CURLUSESSL_TRY));
  if (!o.username.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, o.username.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, o.password.c_str());
  }
  const CURLcode rc = curl_easy_perform(c);
  curl_slist_free_all(rcpt);
  if (rc == CURLE_OK) return Status::Ok();
  long code = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
  const std::string why = std::string(curl_easy_strerror(rc)) + (error[0] ? std::string(": ") + error : "") +
                          (code ? " (server answered " + std::to_string(code) + ")" : "");
  if (rc != CURLE_LOGIN_DENIED && code >= 500 && code < 600) return InvalidArgumentError("to", why, "email_rejected");
  return UnavailableError(why, "email_unavailable");
}

}  // namespace madoguchi::channels
