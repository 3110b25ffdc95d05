#include "web/core/audit.hpp"

#include "store/audit/audit_log.hpp"

namespace madoguchi::web {

Status Audit(const Clock& clock, store::Connection& conn, const RequestContext& ctx, std::optional<std::string> tenant, std::string action,
             std::string record) {
  store::AuditEntry e;
  e.at_ms = clock.NowMs();
  if (ctx.principal) {
    e.actor_user_id = ctx.principal->user_id;
    e.actor_login = ctx.principal->login;
    e.actor_role = accounts::RoleName(ctx.principal->role);
  } else {
    e.actor_login = "anonymous";
    e.actor_role = "anonymous";
  }
  e.tenant_code = std::move(tenant);
  e.action = std::move(action);
  e.record = std::move(record);
  e.source_addr = ctx.ClientAddress();
  e.request_id = ctx.request_id;
  return store::AppendAudit(conn, e);
}

std::string ResidentIds(const std::vector<booking::ResidentRecord>& found) {
  std::string ids;
  for (const auto& r : found) ids += (ids.empty() ? "" : ",") + std::to_string(r.id);
  return ids.empty() ? "none" : ids;
}

Status AuditResident(const Clock& clock, store::Connection& conn, const RequestContext& ctx, const std::string& tenant, int64_t resident_id,
                     std::string action, std::string record) {
  store::AuditEntry e;
  e.at_ms = clock.NowMs();
  e.actor_login = "resident:" + std::to_string(resident_id);
  e.actor_role = "resident";
  e.tenant_code = tenant;
  e.action = std::move(action);
  e.record = std::move(record);
  e.source_addr = ctx.ClientAddress();
  e.request_id = ctx.request_id;
  return store::AppendAudit(conn, e);
}

}  // namespace madoguchi::web
