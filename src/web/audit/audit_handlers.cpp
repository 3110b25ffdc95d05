// The audit log of a municipality: read on a page, exported as CSV, or read over the API. Each
// read is itself audited, in the same transaction.
#include "web/audit/audit_handlers.hpp"

#include <kainjow/mustache.hpp>

#include "common/csv.hpp"
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
  std::vector<store::AuditEntry> entries;
  Status s = store::InTransaction(db_, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(entries, store::ListAudit(conn, ctx.tenant, static_cast<int>(*limit), *before));
    return Audit(clock_, conn, ctx, ctx.tenant, format == "csv" ? "audit.export" : "audit.read", "tenant:" + ctx.tenant);
  });
  if (!s.ok()) return JsonError(s);
  if (format == "csv") {
    HttpResponse r;
    r.content_type = "text/csv; charset=utf-8";
    r.body = "id,at_utc,actor_user_id,actor_login,actor_role,tenant,action,record,source_addr,request_id\r\n";
    for (const auto& e : entries) {
      r.body += std::to_string(e.id) + "," + FormatUtcIso(e.at_ms) + "," + (e.actor_user_id ? std::to_string(*e.actor_user_id) : "") + "," +
                csv::Cell(e.actor_login) + "," + csv::Cell(e.actor_role) + "," + csv::Cell(e.tenant_code.value_or("")) + "," +
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
  constexpr int kLimit = 200;
  std::vector<store::AuditEntry> entries;
  std::optional<store::Tenant> tenant;
  Status s = store::InTransaction(db_, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(tenant, store::FindTenant(conn, ctx.tenant));
    MADOGUCHI_ASSIGN_OR_RETURN(entries, store::ListAudit(conn, ctx.tenant, kLimit));
    return Audit(clock_, conn, ctx, ctx.tenant, "audit.read", "tenant:" + ctx.tenant);
  });
  if (!s.ok()) return ErrorPage(&ctx, HttpStatusFor(s.code()), ui::ErrorText(s));
  mustache::data list{mustache::data::type::list};
  for (const auto& e : entries) {
    mustache::data row;
    row.set("at", FormatTokyo(e.at_ms));
    row.set("actor_login", e.actor_login);
    row.set("actor_role", e.actor_role);
    row.set("action", e.action);
    row.set("record", e.record);
    row.set("source_addr", e.source_addr);
    list.push_back(row);
  }
  mustache::data d;
  d.set("tenant", ctx.tenant);
  d.set("tenant_name", tenant ? tenant->name : ctx.tenant);
  d.set("limit", std::to_string(kLimit));
  d.set("entries", list);
  return HtmlResponse(200, PageShell("監査ログ", Render(templates::kAudit, d), &*ctx.principal));
}

HttpResponse AuditHandlers::PageAuditCsv(RequestContext& ctx) {
  // Same export as the API, reached with the session cookie from the page's download link.
  HttpRequest copy = ctx.request;
  copy.params.clear();
  copy.params.emplace("format", "csv");
  copy.params.emplace("limit", "10000");
  RequestContext inner{copy, ctx.route, ctx.path_params, ctx.request_id, ctx.principal, ctx.tenant};
  HttpResponse r = ApiAudit(inner);
  if (r.status != 200) return ErrorPage(&ctx, r.status, "監査ログを出力できませんでした。");
  r.body = "\xEF\xBB\xBF" + r.body;  // BOM, so Excel opens the UTF-8 file correctly
  return r;
}

}  // namespace madoguchi::web
