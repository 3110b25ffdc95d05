// src/messaging/delivery.hpp — the rules a worker follows when it delivers a message: the order
// messages go out in, which channel reaches the person, when the night holds a message back, how
// long a failed attempt waits, and what a gateway's report does to the message.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.hpp"
#include "messaging/message.hpp"
#include "messaging/sms.hpp"
#include "messaging/templates.hpp"

namespace madoguchi::messaging {

// Lower goes first: urgent care, then a booking's notices and replies, then campaign traffic.
int SendPriority(Purpose purpose, Urgency urgency);

// What a tenant's messages may do. Quiet hours are minutes of the day in Japan time; start ==
// end means none. A part's price is in 銭 (1/100 円): aggregators price per part.
struct SendingSettings {
  int quiet_start_min = 21 * 60;
  int quiet_end_min = 8 * 60;
  int max_sms_parts = 4;
  int64_t sms_sen_per_part = 300;  // ¥3.00
  std::string sms_sender = "madoguchi";
  std::string email_from;       // the address emails come from; empty: the tenant sends no email
  std::string email_from_name;  // shown as the sender ("日南市 接種予約窓口"); empty: the address alone
};
// quiet times 0..1439, max_sms_parts 1..10, price 0..100000 銭, sender 1..11 of [A-Za-z0-9] (an
// alphanumeric sender ID) or 1..15 digits, email_from empty or an address (NormalEmail, kept as
// normalised), email_from_name as ValidateSenderName. kInvalidArgument naming the setting.
Status ValidateSendingSettings(const SendingSettings& s);

// When a message on `d` may go out at `now_ms`: now, or the end of the quiet hours it falls in.
// SMS and voice wait out the night unless urgent; LINE and email, which do not ring, do not.
int64_t EarliestSend(const SendingSettings& s, Delivery d, Urgency u, int64_t now_ms);

// How a person can be reached, as looked up when the message is sent.
struct Reach {
  std::string line_user_id;  // empty: not linked to the tenant's LINE account
  std::string phone;         // the phone on record or given, as typed; empty: none
  std::string email;         // empty: none
};

// The first of `preferred` that reaches the person, with the address to send to (an E.164
// number, a LINE user id, an email address). Errors: kFailedPrecondition "unreachable" naming
// why each preferred channel cannot be used (a landline for SMS: "not_mobile"), so the message
// is failed with the reason, never retried.
struct Route {
  Delivery delivery = Delivery::kSms;
  std::string address;
};
Result<Route> ChooseRoute(const std::vector<Delivery>& preferred, const Reach& reach);

// Attempts before a message that keeps failing for a reason that may pass is failed for good.
constexpr int kMaxAttempts = 8;
// How long to wait after the `attempt`-th failed attempt (1-based): 30 s doubling to at most an
// hour, with "equal jitter" (half fixed, half drawn from `random`) so a gateway that comes back
// is not hit by every message at once.
int64_t RetryDelayMs(int attempt, uint64_t random);

// A delivery report on one part of an SMS.
enum class PartReport { kDelivered, kUndelivered, kGatewayAccepted, kGatewayRejected, kBuffered };

// What a report on part `part` (0-based) of an SMS of `parts` parts does to a message in `state`
// whose delivered parts are `delivered_mask` (a bit per part): delivered when every part is,
// failed when one is not. A report on a message no longer sending or sent (delivered, failed,
// expired …), a repeated one, or one that only says the gateway holds the part changes nothing.
// A report may come before the worker has recorded the message as sent: it is kept all the same.
struct ReportEffect {
  MessageState state;
  int64_t delivered_mask;
  bool changed = false;
};
ReportEffect StateAfterReport(PartReport r, int part, int parts, MessageState state, int64_t delivered_mask);

// A part number and count a report may carry: 0 <= part < parts <= 10.
Status ValidateReportPart(int part, int parts);

// A suppressed address is sent nothing, except an urgent care message to a patient (follow-up,
// kit review, triage): those are sent and shown as such.
bool SuppressionApplies(Purpose purpose, Urgency urgency);

// What to do with a message a worker has claimed, before anything is sent.
struct Decision {
  enum class Kind { kSend, kDefer, kFail, kExpire, kSuppress };
  Kind kind = Kind::kSend;
  Route route;                  // kSend, kSuppress
  std::string text;             // kSend: the rendered text
  std::string subject;          // kSend by email: the subject line
  std::optional<SmsParts> sms;  // kSend by SMS: its parts
  int64_t cost_sen = 0;         // kSend
  int64_t not_before_ms = 0;    // kDefer: the end of the quiet hours
  std::string reason;           // kFail: why (a code: "unreachable: sms: not_mobile", "too_many_parts", …)
};
// `route` is ChooseRoute's answer for the message, `suppressed` whether its address is on the
// tenant's list. In this order: expired → kExpire; no route → kFail; suppressed (and not urgent
// care) → kSuppress; quiet hours → kDefer; a template that does not render or an SMS over the
// tenant's part limit → kFail; else kSend.
Decision DecideAttempt(const Message& m, const Result<Route>& route, bool suppressed, const TemplateContext& ctx,
                       const SendingSettings& settings, int64_t now_ms);

// After the channel refused an attempt (the `attempts`-th, counting this one): retried at the
// returned time when the error may pass (kUnavailable), attempts remain and the message has not
// expired by then; nullopt: failed for good.
std::optional<int64_t> RetryAt(const Status& error, int attempts, const Message& m, uint64_t random, int64_t now_ms);

// A reply that asks for no more messages: 「停止」, 「ていし」, 「テイシ」 or STOP (any case, full- or
// half-width, with spaces or a closing 。 around it).
bool IsStopRequest(std::string_view reply);

// LINE takes one message to at most this many users in one multicast call.
constexpr size_t kLineMulticastMax = 500;
// LINE messages of one batch that go out together, as indexes into `sends` (tenant, text): those
// of one tenant with the same text, in the order given, at most kLineMulticastMax a group; a
// group of one is a push.
std::vector<std::vector<size_t>> GroupForMulticast(const std::vector<std::pair<std::string, std::string>>& sends);

// Replies kept from one address (a number, a LINE user) in an hour. Past it a reply is not
// stored — a flood is nobody's work and would bury the others' — unless it asks to stop, which
// is always honoured.
constexpr int kMaxRepliesPerHour = 30;
constexpr int64_t kReplyFloodWindowMs = 3'600'000;  // the hour the replies are counted over
bool ReplyFloods(int64_t replies_in_last_hour, bool stop_request);

// A LINE user id as the Messaging API gives it: "U" and 32 lowercase hex digits. A message
// addressed outright to one is sent in LINE.
bool IsLineUserId(std::string_view address);

// The longest answer LINE takes in one text message (the Messaging API's limit), in characters.
constexpr size_t kLineTextMaxChars = 5000;

// An operator's answer to a reply, checked for the channel it goes back on: by SMS within the
// tenant's parts, in LINE up to kLineTextMaxChars characters. Errors: kInvalidArgument on "text"
// ("empty", "too_many_parts", "too_long"); a channel that carries no answer (email, voice) is
// kInvalidArgument "no_answer_channel" on "channel".
Status CheckAnswer(Delivery d, std::string_view text, const SendingSettings& s);

}  // namespace madoguchi::messaging
