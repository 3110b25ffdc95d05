#include "channels/line.hpp"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <thread>

#include "common/crypto.hpp"
#include "messaging/delivery.hpp"

namespace madoguchi::channels {

bool VerifyLineSignature(std::string_view secret, std::string_view body, std::string_view header) {
  if (header.empty() || secret.empty()) return false;
  return crypto::ConstantTimeEquals(LineSignature(secret, body), header);
}

std::string LineSignature(std::string_view secret, std::string_view body) { return crypto::Base64Encode(crypto::HmacSha256(secret, body)); }

namespace {

// At most `n` characters (code points), never a broken one.
std::string TruncateChars(const std::string& s, size_t n) {
  size_t i = 0, count = 0;
  while (i < s.size() && count < n) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    i += c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4;
    ++count;
  }
  return s.substr(0, std::min(i, s.size()));
}

}  // namespace

std::string LineMessagesJson(const std::vector<LineMessage>& messages) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& m : messages) {
    nlohmann::json j = {{"type", "text"}, {"text", TruncateChars(m.text, 5000)}};
    if (!m.quick_replies.empty()) {
      nlohmann::json items = nlohmann::json::array();
      for (size_t i = 0; i < m.quick_replies.size() && i < 13; ++i) {
        const auto& q = m.quick_replies[i];
        if (!q.text.empty()) {
          items.push_back({{"type", "action"},
                           {"action", {{"type", "message"}, {"label", TruncateChars(q.label, 20)}, {"text", TruncateChars(q.text, 300)}}}});
          continue;
        }
        items.push_back({{"type", "action"},
                         {"action",
                          {{"type", "postback"},
                           {"label", TruncateChars(q.label, 20)},
                           {"data", q.data},
                           {"displayText", TruncateChars(q.display_text, 300)}}}});
      }
      j["quickReply"] = {{"items", items}};
    }
    out.push_back(std::move(j));
  }
  return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

struct LineClient::Impl {
  LineClientOptions options;
};

LineClient::LineClient(LineClientOptions options) : impl_(std::make_unique<Impl>()) { impl_->options = std::move(options); }
LineClient::~LineClient() = default;

Result<std::string> LineClient::Send(const std::string& token, const std::string& reply_token, const std::string& user_id,
                                     const std::vector<LineMessage>& messages) {
  httplib::Client cli(impl_->options.base_url);
  cli.set_connection_timeout(impl_->options.timeout_sec);
  cli.set_read_timeout(impl_->options.timeout_sec);
  cli.set_write_timeout(impl_->options.timeout_sec);
  const httplib::Headers auth = {{"Authorization", "Bearer " + token}};
  const std::string msgs = LineMessagesJson(messages);
  if (!reply_token.empty()) {
    const std::string body = "{\"replyToken\":" + nlohmann::json(reply_token).dump() + ",\"messages\":" + msgs + "}";
    auto r = cli.Post("/v2/bot/message/reply", auth, body, "application/json");
    if (r && r->status == 200) return std::string("reply");
    // Any refusal of the reply (an expired or used token is a 400) falls back to a push; so
    // does no answer at all (the reply may not have gone through).
    if (r && r->status != 400) return UnavailableError("LINE refused the reply: HTTP " + std::to_string(r->status), "line_error");
  }
  if (user_id.empty()) return FailedPreconditionError("no user to push to", "line_no_user");
  // X-Line-Retry-Key: one UUID for every attempt of this push, so LINE sends it at most once.
  const std::string key = LineRetryKey(crypto::RandomToken(16));
  httplib::Headers h = auth;
  h.emplace("X-Line-Retry-Key", key);
  const std::string body = "{\"to\":" + nlohmann::json(user_id).dump() + ",\"messages\":" + msgs + "}";
  for (int attempt = 0; attempt < impl_->options.push_attempts; ++attempt) {
    auto r = cli.Post("/v2/bot/message/push", h, body, "application/json");
    if (r && (r->status == 200 || r->status == 409)) return std::string("push");  // 409: accepted before, same key
    if (r && r->status >= 400 && r->status < 500 && r->status != 429) {
      return UnavailableError("LINE refused the push: HTTP " + std::to_string(r->status), "line_error");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200 * (attempt + 1)));
  }
  return UnavailableError("LINE did not accept the push", "line_unavailable");
}

namespace {

// A push or multicast of `body` to `path` under `retry_key`, its answer mapped to a Status.
Status PostMessage(const LineClientOptions& o, const std::string& path, const std::string& token, const std::string& body,
                   const std::string& retry_key, const char* what) {
  httplib::Client cli(o.base_url);
  cli.set_connection_timeout(o.timeout_sec);
  cli.set_read_timeout(o.timeout_sec);
  cli.set_write_timeout(o.timeout_sec);
  const httplib::Headers h = {{"Authorization", "Bearer " + token}, {"X-Line-Retry-Key", retry_key}};
  auto r = cli.Post(path, h, body, "application/json");
  if (!r) return UnavailableError(std::string("LINE did not answer the ") + what, "line_unavailable");
  if (r->status == 200 || r->status == 409) return Status::Ok();  // 409: accepted before under this key
  if (r->status == 429 || r->status >= 500)
    return UnavailableError(std::string("LINE answered the ") + what + " with HTTP " + std::to_string(r->status), "line_unavailable");
  return InvalidArgumentError("line_user", std::string("LINE refused the ") + what + ": HTTP " + std::to_string(r->status), "line_refused");
}

}  // namespace

Status LineClient::Push(const std::string& token, const std::string& user_id, const std::vector<LineMessage>& messages,
                        const std::string& retry_key) {
  const std::string body = "{\"to\":" + nlohmann::json(user_id).dump() + ",\"messages\":" + LineMessagesJson(messages) + "}";
  return PostMessage(impl_->options, "/v2/bot/message/push", token, body, retry_key, "push");
}

Status LineClient::Multicast(const std::string& token, const std::vector<std::string>& user_ids, const std::vector<LineMessage>& messages,
                             const std::string& retry_key) {
  if (user_ids.empty() || user_ids.size() > messaging::kLineMulticastMax) {
    return InvalidArgumentError("to", "a multicast goes to 1 to " + std::to_string(messaging::kLineMulticastMax) + " users");
  }
  const std::string body = "{\"to\":" + nlohmann::json(user_ids).dump() + ",\"messages\":" + LineMessagesJson(messages) + "}";
  return PostMessage(impl_->options, "/v2/bot/message/multicast", token, body, retry_key, "multicast");
}

std::string LineRetryKey(std::string_view seed) {
  std::string key = crypto::Sha256Hex(seed).substr(0, 32);
  return key.substr(0, 8) + "-" + key.substr(8, 4) + "-4" + key.substr(13, 3) + "-a" + key.substr(17, 3) + "-" + key.substr(20, 12);
}

Result<LineClient::BotInfo> LineClient::GetBotInfo(const std::string& token) {
  httplib::Client cli(impl_->options.base_url);
  cli.set_connection_timeout(impl_->options.timeout_sec);
  cli.set_read_timeout(impl_->options.timeout_sec);
  auto r = cli.Get("/v2/bot/info", {{"Authorization", "Bearer " + token}});
  if (!r) return UnavailableError("LINE did not answer", "line_unavailable");
  if (r->status == 401) return Status(StatusCode::kUnauthenticated, "line_token_refused", "LINE refused the access token", "access_token");
  if (r->status != 200) return UnavailableError("LINE answered HTTP " + std::to_string(r->status), "line_unavailable");
  const auto j = nlohmann::json::parse(r->body, nullptr, false);
  if (!j.is_object()) return UnavailableError("LINE's answer is not JSON", "line_unavailable");
  return BotInfo{j.value("userId", ""), j.value("displayName", ""), j.value("basicId", "")};
}

}  // namespace madoguchi::channels
