// src/web/messaging/campaign_plan.cpp — see campaign_plan.hpp.
#include "web/messaging/campaign_plan.hpp"

#include <nlohmann/json.hpp>

#include "common/csv.hpp"
#include "store/outbox/delivery.hpp"

namespace madoguchi::web {

Result<messaging::CampaignPlan> PlanFromList(store::Connection& conn, const std::string& tenant, const std::string& body,
                                             const store::RecipientList& list, const std::string& link, const std::string& public_url,
                                             messaging::SendingSettings* settings_out) {
  MADOGUCHI_ASSIGN_OR_RETURN(auto table, csv::ReadCsv(list.csv));
  MADOGUCHI_ASSIGN_OR_RETURN(messaging::SendingSettings settings, store::GetSendingSettings(conn, tenant));
  if (settings_out) *settings_out = settings;
  if (!list.segment.empty() && table.second.empty()) {
    return InvalidArgumentError("segment", "nobody in the segment can be reached now", "segment_empty");
  }
  // A segment lists people, not addresses: two of one household may share a phone.
  return messaging::PlanCampaign(body, table.first, table.second, settings,
                                 messaging::PlanOptions{.repeats_allowed = !list.segment.empty(), .link = link, .public_url = public_url});
}

std::string CampaignSendJobInput(int64_t campaign_id, const std::string& public_url) {
  return nlohmann::json{{"campaign", campaign_id}, {"public_url", public_url}}.dump();
}

Result<int64_t> RunCampaignSendJob(store::Database& db, const Clock& clock, const store::Job& job, const std::string& runner) {
  const nlohmann::json input = nlohmann::json::parse(job.input, nullptr, false);
  if (job.kind != "campaign_send" || !input.is_object() || !input.contains("campaign") || !input["campaign"].is_number_integer()) {
    return InternalError("job " + std::to_string(job.id) + " is not a campaign_send job", "bad_job");
  }
  const int64_t id = input["campaign"].get<int64_t>();
  const std::string public_url = input.value("public_url", "");
  MADOGUCHI_RETURN_IF_ERROR(store::InTransaction(db, [&](store::Connection& c) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(store::CampaignRecord rec, store::GetCampaign(c, job.tenant, id));
    MADOGUCHI_ASSIGN_OR_RETURN(store::RecipientList list, store::CampaignDraftList(c, job.tenant, id));
    MADOGUCHI_ASSIGN_OR_RETURN(messaging::CampaignPlan plan, PlanFromList(c, job.tenant, rec.body, list, rec.link, public_url));
    MADOGUCHI_RETURN_IF_ERROR(store::SendCampaignDraft(c, job.tenant, id, plan, clock.NowMs()));
    MADOGUCHI_ASSIGN_OR_RETURN(bool held, store::FinishJob(c, job.id, runner, id, Status::Ok(), clock.NowMs()));
    if (!held) return ConflictError("another runner took the job over", "job_lost");
    return Status::Ok();
  }));
  return id;
}

}  // namespace madoguchi::web
