// src/messaging/campaign.hpp — a campaign: one text, with {placeholders}, to many people. Its
// recipients come from a list (a CSV a supervisor uploads, later a saved segment); each is checked
// before anything is queued: every bad row is reported by row and column, and one bad row queues
// nothing.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.hpp"
#include "messaging/delivery.hpp"
#include "messaging/sms.hpp"

namespace madoguchi::messaging {

struct CampaignRecipient {
  int row = 0;                                // the spreadsheet's row number (the header is row 1)
  std::string phone;                          // E.164; empty: reached by email
  std::string email;                          // when there is no mobile number
  std::map<std::string, std::string> values;  // the other columns, by header: {氏名} in the text
  std::string text;                           // the text as this recipient gets it
};

struct RecipientProblem {
  int row = 0;
  std::string column;  // the header of the cell
  std::string key;     // bad_mobile, not_mobile, repeated_phone, bad_email, repeated_email, no_address, too_many_parts, more_problems
  std::string message;
};

struct CampaignPlan {
  std::vector<CampaignRecipient> recipients;
  std::vector<RecipientProblem> problems;  // empty: the campaign may be queued
  int max_parts = 0;                       // the longest recipient's parts (SMS)
  int64_t total_parts = 0;                 // SMS parts: what is paid for
  int64_t by_email = 0;                    // recipients reached by email
  int64_t cost_sen = 0;
};

// The columns holding the addresses: 電話番号 (or "phone") and メールアドレス (or "email").
inline constexpr std::string_view kPhoneColumn = "電話番号";
inline constexpr std::string_view kEmailColumn = "メールアドレス";

// Reads the recipients of `body` from `header` and `rows` (a CSV already read): a phone or an
// email column is required (kInvalidArgument naming "file" when there is neither, or no row at
// all; "template" when the body is empty or over 1000 bytes, or "unknown_variable" when it names a
// column the file does not have). Each row is sent by SMS to its mobile number, else by email to
// its address (a landline beside an email is fine); a number or address that is malformed, or
// appears twice, is a problem, as is a row with neither. The body filled for a row sent by SMS
// must stay within the tenant's part limit. Problems are per
// row and cell, every one of a row, up to `max_problems` (the rest counted in the last one).
// `repeats_allowed`: a number or address may appear on several rows (a saved segment, where two
// people of one household share a phone and each gets their own message).
Result<CampaignPlan> PlanCampaign(std::string_view body, const std::vector<std::string>& header,
                                  const std::vector<std::vector<std::string>>& rows, const SendingSettings& settings,
                                  size_t max_problems = 500, bool repeats_allowed = false);

// A campaign's state: draft (previewed, not yet sent), scheduled, sending, paused, cancelled, done.
enum class CampaignState { kDraft, kScheduled, kSending, kPaused, kCancelled, kDone };
std::string_view CampaignStateName(CampaignState s);
Result<CampaignState> ParseCampaignState(std::string_view name);
// The state a campaign is in, from the one stored (draft, scheduled, paused, cancelled) and its
// messages: a scheduled one is done when none is queued or sending, sending once it has started.
CampaignState CurrentCampaignState(CampaignState stored, int64_t open_messages, int64_t starts_at_ms, int64_t now_ms);

// What a supervisor may do next: send a draft, pause a scheduled or sending one, resume a paused
// one, cancel any that is not done or cancelled (a draft too). kFailedPrecondition
// "campaign_<state>" otherwise; kInvalidArgument "unknown_action" for another action.
Result<CampaignState> CampaignTransition(CampaignState from, std::string_view action);

}  // namespace madoguchi::messaging
