// The audit log of a municipality: read on a page, exported as CSV, or read over the API. Each
// read is itself audited, in the same transaction.
#include "web/audit/audit_handlers.hpp"

#include <kainjow/mustache.hpp>

#include <algorithm>

#include "common/csv.hpp"
#include "common/text.hpp"
#include "common/time_format.hpp"
#include "store/accounts/accounts.hpp"
#include "store/audit/audit_log.hpp"
#include "web/core/audit.hpp"
#include "web/http/error_mapping.hpp"
#include "web/http/json.hpp"
#include "web/ui/messages.hpp"
#include "web/ui/pages.hpp"
#include "web/ui/templates.hpp"

namespace madoguchi::web {

namespace mustache = kainjow::mustache;

namespace {

json AuditJson(const store::AuditEntry& e) {
  return {{"id", e.id},
          {"at", FormatUtcIso(e.at_ms)},
          {"actor_user_id", e.actor_user_id ? json(*e.actor_user_id) : json(nullptr)},
          {"actor_login", e.actor_login},
          {"actor_role", e.actor_role},
          {"tenant", e.tenant_code ? json(*e.tenant_code) : json(nullptr)},
          {"action", e.action},
          {"record", e.record},
          {"source_addr", e.source_addr},
          {"request_id", e.request_id}};
}

// Parses a non-negative integer query parameter within [0, max].
Result<int64_t> IntParam(const HttpRequest& req, const char* name, int64_t fallback, int64_t max) {
  auto v = req.Param(name);
  if (!v) return fallback;
  if (v->empty() || v->size() > 18 || v->find_first_not_of("0123456789") != std::string::npos) {
    return InvalidArgumentError(name, "must be a non-negative integer");
  }
  const int64_t n = std::stoll(*v);
  if (n > max) return InvalidArgumentError(name, "must be at most " + std::to_string(max));
  return n;
}

// ?who=&action=&from=&to= (Japan dates, inclusive): what the page and the API narrow by.
Result<store::AuditFilter> FilterOf(const HttpRequest& req) {
  store::AuditFilter f;
  f.actor_login = text::Trim(req.Param("who").value_or(""));
  f.action = req.Param("action").value_or("");
  if (!f.action.empty()) {
    const auto known = ui::AuditActions();
    if (std::none_of(known.begin(), known.end(), [&](const ui::AuditAction& a) { return a.code == f.action; })) {
      return InvalidArgumentError("action", "is not an action the log records", "unknown_audit_action");
    }
  }
  for (const char* name : {"from", "to"}) {
    const std::string v = req.Param(name).value_or("");
    if (v.empty()) continue;
    const auto day = ParseIsoDate(v);
    if (!day) return InvalidArgumentError(name, "must be a date YYYY-MM-DD", "bad_date");
    if (std::string(name) == "from") f.from_ms = JapanMidnightMs(*day);
    else f.to_ms = JapanMidnightMs(*day + std::chrono::days{1});
  }
  return f;
}

// "booking:12" as staff read it: 「予約 12」.
std::string RecordLabel(const std::string& record) {
  static const std::pair<const char*, const char*> kKinds[] = {
      {"booking:", "予約 "},  {"user:", "職員 "}, {"tenant:", "自治体 "},  {"slot:", "予約枠 "},       {"venue:", "会場 "},
      {"resident:", "住民 "}, {"plan:", "計画 "}, {"token:", "トークン "}, {"waitlist:", "空き待ち "}, {"campaign:", "一斉送信 "}};
  for (const auto& [prefix, label] : kKinds) {
    if (record.starts_with(prefix)) return label + record.substr(std::string(prefix).size());
  }
  return record;
}

std::string RoleLabel(const std::string& role) {
  if (auto r = accounts::ParseRole(role); r.ok()) return accounts::RoleLabelJa(*r);
  if (role == "resident") return "住民";
  if (role == "cli") return "コマンド";
  if (role == "anonymous") return "ログイン前";
  return role;
}

}  // namespace

void AuditHandlers::Register(Router& router, AuditHandlers* self) {
  RouteAdder add(router, self);
  using K = RouteKind;
  add("GET", "/api/v1/t/{tenant}/audit", K::kApi, roles::kAdmin, "audit log (JSON, or CSV with ?format=csv)", &AuditHandlers::ApiAudit);
  add("GET", "/t/{tenant}/audit", K::kPage, roles::kAdmin, "audit log page", &AuditHandlers::PageAudit);
  add("GET", "/t/{tenant}/audit.csv", K::kPage, roles::kAdmin, "audit log CSV download", &AuditHandlers::PageAuditCsv);
}

HttpResponse AuditHandlers::ApiAudit(RequestContext& ctx) {
  auto limit = IntParam(ctx.request, "limit", 100, 10'000);
  if (!limit.ok()) return JsonError(limit.status());
  auto before = IntParam(ctx.request, "before", 0, INT64_MAX / 2);
  if (!before.ok()) return JsonError(before.status());
  const std::string format = ctx.request.Param("format").value_or("json");
  if (format != "json" && format != "csv") return JsonError(InvalidArgumentError("format", "use json or csv"));
  auto filter = FilterOf(ctx.request);
  if (!filter.ok()) return JsonError(filter.status());
  std::vector<store::AuditEntry> entries;
  Status s = store::InTransaction(db_, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(entries, store::ListAudit(conn, ctx.tenant, static_cast<int>(*limit), *before, *filter));
    return Audit(clock_, conn, ctx, ctx.tenant, format == "csv" ? "audit.export" : "audit.read", "tenant:" + ctx.tenant);
  });
  if (!s.ok()) return JsonError(s);
  if (format == "csv") {
    HttpResponse r;
    r.content_type = "text/csv; charset=utf-8";
    // Japan time with its offset, as the page shows it (an hour in UTC reads as the wrong day).
    r.body = "id,at,actor_user_id,actor_login,actor_role,tenant,action,record,source_addr,request_id\r\n";
    for (const auto& e : entries) {
      r.body += std::to_string(e.id) + "," + FormatTokyoIso(e.at_ms) + "," + (e.actor_user_id ? std::to_string(*e.actor_user_id) : "") +
                "," + csv::Cell(e.actor_login) + "," + csv::Cell(e.actor_role) + "," + csv::Cell(e.tenant_code.value_or("")) + "," +
                csv::Cell(e.action) + "," + csv::Cell(e.record) + "," + csv::Cell(e.source_addr) + "," + csv::Cell(e.request_id) + "\r\n";
    }
    r.AddHeader("Content-Disposition", "attachment; filename=\"audit-" + ctx.tenant + ".csv\"");
    return r;
  }
  json out = json::array();
  for (const auto& e : entries) out.push_back(AuditJson(e));
  return JsonReply(200, {{"entries", out}});
}

HttpResponse AuditHandlers::PageAudit(RequestContext& ctx) {
  constexpr int kLimit = 100;
  std::vector<store::AuditEntry> entries;
  std::optional<store::Tenant> tenant;
  auto filter = FilterOf(ctx.request);
  auto before = IntParam(ctx.request, "before", 0, INT64_MAX / 2);
  Status s = store::InTransaction(db_, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(tenant, store::FindTenant(conn, ctx.tenant));
    if (filter.ok() && before.ok()) {
      MADOGUCHI_ASSIGN_OR_RETURN(entries, store::ListAudit(conn, ctx.tenant, kLimit, *before, *filter));
    }
    return Audit(clock_, conn, ctx, ctx.tenant, "audit.read", "tenant:" + ctx.tenant);
  });
  if (!s.ok()) return ErrorPage(&ctx, HttpStatusFor(s.code()), ui::ErrorText(s));
  mustache::data list{mustache::data::type::list};
  for (const auto& e : entries) {
    mustache::data row;
    row.set("at", FormatTokyo(e.at_ms));
    // Not signed in, or the command line: said so, not as the log's code words.
    row.set("actor_login", e.actor_login == "anonymous"        ? std::string("（ログイン前）")
                           : e.actor_login.starts_with("cli:") ? "コマンド（" + e.actor_login.substr(4) + "）"
                                                               : e.actor_login);
    row.set("actor_role", RoleLabel(e.actor_role));
    row.set("action", std::string(ui::AuditActionLabel(e.action)));
    row.set("record", RecordLabel(e.record));
    row.set("source_addr", e.source_addr);
    list.push_back(row);
  }
  // The filters as a query string, kept by the CSV link and the pages.
  std::string query;
  for (const char* name : {"who", "action", "from", "to"}) {
    const std::string v = ctx.request.Param(name).value_or("");
    if (!v.empty()) query += std::string(query.empty() ? "?" : "&") + name + "=" + UrlEncode(v);
  }
  mustache::data d;
  d.set("tenant", ctx.tenant);
  d.set("tenant_name", tenant ? tenant->name : ctx.tenant);
  d.set("limit", std::to_string(kLimit));
  d.set("entries", list);
  d.set("query", query);
  for (const char* name : {"who", "from", "to"}) d.set(name, ctx.request.Param(name).value_or(""));
  if (!query.empty()) d.set("filtered", mustache::data::type::bool_true);
  mustache::data actions{mustache::data::type::list};
  for (const ui::AuditAction& a : ui::AuditActions()) {
    mustache::data o;
    o.set("code", std::string(a.code));
    o.set("label", std::string(a.label));
    if (filter.ok() && filter->action == a.code) o.set("selected", mustache::data::type::bool_true);
    actions.push_back(o);
  }
  d.set("actions", actions);
  if (static_cast<int>(entries.size()) == kLimit) {
    d.set("older", query + (query.empty() ? "?" : "&") + "before=" + std::to_string(entries.back().id));
  }
  if (before.ok() && *before > 0) d.set("newest", mustache::data::type::bool_true);
  const Status& refused = !filter.ok() ? filter.status() : before.status();
  if (!refused.ok()) d.set("error", ui::ErrorText(refused));
  return HtmlResponse(refused.ok() ? 200 : 422, PageShell("監査ログ", Render(templates::kAudit, d), &*ctx.principal));
}

HttpResponse AuditHandlers::PageAuditCsv(RequestContext& ctx) {
  // Same export as the API, reached with the session cookie from the page's download link.
  HttpRequest copy = ctx.request;
  copy.params.clear();
  copy.params.emplace("format", "csv");
  copy.params.emplace("limit", "10000");
  for (const char* name : {"who", "action", "from", "to"}) {
    if (auto v = ctx.request.Param(name)) copy.params.emplace(name, *v);
  }
  RequestContext inner{copy, ctx.route, ctx.path_params, ctx.request_id, ctx.principal, ctx.tenant};
  HttpResponse r = ApiAudit(inner);
  if (r.status != 200) return ErrorPage(&ctx, r.status, "監査ログを出力できませんでした。");
  r.body = "\xEF\xBB\xBF" + r.body;  // BOM, so Excel opens the UTF-8 file correctly
  return r;
}

}  // namespace madoguchi::web
