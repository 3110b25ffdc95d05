// src/web/audit/audit_handlers.hpp — the audit log, for a municipality's admin.
#pragma once

#include "common/clock.hpp"
#include "store/database.hpp"
#include "web/core/routes.hpp"

namespace madoguchi::web {

class AuditHandlers {
 public:
  AuditHandlers(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}
  static void Register(Router& router, AuditHandlers* self);

  HttpResponse ApiAudit(RequestContext& ctx);
  HttpResponse PageAudit(RequestContext& ctx);
  HttpResponse PageAuditCsv(RequestContext& ctx);

 private:
  store::Database& db_;
  const Clock& clock_;
};

}  // namespace madoguchi::web
