// src/web/messaging/campaign_pages.hpp — 一斉送信 for supervisors: upload a recipient list and write a
// text, see what it will cost before anything is sent (recipients, SMS parts, yen, quiet hours,
// numbers that asked to be left alone, every bad row by row and column), send it, and watch it go
// out (pause, resume, cancel); and how sending is going for the tenant (送信の状況). The rules are
// messaging::PlanCampaign's and CampaignTransition's.
#pragma once

#include "common/clock.hpp"
#include "store/database.hpp"
#include "web/core/routes.hpp"

namespace madoguchi::web {

class CampaignHandlers {
 public:
  CampaignHandlers(store::Database& db, const Clock& clock, const WebSettings& settings) : db_(db), clock_(clock), settings_(settings) {}
  static void Register(Router& router, CampaignHandlers* self);

  HttpResponse PageList(RequestContext& ctx);
  HttpResponse PageCreate(RequestContext& ctx);      // POST: check the list and text, keep a draft to preview
  HttpResponse PageOne(RequestContext& ctx);         // the preview of a draft, or the progress of one sent
  HttpResponse PageAction(RequestContext& ctx);      // POST send | pause | resume | cancel
  HttpResponse PageRecipients(RequestContext& ctx);  // each recipient of a sent campaign: state, opened, replied (audited)
  HttpResponse PageStatus(RequestContext& ctx);      // 送信の状況: the gateway, the queue, the rate, report latency
  HttpResponse PageSettings(RequestContext& ctx);    // 送信の設定 (admin): quiet hours, part limit, price, sender
  HttpResponse PageSettingsSave(RequestContext& ctx);

 private:
  HttpResponse SettingsPage(RequestContext& ctx, int status, const std::string& done, const Status& error);
  HttpResponse ListPage(RequestContext& ctx, int status, const std::string& error, const std::vector<std::pair<int, std::string>>& rows);

  store::Database& db_;
  const Clock& clock_;
  const WebSettings& settings_;
};

}  // namespace madoguchi::web
