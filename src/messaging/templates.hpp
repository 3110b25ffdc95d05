// src/messaging/templates.hpp — the texts messages are sent with: the one catalogue of what a
// resident reads in an SMS, a LINE message or an email, and how a template's placeholders are
// filled.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.hpp"
#include "messaging/message.hpp"

namespace madoguchi::messaging {

// What the sender looks up when it sends (names and addresses change; the outbox keeps ids).
struct TemplateContext {
  std::string tenant_name;    // 日南市
  std::string venue_name;     // 市民会館
  std::string venue_address;  // 日南市中央通1-1
  std::string window_phone;   // 窓口の電話番号, may be empty
  std::string code_spoken;    // the confirmation code as read aloud ("K7QM-4XRT")
  std::string link;           // the page the message is about (a short link), may be empty
};

// A variable as text (a whole number in decimal); empty when the message has none by that name.
std::string VariableText(const Variables& vars, const std::string& name);

// The built-in template for `key` (booking_confirmed, booking_changed, booking_cancelled,
// reminder, waitlist_offer, campaign_text, reply_text, care_received, care_photo_retake, care_confirmed,
// care_not_confirmed, care_see_clinic), with {placeholders}. Errors: kNotFound "unknown_template".
Result<std::string_view> BuiltInTemplate(std::string_view key);

// `text` with each {name} replaced by values[name]. Errors: kInvalidArgument on `field`,
// "unknown_variable" naming the placeholder that has no value, "bad_template" for a { without
// its }.
Result<std::string> FillTemplate(std::string_view text, const std::map<std::string, std::string>& values,
                                 std::string_view field = "template");

// The text of a stored message: its template filled from its variables (starts_at_ms as the day
// and time in Japan) and the context. Errors: BuiltInTemplate's, FillTemplate's.
Result<std::string> RenderMessage(const Message& m, const TemplateContext& ctx);

// Buttons a LINE message offers under its text, each sending its `text` back as the person's
// reply: the day's check-in and its reminder offer the three numbers a patient may reply
// (1 変わりなし, 2 悪くなった, 3 電話がほしい), so nobody has to type them. Empty for other templates.
struct ReplyButton {
  std::string label;  // shown on the button
  std::string text;   // sent back when it is pressed
};
std::vector<ReplyButton> ReplyButtonsFor(std::string_view template_key);

// The subject line of the message as an email ("【日南市】接種の予約が確定しました"), filled as
// RenderMessage fills the text. Errors: kNotFound "unknown_template", FillTemplate's.
Result<std::string> RenderSubject(const Message& m, const TemplateContext& ctx);

}  // namespace madoguchi::messaging
