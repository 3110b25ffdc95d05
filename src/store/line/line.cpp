#include "store/line/line.hpp"

namespace madoguchi::store {

Status SaveLineChannel(Connection& conn, const std::string& tenant, const LineChannel& c, int64_t now_ms) {
  return conn
      .Query(
          "INSERT INTO line_channels (tenant_code, channel_secret, access_token, basic_id, updated_at) VALUES (?, ?, ?, ?, ?) "
          "ON CONFLICT (tenant_code) DO UPDATE SET channel_secret = excluded.channel_secret, "
          "basic_id = CASE WHEN line_channels.access_token = excluded.access_token AND excluded.basic_id = '' "
          "THEN line_channels.basic_id ELSE excluded.basic_id END, "
          "access_token = excluded.access_token, updated_at = excluded.updated_at",
          {tenant, c.channel_secret, c.access_token, c.basic_id, now_ms})
      .status();
}

Result<std::optional<LineChannel>> FindLineChannel(Connection& conn, const std::string& tenant) {
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows rows, conn.Query("SELECT channel_secret, access_token, basic_id FROM line_channels WHERE tenant_code = ?", {tenant}));
  if (rows.empty()) return std::optional<LineChannel>();
  return std::optional<LineChannel>(LineChannel{rows[0].Text(0), rows[0].Text(1), rows[0].Text(2)});
}

Status SaveLineBasicId(Connection& conn, const std::string& tenant, const std::string& access_token, const std::string& basic_id) {
  return conn.Query("UPDATE line_channels SET basic_id = ? WHERE tenant_code = ? AND access_token = ?", {basic_id, tenant, access_token})
      .status();
}

Result<bool> RecordLineEvent(Connection& conn, const std::string& tenant, const std::string& id, int64_t now_ms) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query("INSERT INTO line_events (tenant_code, webhook_event_id, received_at) VALUES (?, ?, ?) "
                                                   "ON CONFLICT DO NOTHING RETURNING received_at",
                                                   {tenant, id, now_ms}));
  return !rows.empty();
}

Result<LineUser> GetLineUser(Connection& conn, const std::string& tenant, const std::string& user_id) {
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows rows,
      conn.Query("SELECT state, ticket, resident_id FROM line_users WHERE tenant_code = ? AND line_user_id = ?", {tenant, user_id}));
  LineUser u;
  if (rows.empty()) return u;
  u.state = rows[0].Text(0);
  u.ticket = rows[0].Text(1);
  if (!rows[0].IsNull(2)) u.resident_id = rows[0].Int(2);
  return u;
}

Result<std::vector<std::string>> LineUsersOfResident(Connection& conn, const std::string& tenant, int64_t resident_id) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query("SELECT line_user_id FROM line_users WHERE tenant_code = ? AND resident_id = ? "
                                                   "ORDER BY line_user_id",
                                                   {tenant, resident_id}));
  std::vector<std::string> out;
  for (const Row& r : rows) out.push_back(r.Text(0));
  return out;
}

Status SaveLineUser(Connection& conn, const std::string& tenant, const std::string& user_id, const LineUser& u, int64_t now_ms) {
  return conn
      .Query(
          "INSERT INTO line_users (tenant_code, line_user_id, state, ticket, resident_id, updated_at) VALUES (?, ?, ?, ?, ?, ?) "
          "ON CONFLICT (tenant_code, line_user_id) DO UPDATE SET state = excluded.state, ticket = excluded.ticket, "
          "resident_id = excluded.resident_id, updated_at = excluded.updated_at",
          {tenant, user_id, u.state, u.ticket, u.resident_id ? Value(*u.resident_id) : Value(nullptr), now_ms})
      .status();
}

}  // namespace madoguchi::store
