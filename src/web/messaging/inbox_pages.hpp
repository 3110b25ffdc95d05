// src/web/messaging/inbox_pages.hpp — 返信の受信箱 for operators: the replies residents sent to the
// tenant's messages, unread first, each beside the message it answers and the resident it went
// to; an answer goes back by SMS to the same number; a reply is marked done. Every read is audited.
#pragma once

#include "common/clock.hpp"
#include "store/database.hpp"
#include "web/core/routes.hpp"

namespace madoguchi::web {

class InboxHandlers {
 public:
  InboxHandlers(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}
  static void Register(Router& router, InboxHandlers* self);

  HttpResponse PageInbox(RequestContext& ctx);
  HttpResponse PageAction(RequestContext& ctx);  // POST answer | done

 private:
  HttpResponse Inbox(RequestContext& ctx, int status, const std::string& error);

  store::Database& db_;
  const Clock& clock_;
};

}  // namespace madoguchi::web
