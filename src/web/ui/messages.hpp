// src/web/ui/messages.hpp — the one Japanese message catalogue: what a person reads when
// something did not work, found by the error's key (and the field it names), worded for who
// reads it. Engines and the store give a Status with an English message for logs and the API;
// every page, the console and LINE turn it into words here, and nowhere else.
#pragma once

#include <array>

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "booking/booking.hpp"
#include "care/application.hpp"
#include "care/eligibility.hpp"
#include "care/follow_up.hpp"
#include "care/kit_read.hpp"
#include "common/status.hpp"

namespace madoguchi::web::ui {

// Who reads the text: staff on their pages and the operator console, a resident on the
// residents' pages, a resident chatting on LINE (who cannot press a link back).
enum class Reader { kStaff, kResident, kLine };

struct CatalogueEntry {
  std::string_view key;          // Status::key(), e.g. "slot_full"
  std::string_view field;        // Status::field() it applies to; empty: any field
  std::optional<Reader> reader;  // nullopt: every reader
  std::string_view text;
};

// The text for `status` (not OK) as `reader` reads it. The most specific entry wins: the key
// with this field for this reader, then for every reader, then the key alone for this reader,
// then for every reader. LINE falls back to the residents' entries. With no entry for the key,
// a text for the status code, worded for the reader. Never the English message.
std::string ErrorText(const Status& status, Reader reader = Reader::kStaff);

// Whether, and how, a resident will be told about their booking (the confirmation now, a
// reminder the day before): in LINE for a booking made there, else by SMS to `mobile` (as people
// read it, e.g. 090-1234-5678), else by email to `email` (the address the resident gave, when the
// tenant sends email), else not at all (no mobile number on the list).
std::string NoticeText(bool by_line, const std::string& mobile, const std::string& email = "");

// A triage rule set typed on the care settings page that does not read: not JSON at all, or the
// rule it got wrong (a path such as "rules[2].when.spo2_at_most", shown as it is).
std::string TriageRulesErrorText(bool not_json, const std::string& rule);

// What LINE answers a resident whose message went to the operators' inbox; `stop` when it asked
// for no more messages (and so was put on the suppression list).
std::string_view LineReplyReceivedText(bool stop);
// What LINE answers a message past the hourly limit of replies (messaging::kMaxRepliesPerHour):
// it was not passed on.
std::string_view LineReplyNotTakenText();

// What LINE answers a home-care patient's link request (care::FollowUpService::LinkLine).
std::string_view LineLinkText(care::LineLinkOutcome o);
// What LINE answers a number a patient replied there to a check-in, by the report's advice.
std::string_view LineCheckInTakenText(care::Advice a);
// How a home-care patient's messages reach them, for staff: 「LINE」, 「メール」 or 「ショートメッセージ」.
std::string_view PatientContactLabel(const care::EpisodeView& e);
// The greeting when someone adds the LINE account as a friend: booking by ticket number, or a
// home-care patient's link word.
std::string_view LineFollowText();

// What a message sent to a resident was, as staff read it: a campaign's or an answer's own text
// (cut to `chars` characters), else what the notice was about (「予約が確定したお知らせ」).
std::string MessageLabel(const std::string& template_key, const std::string& text, size_t chars = 30);

// A message's state as staff read it: queued → 送信待ち, delivered → 届いた, suppressed → 配信停止中のため送らなかった, …
std::string_view MessageStateText(const std::string& state);
// The same for a message that went by `channel`: LINE and email give no delivery report, so
// their sent is final (送信済み), never 届いたかの確認待ち.
std::string_view MessageStateText(const std::string& state, std::string_view channel);

// Why a message failed or waits, from its stored code ("unreachable: sms: not_mobile",
// "email_rejected", "sms_gateway_unavailable", …): 「携帯電話の番号ではありません」; 「送れませんでした」
// for a code not listed.
std::string FailureReasonText(const std::string& code);
// How a message went or goes, from a channel or a preference list ("sms", "email", "line,sms"):
// the first one's name (ショートメッセージ, メール, LINE).
std::string_view DeliveryText(std::string_view channel);
// Kannel's state ("running", "suspended", …) and an SMSC link's status ("online 12s",
// "connecting", …) as the status page says them.
std::string KannelStateText(const std::string& state);
std::string SmscStatusText(std::string_view status);

// Every entry, for tests and the documentation.
std::span<const CatalogueEntry> Catalogue();

// What staff read for a booking's state and for the channel it was made on (the codes stay in
// the API and logs): 予約済み, 受付済み, 接種済み, 取消済み, 来場なし; ウェブ, 電話, LINE, API.
std::string_view StateLabel(booking::State state);

// Who may book now, said to `reader` at sign-in (and to the operator on the caller's page): ""
// when the resident may book; otherwise the age band or the dose open now and, for one too young,
// the day from which they may (「いまは75歳以上の方が予約できます。…4月1日に75歳になるので…」).
std::string StandingText(const booking::Standing& standing, Reader reader);
std::string_view ChannelLabel(booking::Channel channel);
// What an audit entry's action means, as the audit page says it (the code stays in the CSV and
// the API): "booking.create" → 「予約の作成」. Every action the code writes, in the page's order.
struct AuditAction {
  std::string_view code, label;
};
std::span<const AuditAction> AuditActions();
// The label of `code`; for one not listed, 「その他の操作」.
std::string_view AuditActionLabel(std::string_view code);

// The vaccines a slot may be for, as staff choose them (the code is what slots store).
struct VaccineChoice {
  std::string_view code, label;
};
std::span<const VaccineChoice> VaccineChoices();

// A slot as staff read its state: 締切 (closed to booking), 満員, 受付中.
std::string_view SlotStateLabel(bool closed, int remaining);
// Whom rules let book, as the admin reads it before and after saving them: 「名簿の 1,200 人のうち
// 300 人が今予約できます」, those who may from a birthday, and a warning when nobody on a list may.
// `saved`: said of the rules in force rather than of a preview.
std::string ReachText(const booking::RulesReach& reach, bool saved);

// Home-test applications (care): the checklists' items as the form says them (悪性腫瘍（がん）,
// 糖尿病, …; 発熱, せき, …; 女性, 男性, …).
std::string_view RiskFactorLabel(care::RiskFactor f);
std::string_view OnsetSymptomLabel(care::OnsetSymptom s);
std::string_view SexLabel(care::Sex s);
// Why someone may not register online, as the screen tells them (「65歳以上の方は…」).
std::string_view IneligibleText(care::Ineligible i);
// What a resident does about a kit photo the pre-read could not read (「明るい場所で、箱と一緒に
// 真上から…」); "" for a readable one.
std::string_view KitAdviceText(care::KitCategory c);
// The pre-read's category as the doctor reads it (読める・C線なし・ぼやけ・反射・キットなし・小さすぎ).
std::string_view KitCategoryLabel(care::KitCategory c);
// Where an application is, for the resident (「医師の確認を待っています」) or staff (確認待ち).
std::string_view ApplicationStateText(care::ApplicationState s, Reader reader);
// A doctor's decision as the buttons say it: 確定, 確定できない, 写真が不鮮明（撮り直し）, 対象外（受診を案内）.
std::string_view DecisionLabel(care::Decision d);

// Daily health observation (care/follow_up.hpp): the My HER-SYS items as the form asks them
// (顔色が悪い, 咳・鼻水, …), the MHLW's 13 urgent symptoms, はい/いいえ/わからない.
std::string_view DailySymptomLabel(care::Symptom s);
const std::array<std::string_view, care::kUrgentSymptomCount>& UrgentSymptomTexts();
std::string_view AnswerLabel(care::Answer a);
// For staff: a priority (P0 すぐに電話…), why triage gave it (a default rule's words, else its id),
// where a check-in is, how a report came, a number reply, a call's outcome.
std::string_view PriorityLabel(care::Priority p);
std::string TriageRuleText(const std::string& rule_id);
std::string_view CheckInStateText(care::CheckInState s);
std::string_view ReportSourceLabel(care::ReportSource s);
std::string_view NumberReplyLabel(care::NumberReply n);
std::string_view CallOutcomeLabel(care::CallOutcome o);

}  // namespace madoguchi::web::ui
