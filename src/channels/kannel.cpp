// src/channels/kannel.cpp — see kannel.hpp.
#include "channels/kannel.hpp"

#include <httplib.h>

#include <algorithm>
#include <cstdio>
#include <optional>

#include "common/text.hpp"

namespace madoguchi::channels {
namespace {

struct ParsedUrl {
  std::string origin;  // scheme://host:port
  std::string path;
};

Result<ParsedUrl> ParseHttpUrl(const std::string& url, const std::string& field) {
  const std::string scheme = url.rfind("http://", 0) == 0 ? "http://" : url.rfind("https://", 0) == 0 ? "https://" : "";
  if (scheme.empty()) return InvalidArgumentError(field, "must start with http:// or https://");
  const size_t slash = url.find('/', scheme.size());
  if (slash == std::string::npos || slash == scheme.size()) return InvalidArgumentError(field, "needs a host and a path");
  return ParsedUrl{url.substr(0, slash), url.substr(slash)};
}

}  // namespace

Status ValidateKannelOptions(const KannelOptions& o) {
  MADOGUCHI_RETURN_IF_ERROR(ParseHttpUrl(o.sendsms_url, "kannel-url").status());
  if (o.username.empty()) return InvalidArgumentError("kannel-user", "is required");
  MADOGUCHI_RETURN_IF_ERROR(ParseHttpUrl(o.dlr_url, "dlr-url").status());
  if (o.dlr_url.find('?') == std::string::npos) return InvalidArgumentError("dlr-url", "must carry its key (?key=…)");
  return Status::Ok();
}

struct KannelClient::Impl {
  KannelOptions options;
  std::string path;
  std::unique_ptr<httplib::Client> client;
};

KannelClient::KannelClient(KannelOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  Result<ParsedUrl> url = ParseHttpUrl(impl_->options.sendsms_url, "kannel-url");
  if (!url.ok()) return;  // Send reports it
  impl_->path = url->path;
  impl_->client = std::make_unique<httplib::Client>(url->origin);
  impl_->client->set_keep_alive(true);
  const int ms = impl_->options.timeout_ms;
  impl_->client->set_connection_timeout(ms / 1000, (ms % 1000) * 1000);
  impl_->client->set_read_timeout(ms / 1000, (ms % 1000) * 1000);
  impl_->client->set_write_timeout(ms / 1000, (ms % 1000) * 1000);
}

KannelClient::~KannelClient() = default;

Status KannelClient::Send(const SmsSubmission& s) {
  if (!impl_->client) return InvalidArgumentError("kannel-url", "must be an http:// URL with a host and a path");
  const KannelOptions& o = impl_->options;
  const int total = s.parts.parts();
  // The concatenation header's reference: the same for every part of one message.
  const auto ref = static_cast<char>(s.message_id & 0xFF);
  for (int i = 0; i < total; ++i) {
    std::string q = "user=" + text::PercentEncode(o.username) + "&pass=" + text::PercentEncode(o.password) +
                    "&to=" + text::PercentEncode(s.to) + "&from=" + text::PercentEncode(s.from) +
                    "&charset=UTF-8&coding=" + (s.parts.encoding == messaging::SmsEncoding::kUcs2 ? "2" : "0") +
                    "&text=" + text::PercentEncode(s.parts.texts[i]);
    if (total > 1) {
      const std::string udh{'\x05', '\x00', '\x03', ref, static_cast<char>(total), static_cast<char>(i + 1)};
      q += "&udh=" + text::PercentEncode(udh);
    }
    // 1 delivered, 2 undelivered, 16 refused by the SMSC (8, taken by the SMSC, would double the
    // callbacks and change nothing).
    const std::string dlr =
        o.dlr_url + "&id=" + std::to_string(s.message_id) + "&part=" + std::to_string(i) + "&of=" + std::to_string(total) + "&type=%d";
    q += "&dlr-mask=19&dlr-url=" + text::PercentEncode(dlr);
    if (!o.smsc_id.empty()) q += "&smsc=" + text::PercentEncode(o.smsc_id);
    auto r = impl_->client->Get(impl_->path + "?" + q);
    if (!r) return UnavailableError("smsbox did not answer (" + httplib::to_string(r.error()) + ")", "sms_gateway_unavailable");
    if (r->status == 202 || r->status == 200) continue;
    if (r->status == 403) return UnavailableError("smsbox refused the credentials (HTTP 403)", "sms_gateway_refused");
    if (r->status >= 500) return UnavailableError("smsbox answered HTTP " + std::to_string(r->status), "sms_gateway_unavailable");
    return InvalidArgumentError("text", "smsbox refused the message: HTTP " + std::to_string(r->status), "sms_rejected");
  }
  return Status::Ok();
}

namespace {

// The text of the first <tag>…</tag> in `xml` from `from`, before `until`; nullopt when none.
std::optional<std::string> Tag(std::string_view xml, std::string_view tag, size_t from = 0, size_t until = std::string_view::npos) {
  const std::string open = "<" + std::string(tag) + ">", close = "</" + std::string(tag) + ">";
  const size_t a = xml.find(open, from);
  if (a == std::string_view::npos || a >= until) return std::nullopt;
  const size_t b = xml.find(close, a + open.size());
  if (b == std::string_view::npos || b > until) return std::nullopt;
  return std::string(xml.substr(a + open.size(), b - a - open.size()));
}

int64_t Number(const std::optional<std::string>& text) {
  if (!text || text->empty() || text->size() > 18 || text->find_first_not_of("0123456789") != std::string::npos) return 0;
  return std::stoll(*text);
}

}  // namespace

Result<KannelStatus> ParseKannelStatus(std::string_view xml) {
  const size_t gateway = xml.find("<gateway>");
  const std::optional<std::string> status = gateway == std::string_view::npos ? std::nullopt : Tag(xml, "status", gateway);
  if (!status) return UnavailableError("the answer is not Kannel's status.xml", "sms_gateway_status");
  KannelStatus k;
  // "running, uptime 0d 1h 2m 3s"
  k.state = status->substr(0, status->find(','));
  int d = 0, h = 0, m = 0, sec = 0;
  if (const size_t up = status->find("uptime ");
      up != std::string::npos && std::sscanf(status->c_str() + up + 7, "%dd %dh %dm %ds", &d, &h, &m, &sec) == 4) {
    k.uptime_s = ((int64_t{d} * 24 + h) * 60 + m) * 60 + sec;
  }
  if (const size_t sms = xml.find("<sms>", gateway); sms != std::string_view::npos) {
    const size_t end = xml.find("</sms>", sms);
    if (const size_t sent = xml.find("<sent>", sms); sent != std::string_view::npos && sent < end) {
      k.sms_sent_queued = Number(Tag(xml, "queued", sent, end));
    }
    k.store_size = Number(Tag(xml, "storesize", sms, end));
  }
  if (const size_t dlr = xml.find("<dlr>", gateway); dlr != std::string_view::npos) {
    k.dlr_queued = Number(Tag(xml, "queued", dlr, xml.find("</dlr>", dlr)));
  }
  const size_t smscs = xml.find("<smscs>");
  for (size_t at = smscs == std::string_view::npos ? std::string_view::npos : xml.find("<smsc>", smscs); at != std::string_view::npos;
       at = xml.find("<smsc>", at + 1)) {
    const size_t end = xml.find("</smsc>", at);
    if (end == std::string_view::npos) break;
    // The link's own fields come before its <sms> and <dlr> counters.
    const size_t own = std::min(end, xml.find("<sms>", at));
    KannelSmscStatus s;
    s.id = Tag(xml, "id", at, own).value_or("");
    s.status = Tag(xml, "status", at, own).value_or("");
    s.queued = Number(Tag(xml, "queued", at, own));
    s.failed = Number(Tag(xml, "failed", at, own));
    k.smscs.push_back(std::move(s));
  }
  return k;
}

Result<KannelStatus> FetchKannelStatus(const std::string& admin_url, const std::string& password, int timeout_ms) {
  std::string origin = admin_url;
  while (!origin.empty() && origin.back() == '/') origin.pop_back();
  if (origin.rfind("http://", 0) != 0 && origin.rfind("https://", 0) != 0) {
    return InvalidArgumentError("kannel-admin-url", "must start with http:// or https://");
  }
  httplib::Client client(origin);
  client.set_connection_timeout(timeout_ms / 1000, (timeout_ms % 1000) * 1000);
  client.set_read_timeout(timeout_ms / 1000, (timeout_ms % 1000) * 1000);
  httplib::Params params{{"password", password}};
  auto r = client.Get("/status.xml", params, httplib::Headers{});
  if (!r) return UnavailableError("bearerbox's admin port did not answer (" + httplib::to_string(r.error()) + ")", "sms_gateway_down");
  if (r->status != 200) return UnavailableError("bearerbox's admin port answered HTTP " + std::to_string(r->status), "sms_gateway_status");
  return ParseKannelStatus(r->body);
}

}  // namespace madoguchi::channels
