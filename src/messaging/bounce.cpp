#include "messaging/bounce.hpp"

#include <cctype>
#include <charconv>

#include "common/crypto.hpp"

namespace madoguchi::messaging {
namespace {

constexpr std::string_view kPrefix = "bounce+";
constexpr size_t kTagHex = 16;  // 64 bits: a guess is one in 1.8e19

std::string Tag(int64_t id, std::string_view key) { return crypto::HmacSha256Hex(key, "bounce " + std::to_string(id), kTagHex / 2); }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// "5.1.1" → its class and subject; nullopt when it is not class.subject.detail.
struct StatusCode {
  int klass = 0, subject = 0, detail = 0;
};
std::optional<StatusCode> ReadStatus(std::string_view s) {
  StatusCode c;
  int* out[] = {&c.klass, &c.subject, &c.detail};
  for (int i = 0; i < 3; ++i) {
    const char* end = s.data() + s.size();
    auto [p, ec] = std::from_chars(s.data(), end, *out[i]);
    if (ec != std::errc() || p == s.data() || p - s.data() > 3) return std::nullopt;
    s.remove_prefix(static_cast<size_t>(p - s.data()));
    if (i < 2) {
      if (s.empty() || s[0] != '.') return std::nullopt;
      s.remove_prefix(1);
    }
  }
  if (!s.empty() || (c.klass != 2 && c.klass != 4 && c.klass != 5)) return std::nullopt;
  return c;
}

std::string StatusText(const StatusCode& c) {
  return std::to_string(c.klass) + "." + std::to_string(c.subject) + "." + std::to_string(c.detail);
}

}  // namespace

std::string BounceKey(std::string_view signing_secret) { return crypto::HmacSha256(signing_secret, "madoguchi bounce addresses"); }

Result<std::string> NormalBounceDomain(std::string_view domain, std::string_view field) {
  const std::string d = Lower(domain);
  auto bad = [&](const char* why) { return InvalidArgumentError(std::string(field), why, "bad_bounce_domain"); };
  if (d.empty() || d.size() > 253) return bad("must be a domain name of at most 253 characters");
  size_t labels = 0;
  size_t start = 0;
  while (start <= d.size()) {
    size_t dot = d.find('.', start);
    if (dot == std::string::npos) dot = d.size();
    const std::string_view label(d.data() + start, dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return bad("each part between dots must be 1-63 letters, digits or inner hyphens");
    }
    for (char c : label) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return bad("may hold only letters, digits, hyphens and dots");
    }
    ++labels;
    start = dot + 1;
  }
  if (labels < 2) return bad("must have at least two parts (bounce.city.example.jp)");
  return d;
}

std::string BounceAddress(int64_t message_id, std::string_view key, std::string_view domain) {
  return std::string(kPrefix) + std::to_string(message_id) + "-" + Tag(message_id, key) + "@" + std::string(domain);
}

std::optional<int64_t> BouncedMessage(const std::vector<std::string>& addresses, std::string_view key) {
  for (const std::string& raw : addresses) {
    std::string a = Lower(raw);
    const size_t at = a.find(kPrefix);
    if (at == std::string::npos) continue;
    std::string_view rest(a);
    rest.remove_prefix(at + kPrefix.size());
    const size_t dash = rest.find('-');
    const size_t sign = rest.find('@');
    if (dash == std::string_view::npos || sign == std::string_view::npos || dash > sign) continue;
    int64_t id = 0;
    auto [p, ec] = std::from_chars(rest.data(), rest.data() + dash, id);
    if (ec != std::errc() || p != rest.data() + dash || id <= 0) continue;
    if (crypto::ConstantTimeEquals(rest.substr(dash + 1, sign - dash - 1), Tag(id, key))) return id;
  }
  return std::nullopt;
}

BounceEffect ClassifyBounce(const std::vector<RecipientStatus>& recipients) {
  for (const RecipientStatus& r : recipients) {
    const std::string action = Lower(r.action);
    const std::optional<StatusCode> code = ReadStatus(r.status);
    BounceEffect e;
    if (action == "failed") {
      const StatusCode c = code && code->klass != 2 ? *code : StatusCode{5, 0, 0};
      e.kind = BounceEffect::Kind::kFailed;
      e.error = "email_bounced: " + StatusText(c);
      // 5.1.x: the address is wrong (no such mailbox, no such domain); 5.2.1: the mailbox is
      // disabled. A full mailbox (5.2.2) or a refused message (5.7.x) may take the next one.
      e.suppress = c.klass == 5 && (c.subject == 1 || (c.subject == 2 && c.detail == 1));
      return e;
    }
    if (action == "delayed") {
      e.kind = BounceEffect::Kind::kDelayed;
      e.error = "email_delayed: " + StatusText(code && code->klass == 4 ? *code : StatusCode{4, 0, 0});
      return e;
    }
    if (action == "delivered") {  // "relayed" only says it left for a system that does not report
      e.kind = BounceEffect::Kind::kDelivered;
      return e;
    }
  }
  return {};
}

BounceChange StateAfterBounce(const BounceEffect& e, MessageState state) {
  using Kind = BounceEffect::Kind;
  switch (e.kind) {
    case Kind::kFailed:
      if (state == MessageState::kSending || state == MessageState::kSent || state == MessageState::kDelivered) {
        return {MessageState::kFailed, true};
      }
      break;
    case Kind::kDelayed:
      if (state == MessageState::kSent) return {state, true};
      break;
    case Kind::kDelivered:
      if (state == MessageState::kSent) return {MessageState::kDelivered, true};
      break;
    case Kind::kNone: break;
  }
  return {state, false};
}

}  // namespace madoguchi::messaging
