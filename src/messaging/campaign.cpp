// src/messaging/campaign.cpp — see campaign.hpp.
#include "messaging/campaign.hpp"

#include <algorithm>
#include <array>
#include <set>

#include "common/text.hpp"
#include "messaging/email.hpp"
#include "messaging/links.hpp"
#include "messaging/phone.hpp"
#include "messaging/templates.hpp"

namespace madoguchi::messaging {
namespace {

constexpr std::array<std::pair<CampaignState, std::string_view>, 6> kStates{{{CampaignState::kDraft, "draft"},
                                                                             {CampaignState::kScheduled, "scheduled"},
                                                                             {CampaignState::kSending, "sending"},
                                                                             {CampaignState::kPaused, "paused"},
                                                                             {CampaignState::kCancelled, "cancelled"},
                                                                             {CampaignState::kDone, "done"}}};

}  // namespace

std::string_view CampaignStateName(CampaignState s) {
  for (const auto& [v, n] : kStates) {
    if (v == s) return n;
  }
  return "unknown";
}

Result<CampaignState> ParseCampaignState(std::string_view name) {
  for (const auto& [v, n] : kStates) {
    if (n == name) return v;
  }
  return InternalError("a stored campaign has the state \"" + std::string(name) + "\"", "unknown_state");
}

CampaignState CurrentCampaignState(CampaignState stored, int64_t open_messages, int64_t starts_at_ms, int64_t now_ms) {
  if (stored != CampaignState::kScheduled) return stored;
  if (open_messages == 0) return CampaignState::kDone;
  return now_ms >= starts_at_ms ? CampaignState::kSending : CampaignState::kScheduled;
}

int TimelineSpan::StepOf(int64_t at_ms) const {
  if (at_ms <= start_ms) return 0;
  return static_cast<int>(std::min<int64_t>((at_ms - start_ms + step_ms - 1) / step_ms, steps - 1));
}

TimelineSpan CampaignTimelineSpan(int64_t starts_at_ms, int64_t until_ms) {
  constexpr int64_t kMinute = 60'000;
  const int64_t length = std::max<int64_t>(until_ms - starts_at_ms, 1);
  for (int64_t step : {kMinute, 5 * kMinute, 15 * kMinute, 30 * kMinute, 60 * kMinute, 180 * kMinute, 360 * kMinute, 1440 * kMinute}) {
    const int64_t steps = (length + step - 1) / step;
    if (steps <= kTimelineSteps || step == 1440 * kMinute) return {starts_at_ms, step, static_cast<int>(steps) + 1};
  }
  return {};
}

Result<CampaignState> CampaignTransition(CampaignState from, std::string_view action) {
  const bool open = from == CampaignState::kScheduled || from == CampaignState::kSending;
  if (action == "send" && from == CampaignState::kDraft) return CampaignState::kScheduled;
  if (action == "pause" && open) return CampaignState::kPaused;
  if (action == "resume" && from == CampaignState::kPaused) return CampaignState::kScheduled;
  if (action == "cancel" && (open || from == CampaignState::kPaused || from == CampaignState::kDraft)) return CampaignState::kCancelled;
  if (action != "send" && action != "pause" && action != "resume" && action != "cancel") {
    return InvalidArgumentError("action", "must be send, pause, resume or cancel", "unknown_action");
  }
  return FailedPreconditionError("the campaign is " + std::string(CampaignStateName(from)),
                                 "campaign_" + std::string(CampaignStateName(from)));
}

Result<CampaignPlan> PlanCampaign(std::string_view body, const std::vector<std::string>& header,
                                  const std::vector<std::vector<std::string>>& rows, const SendingSettings& settings,
                                  const PlanOptions& options) {
  const size_t max_problems = options.max_problems;
  const bool repeats_allowed = options.repeats_allowed;
  if (!options.link.empty() && options.link != kCampaignLinkBooking) {
    return InvalidArgumentError("link", "must be empty or booking", "unknown_link_kind");
  }
  if (!options.link.empty() && options.public_url.empty()) {
    return InvalidArgumentError("link", "needs the address residents open links at (serve --public-url)", "no_public_url");
  }
  // What an SMS will count: the text, a space and a link of the length every short link has.
  const std::string link_tail = options.link.empty() ? "" : " " + ShortLinkUrl(options.public_url, std::string(kShortCodeLength, 'X'));
  if (text::Trim(body).empty() || body.size() > 1000 || !text::IsValidUtf8(body)) {
    return InvalidArgumentError("template", "must be text of 1 to 1000 bytes", "bad_template");
  }
  const size_t none = header.size();
  size_t phone_col = none, email_col = none;
  for (size_t c = 0; c < header.size(); ++c) {
    if (header[c] == kPhoneColumn || header[c] == "phone") phone_col = c;
    if (header[c] == kEmailColumn || header[c] == "email") email_col = c;
  }
  if (phone_col == none && email_col == none) {
    return InvalidArgumentError("file", "has no 電話番号 or メールアドレス column", "no_phone_column");
  }
  if (rows.empty()) return InvalidArgumentError("file", "has no recipients", "no_recipients");
  // A placeholder the file has no column for is the text's mistake, not every row's.
  std::map<std::string, std::string> columns;
  for (size_t c = 0; c < header.size(); ++c) {
    if (c != phone_col && c != email_col) columns[header[c]] = "";
  }
  if (Result<std::string> t = FillTemplate(body, columns, "template"); !t.ok()) {
    return InvalidArgumentError("template", t.status().message() + " (not a column of the file)", t.status().key());
  }
  CampaignPlan plan;
  plan.link = options.link;
  size_t more = 0;
  auto problem = [&](int row, const std::string& column, const Status& s) {
    if (plan.problems.size() < max_problems) {
      plan.problems.push_back({row, column, s.key(), s.message()});
    } else {
      ++more;
    }
  };
  std::set<std::string> seen;
  for (size_t r = 0; r < rows.size(); ++r) {
    const int row = static_cast<int>(r) + 2;  // the header is row 1
    const std::vector<std::string>& cells = rows[r];
    CampaignRecipient rec;
    rec.row = row;
    for (size_t c = 0; c < header.size(); ++c) {
      const std::string cell = c < cells.size() ? cells[c] : "";
      if (c != phone_col && c != email_col) rec.values[header[c]] = cell;
    }
    const auto cell = [&](size_t c) { return c < cells.size() ? text::Trim(cells[c]) : std::string(); };
    const size_t problems_before = plan.problems.size() + more;
    // The email first: a row whose email reaches the person does not need a mobile number.
    std::string email;
    if (email_col != none && !cell(email_col).empty()) {
      Result<std::string> e = NormalEmail(cell(email_col), header[email_col]);
      if (!e.ok()) problem(row, header[email_col], e.status());
      else if (!seen.insert(*e).second && !repeats_allowed)
        problem(row, header[email_col], InvalidArgumentError(header[email_col], "is listed twice", "repeated_email"));
      else email = *e;
    }
    if (phone_col != none && (!cell(phone_col).empty() || email_col == none || cell(email_col).empty())) {
      Result<std::string> phone = MobileE164(cell(phone_col), header[phone_col]);
      const Status& st = phone.status();
      if (!phone.ok() && st.key() == "not_mobile" && !email.empty()) {
        // A landline beside an email address: the row is reached by email.
      } else if (!phone.ok()) {
        // A malformed number is "bad_mobile" here: the list asks for a mobile number, where the
        // target list's "bad_phone" allows a landline or none.
        problem(row, header[phone_col], st.key() == "bad_phone" ? InvalidArgumentError(st.field(), st.message(), "bad_mobile") : st);
      } else if (!seen.insert(*phone).second && !repeats_allowed) {
        problem(row, header[phone_col], InvalidArgumentError(header[phone_col], "is listed twice", "repeated_phone"));
      } else {
        rec.phone = *phone;
      }
    } else if (email.empty() && plan.problems.size() + more == problems_before) {
      problem(row, header[email_col], InvalidArgumentError(header[email_col], "is empty, and so is the phone", "no_address"));
    }
    if (rec.phone.empty()) rec.email = email;
    Result<std::string> filled = FillTemplate(body, rec.values, "template");
    if (!filled.ok()) return filled.status();  // cannot happen: every column has a value
    // The part limit is an SMS's; an email is not cut into parts.
    Result<SmsParts> parts = SplitSms(*filled + link_tail);
    if (!rec.phone.empty() || (rec.email.empty() && phone_col != none)) {
      Status within = parts.ok() ? CheckPartLimit(*parts, settings.max_sms_parts, "template") : parts.status();
      if (!within.ok()) {
        problem(row, "template", within);
        continue;
      }
    }
    if (plan.problems.size() + more != problems_before || (rec.phone.empty() && rec.email.empty())) continue;
    rec.text = std::move(*filled);
    if (!rec.phone.empty()) {
      plan.max_parts = std::max(plan.max_parts, parts->parts());
      plan.total_parts += parts->parts();
    } else {
      ++plan.by_email;
    }
    plan.recipients.push_back(std::move(rec));
  }
  if (more > 0) {
    plan.problems.push_back({0, "", "more_problems", "and " + std::to_string(more) + " more problems"});
  }
  plan.cost_sen = plan.total_parts * settings.sms_sen_per_part;
  return plan;
}

}  // namespace madoguchi::messaging
