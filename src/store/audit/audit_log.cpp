#include "store/audit/audit_log.hpp"

namespace madoguchi::store {

Status AppendAudit(Connection& conn, const AuditEntry& e) {
  Value actor = e.actor_user_id ? Value(*e.actor_user_id) : Value(nullptr);
  Value tenant = e.tenant_code ? Value(*e.tenant_code) : Value(nullptr);
  return conn
      .Query(
          "INSERT INTO audit_log (at, actor_user_id, actor_login, actor_role, tenant_code, action, record, "
          "source_addr, request_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
          {e.at_ms, actor, e.actor_login, e.actor_role, tenant, e.action, e.record, e.source_addr, e.request_id})
      .status();
}

namespace {

constexpr const char* kAuditColumns =
    "id, at, actor_user_id, actor_login, actor_role, tenant_code, action, record, source_addr, request_id";

std::vector<AuditEntry> EntriesFrom(const Rows& rows) {
  std::vector<AuditEntry> out;
  out.reserve(rows.size());
  for (const Row& r : rows) {
    AuditEntry e;
    e.id = r.Int(0);
    e.at_ms = r.Int(1);
    if (!r.IsNull(2)) e.actor_user_id = r.Int(2);
    e.actor_login = r.Text(3);
    e.actor_role = r.Text(4);
    if (!r.IsNull(5)) e.tenant_code = r.Text(5);
    e.action = r.Text(6);
    e.record = r.Text(7);
    e.source_addr = r.Text(8);
    e.request_id = r.Text(9);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace

Result<std::vector<AuditEntry>> ListAudit(Connection& conn, const std::string& tenant, int limit, int64_t before_id) {
  return ListAudit(conn, tenant, limit, before_id, AuditFilter{});
}

Result<std::vector<AuditEntry>> ListAudit(Connection& conn, const std::string& tenant, int limit, int64_t before_id, const AuditFilter& f) {
  const int64_t before = before_id > 0 ? before_id : INT64_MAX;
  std::string sql = std::string("SELECT ") + kAuditColumns +
                    " FROM audit_log WHERE id < ? AND (tenant_code = ? OR (tenant_code IS NULL AND "
                    "actor_user_id IN (SELECT user_id FROM user_tenants WHERE tenant_code = ?)))";
  std::vector<Value> params = {before, tenant, tenant};
  if (!f.actor_login.empty()) {
    sql += " AND actor_login = ?";
    params.push_back(f.actor_login);
  }
  if (!f.action.empty()) {
    sql += " AND action = ?";
    params.push_back(f.action);
  }
  if (f.from_ms) {
    sql += " AND at >= ?";
    params.push_back(*f.from_ms);
  }
  if (f.to_ms) {
    sql += " AND at < ?";
    params.push_back(*f.to_ms);
  }
  params.push_back(int64_t{limit});
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query(sql + " ORDER BY id DESC LIMIT ?", params));
  return EntriesFrom(rows);
}

Result<int64_t> CountActorActions(Connection& conn, int64_t user_id, const std::vector<std::string>& actions, int64_t since_ms) {
  std::string sql = "SELECT COUNT(*) FROM audit_log WHERE actor_user_id = ? AND at >= ? AND action IN (";
  std::vector<Value> params = {user_id, since_ms};
  for (size_t i = 0; i < actions.size(); ++i) {
    sql += i ? ", ?" : "?";
    params.push_back(actions[i]);
  }
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query(sql + ")", params));
  return rows.at(0).Int(0);
}

Result<std::vector<AuditEntry>> ListPlatformAudit(Connection& conn, int limit) {
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows rows, conn.Query(std::string("SELECT ") + kAuditColumns + " FROM audit_log WHERE tenant_code IS NULL ORDER BY id DESC LIMIT ?",
                            {int64_t{limit}}));
  return EntriesFrom(rows);
}

}  // namespace madoguchi::store
