// src/web/messaging/campaign_plan.hpp — a campaign's recipients read and checked (the preview, the
// send), and a draft sent as a job: its list read again and one message per recipient written,
// off any request's thread (a segment or a file of 100,000 people is many writes).
#pragma once

#include <string>

#include "common/clock.hpp"
#include "messaging/campaign.hpp"
#include "store/database.hpp"
#include "store/jobs/jobs.hpp"
#include "store/outbox/campaigns.hpp"

namespace madoguchi::web {

// The plan of `body` to `list` under the tenant's settings now (into `settings_out` when given):
// `link` the link the texts end with (messaging::PlanOptions::link), opened at `public_url`.
// Errors: the CSV's; kInvalidArgument "segment_empty" for a segment nobody in which can be reached
// now; messaging::PlanCampaign's.
Result<messaging::CampaignPlan> PlanFromList(store::Connection& conn, const std::string& tenant, const std::string& body,
                                             const store::RecipientList& list, const std::string& link, const std::string& public_url,
                                             messaging::SendingSettings* settings_out = nullptr);

// The input of a campaign_send job: the campaign, and where its links open.
std::string CampaignSendJobInput(int64_t campaign_id, const std::string& public_url);

// Runs a campaign_send job: the draft's list read again and planned; with no problems, its messages
// written and the job marked done in one transaction (store::SendCampaignDraft, store::FinishJob).
// Returns the campaign's id. Errors: kInvalidArgument "campaign_has_problems" (the list or the
// settings changed since the preview: nothing written), CampaignDraftList's (a draft cancelled
// meanwhile), kConflict "job_lost", kInternal "bad_job"; the database's.
Result<int64_t> RunCampaignSendJob(store::Database& db, const Clock& clock, const store::Job& job, const std::string& runner);

}  // namespace madoguchi::web
