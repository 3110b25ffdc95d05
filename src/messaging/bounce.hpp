// src/messaging/bounce.hpp — what an email that did not arrive does to its message. Each email
// goes out with its own envelope sender (VERP: "bounce+<id>-<tag>@<bounce domain>"), so the
// delivery status notification a mail server sends back (RFC 3464) comes to an address that
// names the message; the tag, keyed by the server's secret, makes a bounce for a message that
// was not sent this way (a forged or guessed one) change nothing. A report that the mailbox does
// not exist fails the message and puts the address on the tenant's suppression list, so the
// next notice is not sent into the same hole; a mailbox that is full fails this message only; a
// delay is noted and the message stays sent.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.hpp"
#include "messaging/message.hpp"

namespace madoguchi::messaging {

// The key bounce addresses are tagged with, derived from the server's signing secret.
std::string BounceKey(std::string_view signing_secret);

// A domain for envelope senders: two or more labels of letters, digits and inner hyphens,
// 253 bytes at most, kept in lower case. Errors: kInvalidArgument "bad_bounce_domain" on `field`.
Result<std::string> NormalBounceDomain(std::string_view domain, std::string_view field = "bounce-domain");

// "bounce+123-0f3a9c2e7b1d4a5c@bounce.city.example.jp" for message 123.
std::string BounceAddress(int64_t message_id, std::string_view key, std::string_view domain);

// The message the first of `addresses` that is a bounce address with the right tag names
// (any domain, any case, with or without <>); nullopt when none is.
std::optional<int64_t> BouncedMessage(const std::vector<std::string>& addresses, std::string_view key);

// One recipient's part of a delivery status notification (RFC 3464 §2.3), as written.
struct RecipientStatus {
  std::string action;  // "failed", "delayed", "delivered", "relayed", "expanded"
  std::string status;  // "5.1.1"
};

// What a notification does. kNone: it says nothing we act on (no recipient with an action).
struct BounceEffect {
  enum class Kind { kNone, kFailed, kDelayed, kDelivered };
  Kind kind = Kind::kNone;
  std::string error;      // kFailed, kDelayed: "email_bounced: 5.1.1", "email_delayed: 4.4.7" (a code, no address)
  bool suppress = false;  // kFailed for an address that does not exist (5.1.x, 5.2.1 disabled)
};
// The first recipient whose action is failed, delayed or delivered decides (a message has one
// recipient; "relayed" and "expanded" say nothing of whether it arrived). A status that is not "class.subject.detail" is read as 5.0.0 for
// failed and 4.0.0 for delayed.
BounceEffect ClassifyBounce(const std::vector<RecipientStatus>& recipients);

// What the notification does to a message in `state`: failed from sending, sent or delivered
// (a mail server may accept a message and fail it later); delivered from sent; a delay changes
// only last_error of a sent message. Anything else (a message already failed, cancelled, not yet
// sent, or a repeated notification) changes nothing.
struct BounceChange {
  MessageState state;
  bool changed = false;
};
BounceChange StateAfterBounce(const BounceEffect& e, MessageState state);

}  // namespace madoguchi::messaging
