// src/messaging/links.hpp — short links in messages: what a message links to and until when, and
// the code that stands for it. A code is 8 characters of [0-9A-Za-z] (a URL of ~40 bytes, so it
// fits in the SMS part it ends): 6 drawn at random and 2 of a tag keyed by the server's secret, so
// that a guessed code is refused before anything is looked up. The link reveals nothing (the
// page it opens asks the resident to sign in as always) and does one thing: open its page.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "messaging/message.hpp"

namespace madoguchi::messaging {

inline constexpr size_t kShortCodeLength = 8;

// A campaign's texts may end with a link to the tenant's booking page (the variable link=booking).
inline constexpr std::string_view kCampaignLinkBooking = "booking";

// The page a message's link opens (a path on the residents' site) and when the link stops working.
struct LinkTarget {
  std::string path;  // "/r/hinan/me"
  int64_t expires_at_ms = 0;
};
// What `m` links to, sent at `now_ms`: a booking's confirmation or change → the resident's page,
// until the day after the appointment; a waitlist offer → the booking page, until the offer
// expires (two days without an expiry); a campaign's text with link=booking → the booking page,
// for 30 days. nullopt: the message carries no link.
std::optional<LinkTarget> LinkTargetFor(const Message& m, int64_t now_ms);

// The code for `random` under `key`: six base-62 characters of the number, then two of the tag.
std::string ShortCode(uint64_t random, std::string_view key);
// Whether `code` is 8 characters of [0-9A-Za-z] whose tag matches under `key` (constant time).
bool IsSignedShortCode(std::string_view code, std::string_view key);

// Whether a link whose expiry is `expires_at_ms` opens at `now_ms` (false: it has expired).
bool LinkOpens(int64_t expires_at_ms, int64_t now_ms);

// The link as the resident sees it: "https://yoyaku.example.lg.jp/s/Ab3dE9xY".
std::string ShortLinkUrl(std::string_view public_url, std::string_view code);

}  // namespace madoguchi::messaging
