// src/messaging/delivery.cpp — see delivery.hpp.
#include "messaging/delivery.hpp"

#include <algorithm>
#include <map>

#include "common/text.hpp"
#include "messaging/email.hpp"
#include "messaging/phone.hpp"

namespace madoguchi::messaging {
namespace {

constexpr int64_t kMinute = 60'000;
constexpr int64_t kDay = 1440 * kMinute;
constexpr int64_t kJapanOffset = 9 * 60 * kMinute;  // JST has no daylight saving

bool SenderOk(const std::string& s) {
  if (s.empty() || s.size() > 15) return false;
  const bool digits = std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  const bool alnum =
      std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); });
  return digits || (alnum && s.size() <= 11);
}

}  // namespace

int SendPriority(Purpose purpose, Urgency urgency) {
  if (urgency == Urgency::kUrgent) return 0;
  return purpose == Purpose::kCampaign ? 2 : 1;
}

Status ValidateSendingSettings(const SendingSettings& s) {
  if (s.quiet_start_min < 0 || s.quiet_start_min >= 1440)
    return InvalidArgumentError("quiet_start", "must be a time of day, 0:00 to 23:59");
  if (s.quiet_end_min < 0 || s.quiet_end_min >= 1440) return InvalidArgumentError("quiet_end", "must be a time of day, 0:00 to 23:59");
  if (s.max_sms_parts < 1 || s.max_sms_parts > 10) return InvalidArgumentError("max_sms_parts", "must be from 1 to 10");
  if (s.sms_sen_per_part < 0 || s.sms_sen_per_part > 100'000) {
    return InvalidArgumentError("sms_sen_per_part", "must be from 0 to 100000 (1000 yen)");
  }
  if (!SenderOk(s.sms_sender)) {
    return InvalidArgumentError("sms_sender", "must be 1 to 11 letters and digits, or 1 to 15 digits");
  }
  if (!s.email_from.empty()) {
    MADOGUCHI_ASSIGN_OR_RETURN(std::string normal, NormalEmail(s.email_from, "email_from"));
    if (normal != s.email_from) return InvalidArgumentError("email_from", "must be stored as written: " + normal, "bad_email");
  }
  return ValidateSenderName(s.email_from_name);
}

int64_t EarliestSend(const SendingSettings& s, Delivery d, Urgency u, int64_t now_ms) {
  if (u == Urgency::kUrgent || (d != Delivery::kSms && d != Delivery::kVoice)) return now_ms;
  if (s.quiet_start_min == s.quiet_end_min) return now_ms;
  const int64_t local = now_ms + kJapanOffset;
  const int64_t day_start = local - ((local % kDay) + kDay) % kDay;
  const int64_t minute = (local - day_start) / kMinute;
  const bool wraps = s.quiet_start_min > s.quiet_end_min;  // 21:00–8:00 runs past midnight
  const bool quiet =
      wraps ? (minute >= s.quiet_start_min || minute < s.quiet_end_min) : (minute >= s.quiet_start_min && minute < s.quiet_end_min);
  if (!quiet) return now_ms;
  int64_t end = day_start + s.quiet_end_min * kMinute;
  if (end <= local) end += kDay;  // the night that started this evening ends tomorrow morning
  return end - kJapanOffset;
}

Result<Route> ChooseRoute(const std::vector<Delivery>& preferred, const Reach& reach) {
  std::string why;
  for (Delivery d : preferred) {
    const std::string name(DeliveryName(d));
    switch (d) {
      case Delivery::kLine:
        if (!reach.line_user_id.empty()) return Route{d, reach.line_user_id};
        why += (why.empty() ? "" : "; ") + name + ": not linked";
        break;
      case Delivery::kSms:
      case Delivery::kVoice: {
        if (reach.phone.empty()) {
          why += (why.empty() ? "" : "; ") + name + ": no phone";
          break;
        }
        Result<std::string> e164 = MobileE164(reach.phone);
        if (d == Delivery::kVoice && !e164.ok() && e164.status().key() == "not_mobile") {
          why += (why.empty() ? "" : "; ") + name + ": no voice channel for landlines yet";
          break;
        }
        if (e164.ok()) return Route{d, *e164};
        why += (why.empty() ? "" : "; ") + name + ": " + e164.status().key();
        break;
      }
      case Delivery::kEmail:
        if (!reach.email.empty()) return Route{d, reach.email};
        why += (why.empty() ? "" : "; ") + name + ": no email";
        break;
    }
  }
  return FailedPreconditionError("no channel reaches the recipient (" + why + ")", "unreachable");
}

int64_t RetryDelayMs(int attempt, uint64_t random) {
  const int doublings = std::clamp(attempt - 1, 0, 20);
  const int64_t base = std::min<int64_t>(30'000LL << doublings, 3'600'000);
  return base / 2 + static_cast<int64_t>(random % static_cast<uint64_t>(base / 2 + 1));
}

Status ValidateReportPart(int part, int parts) {
  if (parts < 1 || parts > 10) return InvalidArgumentError("of", "must be from 1 to 10");
  if (part < 0 || part >= parts) return InvalidArgumentError("part", "must be from 0 to one less than the parts");
  return Status::Ok();
}

ReportEffect StateAfterReport(PartReport r, int part, int parts, MessageState state, int64_t delivered_mask) {
  ReportEffect out{state, delivered_mask, false};
  if (state != MessageState::kSending && state != MessageState::kSent) return out;
  if (r == PartReport::kUndelivered || r == PartReport::kGatewayRejected) {
    out.state = MessageState::kFailed;
    out.changed = true;
    return out;
  }
  if (r != PartReport::kDelivered) return out;
  const int64_t bit = int64_t{1} << part;
  if (delivered_mask & bit) return out;
  out.delivered_mask |= bit;
  out.changed = true;
  if (out.delivered_mask == (int64_t{1} << parts) - 1) out.state = MessageState::kDelivered;
  return out;
}

bool SuppressionApplies(Purpose purpose, Urgency urgency) {
  const bool care = purpose == Purpose::kFollowUp || purpose == Purpose::kKitReview || purpose == Purpose::kTriage;
  return !(care && urgency == Urgency::kUrgent);
}

Decision DecideAttempt(const Message& m, const Result<Route>& route, bool suppressed, const TemplateContext& ctx,
                       const SendingSettings& settings, int64_t now_ms) {
  Decision d;
  if (m.expires_at_ms && *m.expires_at_ms <= now_ms) {
    d.kind = Decision::Kind::kExpire;
    return d;
  }
  if (!route.ok()) {
    d.kind = Decision::Kind::kFail;
    d.reason = route.status().message();
    return d;
  }
  d.route = *route;
  if (suppressed && SuppressionApplies(m.purpose, m.urgency)) {
    d.kind = Decision::Kind::kSuppress;
    return d;
  }
  if (int64_t at = EarliestSend(settings, d.route.delivery, m.urgency, now_ms); at > now_ms) {
    d.kind = Decision::Kind::kDefer;
    d.not_before_ms = at;
    return d;
  }
  const auto failed = [&d](const Status& why) {
    d.kind = Decision::Kind::kFail;
    d.reason = why.key() + ": " + why.message();
    return d;
  };
  Result<std::string> text = RenderMessage(m, ctx);
  if (!text.ok()) return failed(text.status());
  d.text = std::move(*text);
  if (d.route.delivery == Delivery::kSms) {
    Result<SmsParts> parts = SplitSms(d.text);
    Status limit = parts.ok() ? CheckPartLimit(*parts, settings.max_sms_parts) : parts.status();
    if (!limit.ok()) {
      d.kind = Decision::Kind::kFail;
      d.reason = limit.key();
      return d;
    }
    d.cost_sen = SmsCostSen(*parts, settings.sms_sen_per_part);
    d.sms = std::move(*parts);
  }
  if (d.route.delivery == Delivery::kEmail) {
    Result<std::string> subject = RenderSubject(m, ctx);
    if (!subject.ok()) return failed(subject.status());
    d.subject = std::move(*subject);
  }
  d.kind = Decision::Kind::kSend;
  return d;
}

std::optional<int64_t> RetryAt(const Status& error, int attempts, const Message& m, uint64_t random, int64_t now_ms) {
  if (error.code() != StatusCode::kUnavailable || attempts >= kMaxAttempts) return std::nullopt;
  const int64_t at = now_ms + RetryDelayMs(attempts, random);
  if (m.expires_at_ms && at >= *m.expires_at_ms) return std::nullopt;
  return at;
}

bool IsStopRequest(std::string_view reply) {
  std::string s(reply);
  // Full-width Latin letters (Ｓ…, ｓ…) as ASCII; spaces and a closing full stop dropped.
  for (std::string_view wide : {"　", "。", "．", "!", "！"}) {
    for (size_t pos; (pos = s.find(wide)) != std::string::npos;) s.erase(pos, wide.size());
  }
  std::string plain;
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == 0xEF && i + 2 < s.size()) {
      const auto b1 = static_cast<unsigned char>(s[i + 1]), b2 = static_cast<unsigned char>(s[i + 2]);
      if (b1 == 0xBC && b2 >= 0xA1 && b2 <= 0xBA) {  // Ａ-Ｚ
        plain += static_cast<char>('a' + (b2 - 0xA1));
        i += 2;
        continue;
      }
      if (b1 == 0xBD && b2 >= 0x81 && b2 <= 0x9A) {  // ａ-ｚ
        plain += static_cast<char>('a' + (b2 - 0x81));
        i += 2;
        continue;
      }
    }
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    plain += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  return plain == "停止" || plain == "ていし" || plain == "テイシ" || plain == "stop";
}

std::vector<std::vector<size_t>> GroupForMulticast(const std::vector<std::pair<std::string, std::string>>& sends) {
  std::vector<std::vector<size_t>> groups;
  std::map<std::pair<std::string, std::string>, size_t> open;  // (tenant, text) → its group still taking more
  for (size_t i = 0; i < sends.size(); ++i) {
    auto it = open.find(sends[i]);
    if (it == open.end() || groups[it->second].size() >= kLineMulticastMax) {
      open[sends[i]] = groups.size();
      groups.push_back({i});
    } else {
      groups[it->second].push_back(i);
    }
  }
  return groups;
}

bool ReplyFloods(int64_t replies_in_last_hour, bool stop_request) { return !stop_request && replies_in_last_hour >= kMaxRepliesPerHour; }

bool IsLineUserId(std::string_view address) {
  if (address.size() != 33 || address[0] != 'U') return false;
  return std::all_of(address.begin() + 1, address.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

Status CheckAnswer(Delivery d, std::string_view text, const SendingSettings& s) {
  if (d == Delivery::kSms) {
    MADOGUCHI_ASSIGN_OR_RETURN(SmsParts parts, SplitSms(text, "text"));
    return CheckPartLimit(parts, s.max_sms_parts, "text");
  }
  if (d == Delivery::kLine) {
    if (text.empty()) return InvalidArgumentError("text", "must not be empty", "empty");
    if (!text::IsValidUtf8(text)) return InvalidArgumentError("text", "must be UTF-8", "not_utf8");
    if (text::CountCodePoints(text) > kLineTextMaxChars) {
      return InvalidArgumentError("text", "LINE takes at most 5000 characters in one message", "too_long");
    }
    return Status::Ok();
  }
  return InvalidArgumentError("channel", "an answer goes back by SMS or LINE", "no_answer_channel");
}

}  // namespace madoguchi::messaging
