// src/channels/kannel.cpp — see kannel.hpp.
#include "channels/kannel.hpp"

#include <httplib.h>

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

}  // namespace madoguchi::channels
