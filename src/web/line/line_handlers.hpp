// src/web/line/line_handlers.hpp — LINE: the webhook (signature checked on the raw body before
// anything is parsed; each event processed once) driving a booking conversation with quick-reply
// buttons, answered through the Messaging API, and the link of a home-care patient who sends the
// code from their status page; and the admin's channel settings. docs/line.md.
#pragma once

#include <string>
#include <vector>

#include "booking/service.hpp"
#include "care/follow_up.hpp"
#include "channels/line.hpp"
#include "common/clock.hpp"
#include "store/batch_writer.hpp"
#include "store/database.hpp"
#include "web/core/resident_access.hpp"
#include "web/core/routes.hpp"
#include "web/core/tenants.hpp"

namespace madoguchi::web {

class LineHandlers {
 public:
  LineHandlers(store::Database& db, const Clock& clock, store::BatchWriter& writer, const booking::BookingService& booking,
               Tenants& tenants, ResidentAccess& residents, channels::LineClient& line, const care::FollowUpService& follow_up)
      : db_(db),
        clock_(clock),
        writer_(writer),
        booking_(booking),
        tenants_(tenants),
        residents_(residents),
        line_(line),
        follow_up_(follow_up) {}
  static void Register(Router& router, LineHandlers* self);

  HttpResponse LineWebhook(RequestContext& ctx);
  HttpResponse ApiPutLineChannel(RequestContext& ctx);
  HttpResponse PageLineSettings(RequestContext& ctx);
  HttpResponse PageLineSettingsSave(RequestContext& ctx);

 private:
  // Stores the channel's secret and token, audited. kInvalidArgument naming the field.
  Status SaveChannel(const RequestContext& ctx, const std::string& secret, const std::string& token);
  HttpResponse SettingsPage(RequestContext& ctx, int status, const std::string& done, const std::string& error);
  // The answers to one event of `kind` (follow, unfollow, text, postback) from `user_id`;
  // `dedupe` names a text message for the inbox (LINE's id for it).
  std::vector<channels::LineMessage> LineConversation(const RequestContext& ctx, const std::string& user_id, const std::string& kind,
                                                      const std::string& input, const std::string& dedupe = "");
  // A text from `user_id` outside a step of the conversation, as a reply: when the tenant has
  // sent that LINE user a message, it is stored against it for the operators' inbox (once per
  // `dedupe`), and 「停止」 puts the user on the suppression list. nullopt: no message was sent
  // to them, so it is no reply; else what LINE answers (received; stopped; or, past
  // messaging::kMaxRepliesPerHour, not taken). A number replied to a home-care check-in is that
  // day's report (care::FollowUpService::TakeNumberReply), answered with its advice. Errors: the
  // database's.
  Result<std::optional<std::string>> TakeReply(const RequestContext& ctx, const std::string& user_id, const std::string& text,
                                               const std::string& dedupe);

  store::Database& db_;
  const Clock& clock_;
  store::BatchWriter& writer_;
  const booking::BookingService& booking_;
  Tenants& tenants_;
  ResidentAccess& residents_;
  channels::LineClient& line_;
  const care::FollowUpService& follow_up_;  // home-care patients: their LINE link, numbers replied
};

}  // namespace madoguchi::web
