// Admins set up LINE on a page: the channel secret and access token from the LINE Developers
// console, the webhook URL to paste back there, and a check of the token against the Messaging
// API. Secrets are never shown again, only that they are set.
#include <kainjow/mustache.hpp>

#include "channels/line.hpp"
#include "common/text.hpp"
#include "store/line/line.hpp"
#include "web/core/audit.hpp"
#include "web/http/error_mapping.hpp"
#include "web/line/line_handlers.hpp"
#include "web/ui/messages.hpp"
#include "web/ui/pages.hpp"

namespace madoguchi::web {

namespace mustache = kainjow::mustache;

namespace {

const char* kLineSettingsPage = R"html(<h1>LINEの設定：{{tenant_name}}</h1>
{{#done}}<p class="done" role="status">{{done}}</p>{{/done}}
{{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
<p>LINE Developers の「Messaging API設定」にある値を入れます。入れた値は画面に二度と表示しません。</p>
<p>Webhook URL（LINE Developers に貼り付けて「利用する」をオンに）：<code>{{webhook}}</code></p>
<form method="post" action="/t/{{tenant}}/line" class="stack">
  <input type="hidden" name="csrf_token" value="{{csrf}}">
  <label for="channel_secret">チャネルシークレット{{#has_secret}}（設定済み。変えるときだけ入れる）{{/has_secret}}</label>
  <input id="channel_secret" name="channel_secret" type="password" autocomplete="off">
  <label for="access_token">チャネルアクセストークン（長期）{{#has_token}}（設定済み。変えるときだけ入れる）{{/has_token}}</label>
  <input id="access_token" name="access_token" type="password" autocomplete="off">
  <div class="actions">
    <button type="submit" name="action" value="save">保存する</button>
    <button type="submit" name="action" value="test" class="outline">LINEにつながるか確かめる</button>
  </div>
</form>
<p class="hint">「確かめる」は、入れたトークン（空なら保存済みのもの）でLINEにボットの情報を問い合わせます。チャネルシークレットは、LINEから最初のメッセージが届いたときに署名で確かめられます。</p>
)html";

}  // namespace

Status LineHandlers::SaveChannel(const RequestContext& ctx, const std::string& secret, const std::string& token) {
  if (secret.size() < 16 || secret.size() > 200 || text::HasControlChars(secret)) {
    return InvalidArgumentError("channel_secret", "is not a LINE channel secret");
  }
  if (token.empty() || token.size() > 1000 || text::HasControlChars(token)) {
    return InvalidArgumentError("access_token", "is not an access token");
  }
  return store::InTransaction(db_, [&](store::Connection& conn) -> Status {
    MADOGUCHI_RETURN_IF_ERROR(store::SaveLineChannel(conn, ctx.tenant, {secret, token}, clock_.NowMs()));
    return Audit(clock_, conn, ctx, ctx.tenant, "line_channel.update", "tenant:" + ctx.tenant);
  });
}

HttpResponse LineHandlers::SettingsPage(RequestContext& ctx, int status, const std::string& done, const std::string& error) {
  std::optional<store::LineChannel> channel;
  Status s = store::WithConnection(db_, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(channel, store::FindLineChannel(conn, ctx.tenant));
    return Status::Ok();
  });
  if (!s.ok()) return ErrorPage(&ctx, HttpStatusFor(s.code()), ui::ErrorText(s));
  mustache::data d;
  d.set("tenant", ctx.tenant);
  d.set("tenant_name", tenants_.Name(ctx.tenant));
  d.set("csrf", ctx.principal->csrf_token);
  const std::string host = ctx.request.Header("Host");
  d.set("webhook", (ctx.request.tls ? "https://" : "http://") + (host.empty() ? std::string("（このサーバー）") : host) + "/line/webhook/" +
                       ctx.tenant);
  if (channel && !channel->channel_secret.empty()) d.set("has_secret", mustache::data::type::bool_true);
  if (channel && !channel->access_token.empty()) d.set("has_token", mustache::data::type::bool_true);
  if (!done.empty()) d.set("done", done);
  if (!error.empty()) d.set("error", error);
  return HtmlResponse(status, PageShell("LINEの設定", Render(kLineSettingsPage, d), &*ctx.principal));
}

HttpResponse LineHandlers::PageLineSettings(RequestContext& ctx) { return SettingsPage(ctx, 200, "", ""); }

HttpResponse LineHandlers::PageLineSettingsSave(RequestContext& ctx) {
  const std::string action = ctx.request.Param("action").value_or("");
  if (action != "save" && action != "test") {
    return SettingsPage(ctx, 422, "", ui::ErrorText(InvalidArgumentError("action", "save or test", "unknown_action")));
  }
  std::optional<store::LineChannel> stored;
  Status s = store::WithConnection(db_, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(stored, store::FindLineChannel(conn, ctx.tenant));
    return Status::Ok();
  });
  if (!s.ok()) return ErrorPage(&ctx, HttpStatusFor(s.code()), ui::ErrorText(s));
  // A field left empty keeps what is stored (secrets are never sent back to be re-entered).
  std::string secret = text::Trim(ctx.request.Param("channel_secret").value_or(""));
  std::string token = text::Trim(ctx.request.Param("access_token").value_or(""));
  if (secret.empty() && stored) secret = stored->channel_secret;
  if (token.empty() && stored) token = stored->access_token;
  if (action == "test") {
    if (token.empty())
      return SettingsPage(ctx, 422, "", ui::ErrorText(InvalidArgumentError("access_token", "is not set", "invalid_argument")));
    auto bot = line_.GetBotInfo(token);
    if (!bot.ok()) return SettingsPage(ctx, 200, "", ui::ErrorText(bot.status()));
    // The account's ID, for the residents' pages that open LINE at it (kept for the stored token only).
    if (Status kept = writer_.Run([&](store::Connection& conn) { return store::SaveLineBasicId(conn, ctx.tenant, token, bot->basic_id); });
        !kept.ok()) {
      return SettingsPage(ctx, HttpStatusFor(kept.code()), "", ui::ErrorText(kept));
    }
    return SettingsPage(ctx, 200,
                        "LINEにつながりました：「" + bot->display_name + "」" + (bot->basic_id.empty() ? "" : "（" + bot->basic_id + "）") +
                            "。このトークンは使えます。",
                        "");
  }
  if (Status saved = SaveChannel(ctx, secret, token); !saved.ok()) {
    return SettingsPage(ctx, HttpStatusFor(saved.code()), "", ui::ErrorText(saved));
  }
  return SettingsPage(ctx, 200, "LINEの設定を保存しました。「LINEにつながるか確かめる」で確認できます。", "");
}

}  // namespace madoguchi::web
