// src/messaging/message.hpp — a message to a resident, as every module writes it to the outbox:
// who it is for, how it may reach them (in order of preference), which template with which
// values, why, how urgent, when it is due and until when it is worth sending, and a key that
// makes writing it twice write it once. Delivery (Kannel, SMTP, LINE, voice) is the worker's.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/status.hpp"

namespace madoguchi::messaging {

// How a message reaches a person.
enum class Delivery { kSms, kEmail, kLine, kVoice };
std::string_view DeliveryName(Delivery d);  // "sms", "email", "line", "voice"
// Errors: kInvalidArgument on `field` for any other name.
Result<Delivery> ParseDelivery(std::string_view name, std::string_view field = "channels");

// Why it is sent; a campaign or a reply is paced and reported apart from a booking's notice.
enum class Purpose { kBooking, kReminder, kWaitlist, kFollowUp, kKitReview, kTriage, kCampaign, kReply };
std::string_view PurposeName(Purpose p);  // "booking", "reminder", "waitlist", "follow_up", ...
Result<Purpose> ParsePurpose(std::string_view name);

// Urgent messages may go out at night and ahead of a campaign; routine ones wait for the day.
enum class Urgency { kRoutine, kUrgent };
std::string_view UrgencyName(Urgency u);
Result<Urgency> ParseUrgency(std::string_view name);

// Where it is in its life: queued → sending (a worker holds it, under a lease) → sent (the gateway
// took it) → delivered (the handset's report) | failed | expired (not sent before its expiry) |
// cancelled (withdrawn, e.g. the booking was cancelled) | suppressed (the number asked to be left
// alone). Only a queued message is sent, and only before it expires.
enum class MessageState { kQueued, kSending, kSent, kDelivered, kFailed, kCancelled, kExpired, kSuppressed };
std::string_view MessageStateName(MessageState s);
// Errors: kInternal "unknown_state" (a stored value this build does not know is never guessed).
Result<MessageState> ParseMessageState(std::string_view name);

// A template's values: text or whole numbers (times are Unix ms; the template formats them).
using Variables = std::map<std::string, std::variant<std::string, int64_t>>;

struct Message {
  std::string tenant;
  std::optional<int64_t> resident_id;  // the recipient, whose phone, email or LINE link is looked up when sent
  std::string address;                 // or an address given outright (a phone number, an email address)
  std::vector<Delivery> channels;      // preference order, at least one, each once
  std::string template_key;            // "booking_confirmed"
  Variables variables;
  Purpose purpose = Purpose::kBooking;
  Urgency urgency = Urgency::kRoutine;
  int64_t due_at_ms = 0;
  std::optional<int64_t> expires_at_ms;  // not sent after this
  std::string dedupe_key;                // unique per tenant: the same key is the same message
  std::optional<int64_t> booking_id;     // the booking it is about, so a cancellation can revoke it
  std::optional<int64_t> campaign_id;    // the campaign it belongs to (paused, cancelled, counted together)
};

// Errors: kInvalidArgument naming the field: no recipient (or both), no channel or one twice, a
// template key or dedupe key that is empty or not [a-z0-9_:.-] up to 64/200 bytes, a variable
// name that is not [a-z0-9_], an expiry at or before the due time.
Status ValidateMessage(const Message& m);

}  // namespace madoguchi::messaging
