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
  std::string link;  // the link each text ends with (PlanOptions::link)
};

// The columns holding the addresses: 電話番号 (or "phone") and メールアドレス (or "email").
inline constexpr std::string_view kPhoneColumn = "電話番号";
inline constexpr std::string_view kEmailColumn = "メールアドレス";

// How a list is read: how many problems are reported, whether one address may appear twice (a
// saved segment, where two people of one household share a phone and each gets their own
// message), and the link the texts end with.
struct PlanOptions {
  size_t max_problems = 500;  // the rest are counted in the last one
  bool repeats_allowed = false;
  std::string link;        // empty: none; kCampaignLinkBooking: the tenant's booking page (messaging/links.hpp)
  std::string public_url;  // where residents open links: a link needs it (its length counts in the parts)
};

// Reads the recipients of `body` from `header` and `rows` (a CSV already read): a phone or an
// email column is required (kInvalidArgument naming "file" when there is neither, or no row at
// all; "template" when the body is empty or over 1000 bytes, or "unknown_variable" when it names a
// column the file does not have; "link" "unknown_link_kind" for another link, "no_public_url"
// for a link without the public address). Each row is sent by SMS to its mobile number, else by
// email to its address (a landline beside an email is fine); a number or address that is
// malformed, or appears twice, is a problem, as is a row with neither. The body filled for a row
// sent by SMS, with its link, must stay within the tenant's part limit. Problems are per row and
// cell, every one of a row.
Result<CampaignPlan> PlanCampaign(std::string_view body, const std::vector<std::string>& header,
                                  const std::vector<std::vector<std::string>>& rows, const SendingSettings& settings,
                                  const PlanOptions& options = {});

// A campaign's state: draft (previewed, not yet sent), scheduled, sending, paused, cancelled, done.
enum class CampaignState { kDraft, kScheduled, kSending, kPaused, kCancelled, kDone };
std::string_view CampaignStateName(CampaignState s);
Result<CampaignState> ParseCampaignState(std::string_view name);
// The state a campaign is in, from the one stored (draft, scheduled, paused, cancelled) and its
// messages: a scheduled one is done when none is queued or sending, sending once it has started.
CampaignState CurrentCampaignState(CampaignState stored, int64_t open_messages, int64_t starts_at_ms, int64_t now_ms);

// The steps a campaign's totals are drawn over, from its start to `until_ms` (now, or when it was
// last heard of): 1, 5, 15 or 30 minutes, 1, 3 or 6 hours, or a day, the smallest that needs at
// most kTimelineSteps steps (a longer campaign: days, as many as it takes). Point i of the chart
// is the time start + i × step, and counts what happened by then.
inline constexpr int kTimelineSteps = 48;
struct TimelineSpan {
  int64_t start_ms = 0;
  int64_t step_ms = 60'000;
  int steps = 1;  // points, the start's included
  // The first point that counts an event at `at_ms` (one before the start: the first; one after
  // the end: the last).
  int StepOf(int64_t at_ms) const;
};
TimelineSpan CampaignTimelineSpan(int64_t starts_at_ms, int64_t until_ms);

// What a supervisor may do next: send a draft, pause a scheduled or sending one, resume a paused
// one, cancel any that is not done or cancelled (a draft too). kFailedPrecondition
// "campaign_<state>" otherwise; kInvalidArgument "unknown_action" for another action.
Result<CampaignState> CampaignTransition(CampaignState from, std::string_view action);

}  // namespace madoguchi::messaging
