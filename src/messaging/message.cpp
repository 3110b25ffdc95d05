#include "messaging/message.hpp"

#include "common/name_table.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace madoguchi::messaging {
namespace {

constexpr std::array<std::pair<Delivery, std::string_view>, 4> kDeliveries{
    {{Delivery::kSms, "sms"}, {Delivery::kEmail, "email"}, {Delivery::kLine, "line"}, {Delivery::kVoice, "voice"}}};
constexpr std::array<std::pair<Purpose, std::string_view>, 8> kPurposes{{{Purpose::kBooking, "booking"},
                                                                         {Purpose::kReminder, "reminder"},
                                                                         {Purpose::kWaitlist, "waitlist"},
                                                                         {Purpose::kFollowUp, "follow_up"},
                                                                         {Purpose::kKitReview, "kit_review"},
                                                                         {Purpose::kTriage, "triage"},
                                                                         {Purpose::kCampaign, "campaign"},
                                                                         {Purpose::kReply, "reply"}}};
constexpr std::array<std::pair<Urgency, std::string_view>, 2> kUrgencies{{{Urgency::kRoutine, "routine"}, {Urgency::kUrgent, "urgent"}}};
constexpr std::array<std::pair<MessageState, std::string_view>, 8> kStates{{{MessageState::kQueued, "queued"},
                                                                            {MessageState::kSending, "sending"},
                                                                            {MessageState::kSent, "sent"},
                                                                            {MessageState::kDelivered, "delivered"},
                                                                            {MessageState::kFailed, "failed"},
                                                                            {MessageState::kCancelled, "cancelled"},
                                                                            {MessageState::kExpired, "expired"},
                                                                            {MessageState::kSuppressed, "suppressed"}}};

bool IsKey(std::string_view s, size_t max_bytes, bool punctuation) {
  if (s.empty() || s.size() > max_bytes) return false;
  return std::all_of(s.begin(), s.end(), [&](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || (punctuation && (c == ':' || c == '.' || c == '-'));
  });
}

}  // namespace

std::string_view DeliveryName(Delivery d) { return NameOf(kDeliveries, d, "?"); }
Result<Delivery> ParseDelivery(std::string_view name, std::string_view field) {
  if (auto d = ValueOf(kDeliveries, name)) return *d;
  return InvalidArgumentError(std::string(field), "unknown delivery channel; use sms, email, line or voice");
}

std::string_view PurposeName(Purpose p) { return NameOf(kPurposes, p, "?"); }
Result<Purpose> ParsePurpose(std::string_view name) {
  if (auto p = ValueOf(kPurposes, name)) return *p;
  return InternalError("unknown message purpose \"" + std::string(name) + "\"", "unknown_purpose");
}

std::string_view UrgencyName(Urgency u) { return NameOf(kUrgencies, u, "?"); }
Result<Urgency> ParseUrgency(std::string_view name) {
  if (auto u = ValueOf(kUrgencies, name)) return *u;
  return InternalError("unknown message urgency \"" + std::string(name) + "\"", "unknown_urgency");
}

std::string_view MessageStateName(MessageState s) { return NameOf(kStates, s, "?"); }
Result<MessageState> ParseMessageState(std::string_view name) {
  if (auto s = ValueOf(kStates, name)) return *s;
  return InternalError("unknown message state \"" + std::string(name) + "\"", "unknown_state");
}

Status ValidateMessage(const Message& m) {
  if (m.resident_id.has_value() == !m.address.empty()) {
    return InvalidArgumentError("recipient", "give a resident or an address, not both and not neither");
  }
  if (m.channels.empty()) return InvalidArgumentError("channels", "at least one delivery channel");
  for (size_t i = 0; i < m.channels.size(); ++i) {
    if (std::count(m.channels.begin(), m.channels.end(), m.channels[i]) > 1) {
      return InvalidArgumentError("channels", std::string(DeliveryName(m.channels[i])) + " is given twice");
    }
  }
  if (!IsKey(m.template_key, 64, false)) return InvalidArgumentError("template_key", "must be 1..64 of a-z, 0-9 and _");
  if (!IsKey(m.dedupe_key, 200, true)) return InvalidArgumentError("dedupe_key", "must be 1..200 of a-z, 0-9, _, :, . and -");
  for (const auto& [name, value] : m.variables) {
    if (!IsKey(name, 64, false)) return InvalidArgumentError("variables", "a name must be 1..64 of a-z, 0-9 and _");
  }
  if (m.expires_at_ms && *m.expires_at_ms <= m.due_at_ms) {
    return InvalidArgumentError("expires_at", "must be after the time the message is due");
  }
  return Status::Ok();
}

}  // namespace madoguchi::messaging
