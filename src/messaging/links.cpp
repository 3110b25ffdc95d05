// src/messaging/links.cpp — see links.hpp.
#include "messaging/links.hpp"

#include "common/crypto.hpp"
#include "messaging/templates.hpp"

namespace madoguchi::messaging {
namespace {

constexpr std::string_view kAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
constexpr size_t kRandomChars = 6, kTagChars = 2;
constexpr int64_t kDayMs = 24LL * 3600 * 1000;

std::string Base62(uint64_t v, size_t chars) {
  std::string out(chars, '0');
  for (size_t i = chars; i-- > 0;) {
    out[i] = kAlphabet[v % 62];
    v /= 62;
  }
  return out;
}

std::string Tag(std::string_view random_part, std::string_view key) {
  const std::string mac = crypto::HmacSha256(key, std::string("madoguchi short link ") + std::string(random_part));
  uint64_t v = 0;
  for (size_t i = 0; i < 8; ++i) v = (v << 8) | static_cast<unsigned char>(mac[i]);
  return Base62(v, kTagChars);
}

int64_t VariableInt(const Message& m, const std::string& name) {
  auto it = m.variables.find(name);
  if (it == m.variables.end()) return 0;
  const auto* v = std::get_if<int64_t>(&it->second);
  return v ? *v : 0;
}

}  // namespace

std::optional<LinkTarget> LinkTargetFor(const Message& m, int64_t now_ms) {
  const std::string site = "/r/" + m.tenant;
  if (m.template_key == "booking_confirmed" || m.template_key == "booking_changed") {
    const int64_t starts = VariableInt(m, "starts_at_ms");
    return LinkTarget{site + "/me", starts > now_ms ? starts + kDayMs : now_ms + 30 * kDayMs};
  }
  if (m.template_key == "waitlist_offer") {
    return LinkTarget{site, m.expires_at_ms && *m.expires_at_ms > now_ms ? *m.expires_at_ms : now_ms + 2 * kDayMs};
  }
  if (m.template_key.starts_with("care_")) {
    const std::string path = VariableText(m.variables, "link_path");
    const int64_t expires = VariableInt(m, "link_expires_ms");
    if (path.empty() || expires <= now_ms) return std::nullopt;
    return LinkTarget{path, expires};
  }
  if (m.template_key == "campaign_text" && VariableText(m.variables, "link") == kCampaignLinkBooking) {
    return LinkTarget{site, now_ms + 30 * kDayMs};
  }
  return std::nullopt;
}

std::string ShortCode(uint64_t random, std::string_view key) {
  const std::string random_part = Base62(random, kRandomChars);
  return random_part + Tag(random_part, key);
}

bool IsSignedShortCode(std::string_view code, std::string_view key) {
  if (code.size() != kShortCodeLength) return false;
  for (char c : code) {
    if (kAlphabet.find(c) == std::string_view::npos) return false;
  }
  return crypto::ConstantTimeEquals(code.substr(kRandomChars), Tag(code.substr(0, kRandomChars), key));
}

bool LinkOpens(int64_t expires_at_ms, int64_t now_ms) { return now_ms < expires_at_ms; }

std::string ShortLinkUrl(std::string_view public_url, std::string_view code) {
  std::string base(public_url);
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/s/" + std::string(code);
}

}  // namespace madoguchi::messaging
