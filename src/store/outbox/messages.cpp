#include "store/outbox/messages.hpp"

#include <nlohmann/json.hpp>

#include "common/text.hpp"
#include "messaging/delivery.hpp"

namespace madoguchi::store {
namespace {

using messaging::Delivery;

std::string ChannelsText(const std::vector<Delivery>& channels) {
  std::string out;
  for (Delivery d : channels) out += (out.empty() ? "" : ",") + std::string(messaging::DeliveryName(d));
  return out;
}

Result<std::vector<Delivery>> ReadChannels(const std::string& text) {
  std::vector<Delivery> out;
  for (size_t start = 0; start <= text.size();) {
    size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    auto d = messaging::ParseDelivery(text.substr(start, end - start));
    if (!d.ok()) return InternalError("a stored message has the delivery channel \"" + text + "\"", "unknown_channel");
    out.push_back(*d);
    start = end + 1;
  }
  return out;
}

// A JSON object written directly (it is on every booking's path, in the single writer); read
// back with nlohmann::json.
std::string VariablesJson(const messaging::Variables& vars) {
  std::string out = "{";
  for (const auto& [name, value] : vars) {
    if (out.size() > 1) out += ',';
    out += text::JsonQuote(name);
    out += ':';
    if (const auto* s = std::get_if<std::string>(&value)) {
      out += text::JsonQuote(*s);
    } else {
      out += std::to_string(std::get<int64_t>(value));
    }
  }
  return out + "}";
}

Result<messaging::Variables> ReadVariables(const std::string& text) {
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return InternalError("a stored message's variables are not a JSON object", "bad_stored_variables");
  messaging::Variables out;
  for (const auto& [name, value] : j.items()) {
    if (value.is_string()) {
      out[name] = value.get<std::string>();
    } else if (value.is_number_integer()) {
      out[name] = value.get<int64_t>();
    } else {
      return InternalError("a stored message's variable " + name + " is neither text nor a whole number", "bad_stored_variables");
    }
  }
  return out;
}

}  // namespace

Status EnqueueMessages(Connection& conn, const std::vector<messaging::Message>& messages, int64_t now_ms) {
  if (messages.empty()) return Status::Ok();
  std::string sql =
      "INSERT INTO messages (tenant_code, resident_id, address, channels, template_key, variables, purpose, urgency, due_at, "
      "expires_at, dedupe_key, booking_id, created_at, priority, next_attempt_at, campaign_id) VALUES ";
  std::vector<Value> params;
  params.reserve(messages.size() * 16);
  for (size_t i = 0; i < messages.size(); ++i) {
    const messaging::Message& m = messages[i];
    MADOGUCHI_RETURN_IF_ERROR(messaging::ValidateMessage(m));
    sql += i == 0 ? "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    params.insert(
        params.end(),
        {m.tenant, m.resident_id ? Value(*m.resident_id) : Value(nullptr), m.address.empty() ? Value(nullptr) : Value(m.address),
         ChannelsText(m.channels), m.template_key, VariablesJson(m.variables), std::string(messaging::PurposeName(m.purpose)),
         std::string(messaging::UrgencyName(m.urgency)), m.due_at_ms, m.expires_at_ms ? Value(*m.expires_at_ms) : Value(nullptr),
         m.dedupe_key, m.booking_id ? Value(*m.booking_id) : Value(nullptr), now_ms, int64_t{messaging::SendPriority(m.purpose, m.urgency)},
         m.due_at_ms, m.campaign_id ? Value(*m.campaign_id) : Value(nullptr)});
  }
  sql += " ON CONFLICT (tenant_code, dedupe_key) DO NOTHING";
  return conn.Query(sql, params).status();
}

Status CancelPendingByKeyPrefix(Connection& conn, const std::string& tenant, const std::string& key_prefix) {
  if (key_prefix.empty()) return InvalidArgumentError("key_prefix", "must not be empty");
  std::string past = key_prefix;  // the first key after every key with the prefix
  past.back() = static_cast<char>(past.back() + 1);
  return conn
      .Query("UPDATE messages SET state = 'cancelled' WHERE tenant_code = ? AND dedupe_key >= ? AND dedupe_key < ? AND state = 'queued'",
             {tenant, key_prefix, past})
      .status();
}

const char kStoredMessageColumns[] =
    "id, tenant_code, resident_id, address, channels, template_key, variables, purpose, urgency, due_at, expires_at, dedupe_key, "
    "booking_id, state, attempts, created_at";

Result<StoredMessage> ReadStoredMessage(const Row& r) {
  StoredMessage s;
  s.id = r.Int(0);
  messaging::Message& m = s.message;
  m.tenant = r.Text(1);
  if (!r.IsNull(2)) m.resident_id = r.Int(2);
  if (!r.IsNull(3)) m.address = r.Text(3);
  MADOGUCHI_ASSIGN_OR_RETURN(m.channels, ReadChannels(r.Text(4)));
  m.template_key = r.Text(5);
  MADOGUCHI_ASSIGN_OR_RETURN(m.variables, ReadVariables(r.Text(6)));
  MADOGUCHI_ASSIGN_OR_RETURN(m.purpose, messaging::ParsePurpose(r.Text(7)));
  MADOGUCHI_ASSIGN_OR_RETURN(m.urgency, messaging::ParseUrgency(r.Text(8)));
  m.due_at_ms = r.Int(9);
  if (!r.IsNull(10)) m.expires_at_ms = r.Int(10);
  m.dedupe_key = r.Text(11);
  if (!r.IsNull(12)) m.booking_id = r.Int(12);
  MADOGUCHI_ASSIGN_OR_RETURN(s.state, messaging::ParseMessageState(r.Text(13)));
  s.attempts = static_cast<int>(r.Int(14));
  s.created_at_ms = r.Int(15);
  return s;
}

Result<std::vector<StoredMessage>> ListMessages(Connection& conn, const std::string& tenant, int limit) {
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows rows, conn.Query(std::string("SELECT ") + kStoredMessageColumns + " FROM messages WHERE tenant_code = ? ORDER BY id LIMIT ?",
                            {tenant, int64_t{limit}}));
  std::vector<StoredMessage> out;
  out.reserve(rows.size());
  for (const Row& r : rows) {
    MADOGUCHI_ASSIGN_OR_RETURN(StoredMessage s, ReadStoredMessage(r));
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace madoguchi::store
