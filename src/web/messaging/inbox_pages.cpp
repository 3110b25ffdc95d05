// src/web/messaging/inbox_pages.cpp — see inbox_pages.hpp.
#include "web/messaging/inbox_pages.hpp"

#include <kainjow/mustache.hpp>

#include "common/text.hpp"
#include "common/time_format.hpp"
#include "messaging/delivery.hpp"
#include "messaging/phone.hpp"
#include "messaging/sms.hpp"
#include "store/accounts/accounts.hpp"
#include "store/outbox/delivery.hpp"
#include "store/outbox/messages.hpp"
#include "store/outbox/replies.hpp"
#include "web/core/audit.hpp"
#include "web/http/error_mapping.hpp"
#include "web/ui/messages.hpp"
#include "web/ui/pages.hpp"

namespace madoguchi::web {

namespace mustache = kainjow::mustache;

namespace {

constexpr int kShown = 200;  // replies on the page, unread first

const char* kInboxPage = R"html(<h1>返信の受信箱：{{tenant_name}}</h1>
{{#done}}<p class="done" role="status">{{done}}</p>{{/done}}
{{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
<p>住民の方からショートメッセージやLINEで届いた返信です。未読が先に並びます。「停止」と返した方には、以後お知らせを送りません（急ぎの療養の連絡を除きます）。</p>
{{#items}}<section class="card" aria-labelledby="r{{id}}">
<h2 id="r{{id}}">{{from}}{{#name}}（{{name}} さん）{{/name}}</h2>
<p>{{at}} ・ <strong>{{state}}</strong></p>
<p>返信先のお知らせ：{{answered}}{{#resident_id}}　<a href="/t/{{tenant}}/console/residents/{{resident_id}}#thread">この方の記録とやりとりを見る</a>{{/resident_id}}</p>
<p class="sample">{{body}}</p>
{{#stop}}<p class="hint">配信停止の申し出です。{{stop_what}}には、以後お知らせを送りません。</p>{{/stop}}
{{^closed}}<form method="post" action="/t/{{tenant}}/inbox/{{id}}/answer" class="stack">
  <input type="hidden" name="csrf_token" value="{{csrf}}">
  <div class="field"><label for="a{{id}}">返信の文面（{{answer_how}}）</label><textarea id="a{{id}}" name="text" rows="3"></textarea></div>
  <div class="field"><button type="submit">返信する</button></div>
</form>
<form method="post" action="/t/{{tenant}}/inbox/{{id}}/done" class="stack"><input type="hidden" name="csrf_token" value="{{csrf}}"><button type="submit" class="secondary">対応済みにする</button></form>{{/closed}}
</section>{{/items}}
{{^items}}<p>返信はまだありません。</p>{{/items}}
{{#capped}}<p class="hint">未読を先に{{limit}}件まで表示しています。対応済みにすると、続きが出ます。</p>{{/capped}}
)html";

std::string_view ReplyStateLabel(const std::string& state) {
  if (state == "unread") return "未読";
  if (state == "read") return "既読";
  return "対応済み";
}

}  // namespace

void InboxHandlers::Register(Router& router, InboxHandlers* self) {
  RouteAdder add(router, self);
  using K = RouteKind;
  add("GET", "/t/{tenant}/inbox", K::kPage, roles::kOperators, "replies from residents, unread first (each read audited)",
      &InboxHandlers::PageInbox);
  add("POST", "/t/{tenant}/inbox/{id}/{action}", K::kPage, roles::kOperators,
      "answer a reply on its channel, SMS or LINE (text), or mark it done", &InboxHandlers::PageAction);
}

HttpResponse InboxHandlers::Inbox(RequestContext& ctx, int status, const std::string& error) {
  std::optional<store::Tenant> tenant;
  std::vector<store::InboxItem> items;
  Status s = store::InTransaction(db_, [&](store::Connection& c) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(tenant, store::FindTenant(c, ctx.tenant));
    MADOGUCHI_ASSIGN_OR_RETURN(items, store::ListInbox(c, ctx.tenant, kShown));
    return Audit(clock_, c, ctx, ctx.tenant, "inbox.read", "tenant:" + ctx.tenant);
  });
  if (!s.ok()) return ErrorPage(&ctx, HttpStatusFor(s.code()), ui::ErrorText(s));
  mustache::data d;
  d.set("tenant", ctx.tenant);
  d.set("tenant_name", tenant ? tenant->name : ctx.tenant);
  const std::string done = ctx.request.method == "GET" ? ctx.request.Param("done").value_or("") : "";
  if (done == "answered") d.set("done", std::string("返信を送りました（夜間は朝に送ります）。"));
  if (done == "done") d.set("done", std::string("対応済みにしました。"));
  if (!error.empty()) d.set("error", error);
  mustache::data list{mustache::data::type::list};
  for (const store::InboxItem& item : items) {
    mustache::data x;
    x.set("tenant", ctx.tenant);
    x.set("csrf", ctx.principal->csrf_token);
    x.set("id", std::to_string(item.reply.id));
    const bool by_line = item.reply.channel == "line";
    x.set("from", by_line ? std::string("LINE") : messaging::NationalFormat(item.reply.from_address));
    x.set("stop_what", std::string(by_line ? "このLINE" : "この番号"));
    x.set("answer_how", std::string(by_line ? "この方へLINEで送ります" : "この番号へショートメッセージで送ります"));
    if (!item.resident_name.empty()) x.set("name", item.resident_name);
    x.set("at", FormatTokyo(item.reply.received_at_ms));
    x.set("state", std::string(ReplyStateLabel(item.reply.state)));
    x.set("answered", ui::MessageLabel(item.answered_template, item.answered_text));
    if (item.resident_id > 0) x.set("resident_id", std::to_string(item.resident_id));
    x.set("body", item.reply.body);
    if (item.reply.stop_request) x.set("stop", mustache::data::type::bool_true);
    if (item.reply.state == "done") x.set("closed", mustache::data::type::bool_true);
    list.push_back(x);
  }
  d.set("items", list);
  if (static_cast<int>(items.size()) == kShown) {
    d.set("capped", mustache::data::type::bool_true);
    d.set("limit", std::to_string(kShown));
  }
  return HtmlResponse(status, PageShell("返信の受信箱", Render(kInboxPage, d), &*ctx.principal));
}

HttpResponse InboxHandlers::PageInbox(RequestContext& ctx) { return Inbox(ctx, 200, ""); }

HttpResponse InboxHandlers::PageAction(RequestContext& ctx) {
  const std::string& v = ctx.path_params.at("id");
  const std::string action = ctx.path_params.at("action");
  if (v.empty() || v.size() > 15 || v.find_first_not_of("0123456789") != std::string::npos) {
    return ErrorPage(&ctx, 404, ui::ErrorText(NotFoundError("no such reply", "unknown_reply")));
  }
  const int64_t id = std::stoll(v);
  if (action != "answer" && action != "done")
    return ErrorPage(&ctx, 422, ui::ErrorText(InvalidArgumentError("action", "unknown", "unknown_action")));
  const std::string text = text::Trim(ctx.request.Param("text").value_or(""));
  Status s = store::InTransaction(db_, [&](store::Connection& c) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(store::Reply reply, store::GetReply(c, ctx.tenant, id));
    if (action == "answer") {
      // Back on the channel it came by: to the number by SMS, to the LINE user in LINE.
      MADOGUCHI_ASSIGN_OR_RETURN(messaging::Delivery channel, messaging::ParseDelivery(reply.channel, "channel"));
      MADOGUCHI_ASSIGN_OR_RETURN(messaging::SendingSettings settings, store::GetSendingSettings(c, ctx.tenant));
      MADOGUCHI_RETURN_IF_ERROR(messaging::CheckAnswer(channel, text, settings));
      messaging::Message m;
      m.tenant = ctx.tenant;
      m.address = reply.from_address;
      m.channels = {channel};
      m.template_key = "reply_text";
      m.variables = {{"text", text}};
      m.purpose = messaging::Purpose::kReply;
      m.due_at_ms = clock_.NowMs();
      m.dedupe_key = "reply:" + std::to_string(id) + ":" + std::to_string(clock_.NowMs());
      MADOGUCHI_RETURN_IF_ERROR(store::EnqueueMessages(c, {m}, clock_.NowMs()));
    }
    MADOGUCHI_RETURN_IF_ERROR(store::SetReplyState(c, ctx.tenant, id, "done"));
    return Audit(clock_, c, ctx, ctx.tenant, "inbox." + action, "reply:" + std::to_string(id));
  });
  if (!s.ok()) return Inbox(ctx, HttpStatusFor(s.code()), ui::ErrorText(s));
  return RedirectResponse("/t/" + ctx.tenant + "/inbox?done=" + (action == "answer" ? "answered" : "done"));
}

}  // namespace madoguchi::web
