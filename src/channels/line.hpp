// src/channels/line.hpp — the LINE Messaging API: webhook signature, messages, and a client that
// replies (or pushes when the reply token has expired). Follows the published request and
// response shapes (docs/line.md); the base URL is configurable so tests use a local stand-in.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.hpp"

namespace madoguchi::channels {

// X-Line-Signature: Base64 of HMAC-SHA256(channel secret, raw body), compared in constant time.
bool VerifyLineSignature(std::string_view channel_secret, std::string_view body, std::string_view signature_header);
std::string LineSignature(std::string_view channel_secret, std::string_view body);

struct QuickReply {
  std::string label;         // at most 20 characters are shown
  std::string data;          // postback data
  std::string display_text;  // what appears as the user's message
  // Not empty: a message action instead of a postback — the button sends this text as the
  // user's own message (data and display_text unused).
  std::string text;
};

struct LineMessage {
  std::string text;
  std::vector<QuickReply> quick_replies;  // at most 13
};

// The `messages` array of a reply or push request, as JSON text.
std::string LineMessagesJson(const std::vector<LineMessage>& messages);

// A UUID (version 4 layout) made from `seed`: the same seed gives the same retry key.
std::string LineRetryKey(std::string_view seed);

struct LineClientOptions {
  std::string base_url = "https://api.line.me";
  int timeout_sec = 5;
  int push_attempts = 3;  // a push is retried with the same X-Line-Retry-Key
};

class LineClient {
 public:
  explicit LineClient(LineClientOptions options);
  ~LineClient();
  // Replies with `reply_token`; if LINE refuses the token (expired or used), pushes to `user_id`
  // instead, retrying on 5xx and timeouts with one X-Line-Retry-Key so LINE delivers once.
  // Returns which way it went ("reply" or "push") or the error.
  Result<std::string> Send(const std::string& access_token, const std::string& reply_token, const std::string& user_id,
                           const std::vector<LineMessage>& messages);

  // One push to `user_id` with `retry_key` (a UUID the caller keeps for every attempt of this
  // message, so LINE sends it at most once even when an answer is lost). Errors: kUnavailable
  // "line_unavailable" for no answer, 429 or 5xx (try again later); kInvalidArgument
  // "line_refused" for another 4xx (an unknown user, a bad token: not retried).
  Status Push(const std::string& access_token, const std::string& user_id, const std::vector<LineMessage>& messages,
              const std::string& retry_key);

  // One message to several users at once (POST /v2/bot/message/multicast, at most
  // messaging::kLineMulticastMax `user_ids`), with `retry_key` as Push. Errors as Push's; "line_refused"
  // also when one of the ids is not a user of the channel (LINE refuses the whole call).
  Status Multicast(const std::string& access_token, const std::vector<std::string>& user_ids, const std::vector<LineMessage>& messages,
                   const std::string& retry_key);

  // The bot the access token belongs to (GET /v2/bot/info): whether LINE accepts the token.
  // kUnauthenticated "line_token_refused" when LINE says 401; kUnavailable "line_unavailable"
  // when it does not answer or answers otherwise.
  struct BotInfo {
    std::string user_id, display_name, basic_id;
  };
  Result<BotInfo> GetBotInfo(const std::string& access_token);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace madoguchi::channels
