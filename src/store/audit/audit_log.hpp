// src/store/audit/audit_log.hpp — the append-only audit log.
//
// Every write, and every read of personal or health data, appends one entry in the same
// transaction as the change. The database refuses UPDATE and DELETE on audit_log (triggers in
// migration 1), so history cannot be rewritten through this process.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/database.hpp"

namespace madoguchi::store {

struct AuditEntry {
  int64_t id = 0;                        // assigned on append
  int64_t at_ms = 0;                     // UTC
  std::optional<int64_t> actor_user_id;  // nullopt for the CLI or an anonymous resident
  std::string actor_login;               // "cli:root", "anonymous", or the staff login
  std::string actor_role;                // role name, "cli" or "anonymous"
  std::optional<std::string> tenant_code;
  std::string action;       // dotted verb, e.g. "user.create", "session.login", "user.list"
  std::string record;       // what was touched, e.g. "user:12", "tenant:452041"
  std::string source_addr;  // client address, or "cli"
  std::string request_id;   // the HTTP request id, or "cli"
};

// Errors: the database's.
Status AppendAudit(Connection& conn, const AuditEntry& entry);

// Entries visible to the staff of `tenant`: those about the tenant, plus tenant-less entries
// (logins, token changes) of users bound to it. Newest first; `before_id` pages backwards
// (0 = from the newest); at most `limit` entries.
// Errors: the database's.
Result<std::vector<AuditEntry>> ListAudit(Connection& conn, const std::string& tenant, int limit, int64_t before_id = 0);
// The same, narrowed: by whose login, by action, by time [from_ms, to_ms); unset parts narrow nothing.
struct AuditFilter {
  std::string actor_login, action;
  std::optional<int64_t> from_ms, to_ms;
};
Result<std::vector<AuditEntry>> ListAudit(Connection& conn, const std::string& tenant, int limit, int64_t before_id,
                                          const AuditFilter& filter);

// How many entries the user made with one of `actions` since `since_ms` (the staff look-up
// budget). Errors: the database's.
Result<int64_t> CountActorActions(Connection& conn, int64_t user_id, const std::vector<std::string>& actions, int64_t since_ms);

// Entries without a municipality (logins, failed and throttled logins of unknown names, token
// changes): the platform's security log, newest first. Errors: the database's.
Result<std::vector<AuditEntry>> ListPlatformAudit(Connection& conn, int limit);

}  // namespace madoguchi::store
