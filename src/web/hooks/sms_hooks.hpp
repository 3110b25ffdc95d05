// src/web/hooks/sms_hooks.hpp — what the SMS gateway (Kannel's smsbox) calls back: delivery
// reports per part, and replies from handsets. The URL carries a key derived from the signing secret (compared in constant
// time): a wrong key, an unknown message or a repeated report changes nothing.
#pragma once

#include <string>

#include "care/follow_up.hpp"
#include "common/clock.hpp"
#include "store/batch_writer.hpp"
#include "store/database.hpp"
#include "web/core/routes.hpp"

namespace madoguchi::web {

// The key in the gateway's callback URLs: every process derives the same one from the shared
// signing secret, so any server may receive a report for a message any worker sent.
std::string SmsHookKey(const std::string& signing_secret);

class SmsHooks {
 public:
  // `follow_up` takes a number replied to a health check-in (care/follow_up.hpp).
  // Delivery reports go through `writer` (group commit: one transaction for the many that arrive at
  // once, each answered only after it is stored).
  SmsHooks(store::Database& db, const Clock& clock, store::BatchWriter& writer, std::string signing_secret,
           const care::FollowUpService& follow_up)
      : db_(db), clock_(clock), writer_(writer), key_(SmsHookKey(signing_secret)), follow_up_(follow_up) {}
  static void Register(Router& router, SmsHooks* self);

  // ?key=&id=&part=&of=&type= (Kannel's %d: 1 delivered, 2 undelivered, 4 buffered, 8 taken by
  // the SMSC, 16 refused by the SMSC).
  HttpResponse DeliveryReport(RequestContext& ctx);
  // ?key=&from=&text=&mid=&ts= (Kannel's %p, %a, %I, %t): a reply from a handset, matched to the
  // last message sent to that number and kept for the inbox; 「停止」 or STOP also puts the number
  // on that tenant's suppression list. A reply from a number nothing was sent to is not kept. A
  // number (1, 2, 3) answering a health check-in is that day's report: triaged at once, and the
  // reply is marked done so the inbox is left for replies that need a person.
  HttpResponse IncomingReply(RequestContext& ctx);

 private:
  store::Database& db_;
  const Clock& clock_;
  store::BatchWriter& writer_;
  const std::string key_;
  const care::FollowUpService& follow_up_;
};

}  // namespace madoguchi::web
