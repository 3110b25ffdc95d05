// src/messaging/templates.cpp — see templates.hpp. Texts are short: an SMS part holds 70
// Japanese characters, and every part is paid for.
#include "messaging/templates.hpp"

#include <array>
#include <utility>

#include "common/time_format.hpp"

namespace madoguchi::messaging {
namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 16> kTemplates{{
    {"campaign_text", "{text}{link_line}"},  // a campaign's text, filled for its recipient when the campaign was made; a link at its end
    {"reply_text", "【{tenant}】{text}"},    // an operator's answer to a reply
    {"booking_confirmed", "【{tenant}】接種の予約が確定しました。{date} {time} {venue}。予約番号 {code}{link_line}"},
    {"booking_changed", "【{tenant}】予約を変更しました。{date} {time} {venue}。予約番号 {code}{link_line}"},
    {"booking_cancelled", "【{tenant}】予約（予約番号 {code}）を取り消しました。{phone_line}"},
    {"reminder", "【{tenant}】{date} {time}、{venue}で接種の予約があります。接種券・予診票・本人確認書類をお持ちください。"},
    {"waitlist_offer", "【{tenant}】空きが出ました。{date} {time} {venue}。ご予約はお早めに。{link_line}{phone_line}"},
    // Home-test applications (care/service.hpp): the link opens the application's status page.
    {"care_received", "【{tenant}】検査キットの写真を受け付けました。受付番号 {receipt}。医師が確認して結果をお知らせします。{link_line}"},
    {"care_photo_retake", "【{tenant}】検査キットの写真を確認できませんでした。撮り直して送ってください。受付番号 {receipt}{link_line}"},
    {"care_confirmed", "【{tenant}】医師が陽性を確認しました。{end_date}まで自宅で療養してください。受付番号 {receipt}{link_line}"},
    {"care_not_confirmed", "【{tenant}】写真からは陽性を確認できませんでした。理由をご確認ください。受付番号 {receipt}{link_line}"},
    {"care_see_clinic", "【{tenant}】オンライン確認の対象外です。医療機関を受診してください。受付番号 {receipt}{link_line}"},
    // Daily health observation (care/follow_up.hpp): the link opens the day's check-in form; a
    // number may be replied instead.
    {"care_check_in",
     "【{tenant}】今日の健康観察です。入力してください{link_line} 入力が難しい方は番号で返信を 1変わりなし 2悪くなった 3電話がほしい"},
    {"care_check_in_reminder",
     "【{tenant}】今日の健康観察の入力がまだです{link_line} 番号での返信も可 1変わりなし 2悪くなった 3電話がほしい"},
    {"care_episode_ended", "【{tenant}】療養期間が終わりました。健康観察へのご協力ありがとうございました。"},
    {"care_episode_extended", "【{tenant}】医師の判断で療養期間を{end_date}まで延長します。健康観察を続けてください。"},
}};

// An email's subject line, per template: what the message is about, from whom.
constexpr std::array<std::pair<std::string_view, std::string_view>, 16> kSubjects{{
    {"campaign_text", "【{tenant}】お知らせ"},
    {"reply_text", "【{tenant}】お問い合わせへのお返事"},
    {"booking_confirmed", "【{tenant}】接種の予約が確定しました"},
    {"booking_changed", "【{tenant}】接種の予約を変更しました"},
    {"booking_cancelled", "【{tenant}】接種の予約を取り消しました"},
    {"reminder", "【{tenant}】{date}の接種予約のお知らせ"},
    {"waitlist_offer", "【{tenant}】接種の予約に空きが出ました"},
    {"care_received", "【{tenant}】陽性者登録の申請を受け付けました"},
    {"care_photo_retake", "【{tenant}】検査キットの写真を撮り直してください"},
    {"care_confirmed", "【{tenant}】医師が陽性を確認しました"},
    {"care_not_confirmed", "【{tenant}】陽性を確認できませんでした"},
    {"care_see_clinic", "【{tenant}】医療機関を受診してください"},
    {"care_check_in", "【{tenant}】今日の健康観察のお願い"},
    {"care_check_in_reminder", "【{tenant}】健康観察の入力がまだです"},
    {"care_episode_ended", "【{tenant}】療養期間が終わりました"},
    {"care_episode_extended", "【{tenant}】療養期間を延長します"},
}};

}  // namespace

std::string VariableText(const Variables& vars, const std::string& name) {
  auto it = vars.find(name);
  if (it == vars.end()) return {};
  if (const auto* s = std::get_if<std::string>(&it->second)) return *s;
  return std::to_string(std::get<int64_t>(it->second));
}

Result<std::string_view> BuiltInTemplate(std::string_view key) {
  for (const auto& [k, text] : kTemplates) {
    if (k == key) return text;
  }
  return NotFoundError("there is no message template \"" + std::string(key) + "\"", "unknown_template");
}

Result<std::string> FillTemplate(std::string_view text, const std::map<std::string, std::string>& values, std::string_view field) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    const size_t open = text.find('{', i);
    if (open == std::string_view::npos) {
      out.append(text.substr(i));
      break;
    }
    out.append(text.substr(i, open - i));
    const size_t close = text.find('}', open);
    if (close == std::string_view::npos) return InvalidArgumentError(std::string(field), "has a { without its }", "bad_template");
    const std::string name(text.substr(open + 1, close - open - 1));
    auto it = values.find(name);
    if (it == values.end()) return InvalidArgumentError(std::string(field), "uses {" + name + "}, which has no value", "unknown_variable");
    out += it->second;
    i = close + 1;
  }
  return out;
}

namespace {

Result<std::string> Render(std::string_view text, const Message& m, const TemplateContext& ctx) {
  // The message's own values, then what the sender looked up (names as they are now).
  std::map<std::string, std::string> values;
  for (const auto& [name, value] : m.variables) values[name] = VariableText(m.variables, name);
  const std::map<std::string, std::string> looked_up{
      {"tenant", ctx.tenant_name},
      {"venue", ctx.venue_name.empty() ? VariableText(m.variables, "venue") : ctx.venue_name},
      {"address", ctx.venue_address},
      {"code", ctx.code_spoken.empty() ? VariableText(m.variables, "confirmation_code") : ctx.code_spoken},
      {"link_line", ctx.link.empty() ? "" : " " + ctx.link},
      {"phone_line", ctx.window_phone.empty() ? "" : "問合せ " + ctx.window_phone}};
  for (const auto& [name, value] : looked_up) values[name] = value;
  if (auto it = m.variables.find("starts_at_ms"); it != m.variables.end()) {
    if (const auto* ms = std::get_if<int64_t>(&it->second)) {
      values["date"] = FormatMonthDayJa(JapanDay(*ms));
      values["time"] = FormatTokyoHourMinute(*ms);
    }
  }
  if (auto it = m.variables.find("end_day_ms"); it != m.variables.end()) {
    if (const auto* ms = std::get_if<int64_t>(&it->second)) values["end_date"] = FormatMonthDayJa(JapanDay(*ms));
  }
  return FillTemplate(text, values, m.template_key);
}

}  // namespace

Result<std::string> RenderMessage(const Message& m, const TemplateContext& ctx) {
  MADOGUCHI_ASSIGN_OR_RETURN(std::string_view text, BuiltInTemplate(m.template_key));
  return Render(text, m, ctx);
}

std::vector<ReplyButton> ReplyButtonsFor(std::string_view template_key) {
  if (template_key == "care_check_in" || template_key == "care_check_in_reminder") {
    return {{"1 変わりなし", "1"}, {"2 悪くなった", "2"}, {"3 電話がほしい", "3"}};
  }
  return {};
}

Result<std::string> RenderSubject(const Message& m, const TemplateContext& ctx) {
  for (const auto& [k, text] : kSubjects) {
    if (k == m.template_key) return Render(text, m, ctx);
  }
  return NotFoundError("there is no subject for the message template \"" + m.template_key + "\"", "unknown_template");
}

}  // namespace madoguchi::messaging
