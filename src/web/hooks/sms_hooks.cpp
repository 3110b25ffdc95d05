// src/web/hooks/sms_hooks.cpp — see sms_hooks.hpp.
#include "web/hooks/sms_hooks.hpp"

#include <spdlog/spdlog.h>

#include "common/crypto.hpp"
#include "common/text.hpp"
#include "messaging/delivery.hpp"
#include "messaging/phone.hpp"
#include "store/care/follow_up.hpp"
#include "store/outbox/delivery.hpp"
#include "store/outbox/replies.hpp"
#include "web/http/error_mapping.hpp"
#include "web/http/json.hpp"

namespace madoguchi::web {
namespace {

// A whole number of at most 18 digits, or an error naming the parameter.
Result<int64_t> NumberParam(const HttpRequest& r, const std::string& name) {
  const std::optional<std::string> v = r.Param(name);
  if (!v || v->empty() || v->size() > 18 || v->find_first_not_of("0123456789") != std::string::npos) {
    return InvalidArgumentError(name, "must be a whole number");
  }
  return std::stoll(*v);
}

Result<messaging::PartReport> KannelReport(int64_t type) {
  switch (type) {
    case 1: return messaging::PartReport::kDelivered;
    case 2: return messaging::PartReport::kUndelivered;
    case 4: return messaging::PartReport::kBuffered;
    case 8: return messaging::PartReport::kGatewayAccepted;
    case 16: return messaging::PartReport::kGatewayRejected;
    default: return InvalidArgumentError("type", "must be 1, 2, 4, 8 or 16 (Kannel's delivery report types)");
  }
}

}  // namespace

std::string SmsHookKey(const std::string& signing_secret) { return crypto::HmacSha256Hex(signing_secret, "madoguchi sms hooks", 16); }

void SmsHooks::Register(Router& router, SmsHooks* self) {
  RouteAdder add(router, self);
  using K = RouteKind;
  for (const char* method : {"GET", "POST"}) {
    add(method, "/hooks/sms/dlr", K::kApi, roles::kPublic, "SMS delivery report from Kannel (?key= the hook key; id, part, of, type)",
        &SmsHooks::DeliveryReport);
    add(method, "/hooks/sms/mo", K::kApi, roles::kPublic, "SMS reply from Kannel (?key= the hook key; from, text, mid, ts)",
        &SmsHooks::IncomingReply);
  }
}

HttpResponse SmsHooks::DeliveryReport(RequestContext& ctx) {
  const HttpRequest& r = ctx.request;
  if (!crypto::ConstantTimeEquals(r.Param("key").value_or(""), key_)) {
    return JsonError(403, Status(StatusCode::kPermissionDenied, "bad_key", "the hook key is wrong", "key"));
  }
  Result<int64_t> id = NumberParam(r, "id"), part = NumberParam(r, "part"), of = NumberParam(r, "of"), type = NumberParam(r, "type");
  for (const Result<int64_t>* v : {&id, &part, &of, &type}) {
    if (!v->ok()) return JsonError(v->status());
  }
  Result<messaging::PartReport> report = KannelReport(*type);
  if (!report.ok()) return JsonError(report.status());
  if (*of > 10 || *part > 10) return JsonError(InvalidArgumentError("of", "must be from 1 to 10"));
  if (Status s = messaging::ValidateReportPart(static_cast<int>(*part), static_cast<int>(*of)); !s.ok()) return JsonError(s);
  // The reports of a campaign come back by the hundred a second: many share one commit. Ordered by
  // message id, so that concurrent batches lock the messages' rows in one order.
  bool changed = false;
  const int64_t now = clock_.NowMs();
  Status s = writer_.Run(
      [&](store::Connection& c) -> Status {
        MADOGUCHI_ASSIGN_OR_RETURN(changed, store::RecordPartReport(c, *id, static_cast<int>(*part), static_cast<int>(*of), *report, now));
        return Status::Ok();
      },
      *id);
  if (!s.ok()) return JsonError(s);
  return JsonReply(200, {{"changed", changed}});
}

HttpResponse SmsHooks::IncomingReply(RequestContext& ctx) {
  const HttpRequest& r = ctx.request;
  if (!crypto::ConstantTimeEquals(r.Param("key").value_or(""), key_)) {
    return JsonError(403, Status(StatusCode::kPermissionDenied, "bad_key", "the hook key is wrong", "key"));
  }
  Result<std::string> from = messaging::MobileE164(r.Param("from").value_or(""), "from");
  if (!from.ok()) return JsonError(from.status());
  const std::string body = r.Param("text").value_or("");
  if (body.empty() || body.size() > 4000 || !text::IsValidUtf8(body)) {
    return JsonError(InvalidArgumentError("text", "must be UTF-8 text of 1 to 4000 bytes"));
  }
  const std::string mid = r.Param("mid").value_or("");
  const std::string dedupe =
      "sms:" + (mid.empty() || mid.size() > 100 ? crypto::Sha256Hex(*from + "|" + r.Param("ts").value_or("") + "|" + body) : mid);
  const bool stop = messaging::IsStopRequest(body);
  store::Reply reply;
  reply.from_address = *from;
  reply.body = body;
  reply.received_at_ms = clock_.NowMs();
  reply.dedupe_key = dedupe;
  reply.stop_request = stop;
  store::ReplyTaken taken = store::ReplyTaken::kNoConversation;
  bool check_in = false;
  Status s = store::InTransaction(db_, [&](store::Connection& c) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(taken, store::TakeReply(c, reply));
    if (taken != store::ReplyTaken::kStored || stop || !reply.message_id) return Status::Ok();
    store::SqlFollowUpPort port(c);
    MADOGUCHI_ASSIGN_OR_RETURN(std::optional<care::Reported> reported,
                               follow_up_.TakeNumberReply(port, reply.tenant, *reply.message_id, body));
    if (!reported) return Status::Ok();
    check_in = true;
    return store::SetReplyState(c, reply.tenant, reply.id, "done");
  });
  const bool matched = taken != store::ReplyTaken::kNoConversation, stored = taken == store::ReplyTaken::kStored,
             flooded = taken == store::ReplyTaken::kFlooded;
  if (!s.ok()) return JsonError(s);
  if (flooded) spdlog::warn("msg=\"reply not stored: too many from one number in an hour\" rid={}", ctx.request_id);
  return JsonReply(200, {{"matched", matched}, {"stored", stored}, {"stop", stop && stored}, {"flooded", flooded}, {"check_in", check_in}});
}

}  // namespace madoguchi::web
