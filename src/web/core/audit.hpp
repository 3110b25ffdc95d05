// src/web/core/audit.hpp — the audit rows a request writes, in the transaction of what it did
// or read (store/audit).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "booking/service.hpp"
#include "common/clock.hpp"
#include "store/database.hpp"
#include "web/core/context.hpp"

namespace madoguchi::web {

// Appends an audit entry for the request's actor (the staff member, or "anonymous") in an open
// transaction. Errors: the database's.
Status Audit(const Clock& clock, store::Connection& conn, const RequestContext& ctx, std::optional<std::string> tenant, std::string action,
             std::string record);
// A resident reading or changing their own record (actor "resident:<id>", role "resident").
// Errors: the database's.
Status AuditResident(const Clock& clock, store::Connection& conn, const RequestContext& ctx, const std::string& tenant, int64_t resident_id,
                     std::string action, std::string record);

// "12,15,40" (or "none"): the residents a look-up showed, as its audit row records them.
std::string ResidentIds(const std::vector<booking::ResidentRecord>& found);

}  // namespace madoguchi::web
