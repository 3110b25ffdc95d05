// src/store/outbox/campaigns.hpp — campaigns and their messages: created whole (every recipient's
// message written in the one transaction, or none), paused, resumed, cancelled, and counted.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "messaging/campaign.hpp"
#include "messaging/segment.hpp"
#include "store/database.hpp"

namespace madoguchi::store {

struct NewCampaign {
  std::string tenant;
  std::string name;
  std::string body;
  int64_t starts_at_ms = 0;
  std::optional<int64_t> created_by;
  const messaging::CampaignPlan* plan = nullptr;  // PlanCampaign's, without problems
  std::string segment;                            // a draft's saved segment (messaging::SegmentSpec); empty: a file
};

// A campaign's recipients as a list (CSV, UTF-8, header first) to plan from: a file as uploaded,
// or a saved segment read now.
struct RecipientList {
  std::string csv;
  std::string segment;      // the segment's spec; empty: a file
  int64_t unreachable = 0;  // a segment's residents with neither a mobile number nor an email (not listed)
};
// The segment's residents now, as messaging::Segment defines them, each as
// messaging::SegmentCells writes them (or counted as unreachable). Errors:
// the database's.
Result<RecipientList> SegmentList(Connection& conn, const std::string& tenant, const messaging::Segment& segment);

// Writes the campaign and one message per recipient (SMS, purpose campaign, due at its start,
// dedupe key campaign:<id>:<row>). Errors: kInvalidArgument "campaign_has_problems" when the plan
// has problems or no recipients, "name" for an empty or over-200-byte name; the database's.
Result<int64_t> CreateCampaign(Connection& conn, const NewCampaign& c, int64_t now_ms);

struct CampaignRecord {
  int64_t id = 0;
  std::string name, body;
  messaging::CampaignState state = messaging::CampaignState::kScheduled;  // as stored; done/sending derived
  int64_t starts_at_ms = 0, recipients = 0, parts = 0, cost_sen = 0, created_at_ms = 0;
  // The campaign's messages by state (queued, sending, sent, delivered, failed, …).
  std::vector<std::pair<std::string, int64_t>> by_state;
  int64_t replies = 0;
  int64_t opened = 0;               // recipients who opened the link in their message (at least once)
  std::string link;                 // the link its texts end with (messaging::PlanOptions::link); empty: none
  std::optional<int64_t> send_job;  // a draft being sent: the job writing its messages
  // Scheduled and started, sending, or done (nothing queued or sending).
  messaging::CampaignState Shown(int64_t now_ms) const;
};
// Errors: kNotFound "unknown_campaign" (also for another tenant's); the database's.
Result<CampaignRecord> GetCampaign(Connection& conn, const std::string& tenant, int64_t id);
// The tenant's campaigns, newest first, with their counts. Errors: the database's.
Result<std::vector<CampaignRecord>> ListCampaigns(Connection& conn, const std::string& tenant, int limit);

// A previewed campaign, kept with its recipient list (CSV as UTF-8) until it is sent: no message
// is written. Errors: as CreateCampaign's.
Result<int64_t> SaveCampaignDraft(Connection& conn, const NewCampaign& c, const std::string& recipients_csv, int64_t now_ms);
// A draft's recipient list: its file, or its segment read now. Errors: kNotFound
// "unknown_campaign"; kFailedPrecondition "campaign_<state>" when it is no longer a draft.
Result<RecipientList> CampaignDraftList(Connection& conn, const std::string& tenant, int64_t id);
// Hands a draft to `job` (a campaign_send job) to be sent. Errors: kNotFound "unknown_campaign";
// kFailedPrecondition "campaign_<state>" when it is no longer a draft, "campaign_being_sent" when
// a job that has not failed holds it already; the database's.
Status MarkCampaignBeingSent(Connection& conn, const std::string& tenant, int64_t id, int64_t job);

// Sends a draft with `plan` (its list read again under the tenant's settings now): its messages
// are written, it is scheduled, the list is dropped. Errors: CampaignDraftList's; as
// CreateCampaign's for a plan with problems.
Status SendCampaignDraft(Connection& conn, const std::string& tenant, int64_t id, const messaging::CampaignPlan& plan, int64_t now_ms);

// What a sent campaign's recipients did, minute by minute (the minute's start in Unix ms, and how
// many): their messages sent, delivered, their links first opened, their first replies.
struct CampaignActivity {
  std::vector<std::pair<int64_t, int64_t>> sent, delivered, opened, replied;
  int64_t replied_recipients = 0;  // recipients who replied at least once
};
// Errors: kNotFound "unknown_campaign" (also another tenant's); the database's.
Result<CampaignActivity> GetCampaignActivity(Connection& conn, const std::string& tenant, int64_t id);

// One recipient of a sent campaign and what became of their message.
struct CampaignRecipientStatus {
  int64_t message_id = 0;
  int row = 0;             // the list's row (a file's, or the segment's order)
  std::string address;     // the number (E.164) or email address it went, or goes, to
  std::string channel;     // sms, email
  std::string state;       // queued, sending, sent, delivered, failed, …
  std::string last_error;  // why it failed (a code)
  std::optional<int64_t> sent_at_ms, delivered_at_ms;
  int64_t opens = 0;    // taps on the link in it
  int64_t replies = 0;  // replies that answer it
};
// Which recipients a list shows: all, those still waiting (queued, sending, sent), those not
// reached (failed, expired, suppressed, cancelled), those who opened the link, those who replied.
enum class RecipientFilter { kAll, kWaiting, kNotReached, kOpened, kReplied };
// The campaign's recipients in the list's order, `limit` from `offset`, and how many the filter
// matches in all. Errors: kNotFound "unknown_campaign"; the database's.
Result<std::pair<std::vector<CampaignRecipientStatus>, int64_t>> ListCampaignRecipients(Connection& conn, const std::string& tenant,
                                                                                        int64_t id, RecipientFilter filter, int64_t offset,
                                                                                        int limit);

// pause, resume or cancel (messaging::CampaignTransition); cancelling withdraws the messages not
// yet sent. Errors: kNotFound "unknown_campaign"; CampaignTransition's; the database's.
Result<messaging::CampaignState> ChangeCampaign(Connection& conn, const std::string& tenant, int64_t id, const std::string& action,
                                                int64_t now_ms);

}  // namespace madoguchi::store
