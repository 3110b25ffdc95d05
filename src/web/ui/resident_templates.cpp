#include "web/ui/templates.hpp"

namespace madoguchi::web::templates {

// Residents' pages: one column, large type and buttons, plain words, no JavaScript. Many users are
// over 75 and on a phone (docs/booking.md).
const char* const kResidentLayout = R"html(<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
{{#refresh}}<meta http-equiv="refresh" content="{{refresh}}">{{/refresh}}
<title>{{title}} — {{tenant_name}} ワクチン接種予約</title>
<link rel="stylesheet" href="/static/resident.css">
</head>
<body>
<header><p class="town">{{tenant_name}}　ワクチン接種予約</p>
{{#signed_in}}<form method="post" action="/r/{{tenant}}/signout"><input type="hidden" name="csrf_token" value="{{csrf}}"><button class="quiet" type="submit">終わる</button></form>{{/signed_in}}
</header>
<main>
{{{content}}}
</main>
<footer>
{{#phone}}<p>お電話でも予約できます。わからないことは、お電話でおたずねください。</p>
<p class="call">{{tenant_name}} 予約の窓口<br><a href="tel:{{tel}}">電話 {{phone}}</a>{{#hours}}<br>受付 {{hours}}{{/hours}}</p>{{/phone}}
{{^phone}}<p>お電話でも予約できます。わからないときは、接種券に同封のお知らせにある電話番号へおかけください。</p>{{/phone}}
</footer>
</body>
</html>
)html";

const char* const kResidentError = R"html(<h1>{{message}}</h1>
{{#tenant}}<p><a class="button" href="/r/{{tenant}}">はじめにもどる</a></p>{{/tenant}}
)html";

const char* const kResidentSignIn =
    R"html({{#bye}}<p class="done" role="status">予約の画面を終わりました。予約は、もう一度入ると見られます。</p>{{/bye}}
{{#expired}}<p class="notice" role="alert">時間がたったため、入り直しが必要です。もう一度、接種券番号と生年月日を入れてください。入り直すと、さきほどの画面にもどります。{{#unconfirmed}}選んでいた日時の予約は、まだ確定していません。{{/unconfirmed}}</p>{{/expired}}
<h1>予約の前に、接種券の番号と生年月日を入れてください</h1>
{{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
<form method="post" action="/r/{{tenant}}/signin">
  <input type="hidden" name="csrf_token" value="{{csrf}}">
  {{#next}}<input type="hidden" name="next" value="{{next}}">{{/next}}
  <label for="ticket">接種券番号（10けたの数字）</label>
  <input id="ticket" name="ticket_number" inputmode="numeric" autocomplete="off" maxlength="13" value="{{ticket}}" required>
  <fieldset>
    <legend>生年月日</legend>
    <p class="hint">西暦なら4けた（例：1950）。昭和・平成なら「年号」を選んで、年を（例：25）。</p>
    <div class="date">
      <label>年号 <select name="era">{{#eras}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/eras}}</select></label>
      <label>年 <input name="year" inputmode="numeric" maxlength="4" size="4" value="{{year}}" required></label>
      <label>月 <input name="month" inputmode="numeric" maxlength="2" size="2" value="{{month}}" required></label>
      <label>日 <input name="day" inputmode="numeric" maxlength="2" size="2" value="{{day}}" required></label>
    </div>
  </fieldset>
  <button type="submit">次へ</button>
</form>
)html";

const char* const kResidentWaiting = R"html(<h1>ただいま大変混み合っています</h1>
<p class="big">あなたの順番は <strong>{{position}}</strong> 番目です。</p>
<p>{{eta}}でご案内します。このページは自動で進みます。閉じずにお待ちください。</p>
<p><a class="button" href="/r/{{tenant}}/wait">いま確かめる</a></p>
)html";

const char* const kResidentHome = R"html(<h1>{{name}} 様</h1>
{{#done}}<div class="done" role="status"><p>予約が確定しました。</p><p>予約番号</p><p class="codebig">{{done}}</p><p>この番号を控えてください。電話でのお問い合わせのときに使います。</p></div>{{/done}}
{{#changed}}<div class="done" role="status"><p>予約の日時を変更しました。</p><p>予約番号（変わりません）</p><p class="codebig">{{changed}}</p></div>{{/changed}}
{{#cancelled}}<p class="done" role="status">予約を取り消しました（予約番号 {{cancelled}}）。</p>{{/cancelled}}
{{#left}}<p class="done" role="status">空き待ちをやめました。</p>{{/left}}
{{#waiting}}<section class="booking">
  <h2>{{dose}}回目の空き待ちに登録中</h2>
  <p>空きが出たら、{{how}}ショートメッセージでお知らせします。お知らせから先に予約した方の予約になります。</p>
  <form method="post" action="/r/{{tenant}}/waitlist/leave">
    <input type="hidden" name="csrf_token" value="{{csrf}}"><input type="hidden" name="entry" value="{{id}}">
    <button type="submit" class="quiet">空き待ちをやめる</button>
  </form>
</section>{{/waiting}}
{{#bookings}}
<section class="booking">
  <h2>{{dose}}回目の予約</h2>
  <p class="when">{{when}}</p>
  <dl class="summary">
    <dt>会場</dt><dd>{{venue}}{{#address}}<br>{{address}}<br><a href="{{map}}">地図を見る</a>{{/address}}</dd>
    <dt>来る時刻</dt><dd>{{arrive}}</dd>
    {{#bring}}<dt>持ち物</dt><dd>{{bring}}</dd>{{/bring}}
    <dt>予約番号</dt><dd><strong class="code">{{code_said}}</strong></dd>
    <dt>お知らせ</dt><dd>{{notice}}</dd>
  </dl>
  <p class="hint">この画面を印刷するか、日時と予約番号を書き留めておいてください。お知らせが届かなくても、予約は有効です。</p>
  <p class="noprint"><a class="button" href="/r/{{tenant}}/book?change={{code}}">日時を変更する</a></p>
  <p class="noprint"><a class="button quiet" href="/r/{{tenant}}/cancel?code={{code}}">予約を取り消す</a></p>
</section>
{{/bookings}}
{{^bookings}}
<p>いまの予約はありません。</p>
{{#standing}}<p class="notice" role="status">{{standing}}</p>{{/standing}}
{{#can_book}}<p><a class="button" href="/r/{{tenant}}/book">予約する</a></p>{{/can_book}}
{{/bookings}}
{{#email_saved}}<p class="done" role="status">メールアドレスを登録しました。</p>{{/email_saved}}
{{#email_removed}}<p class="done" role="status">メールでのお知らせをやめました。</p>{{/email_removed}}
{{{email_form}}}
)html";

// Notices by email, for a resident whom no text message reaches (no mobile on the list).
const char* const kResidentEmailForm = R"html(<section class="booking">
  <h2>メールでのお知らせ</h2>
  {{#email}}<p>予約の確認と前日のお知らせを、メールで {{email}} にお送りします。</p>{{/email}}
  {{^email}}<p>名簿の電話番号にはショートメッセージを送れません。メールアドレスを登録すると、予約の確認と前日のお知らせがメールで届きます。</p>{{/email}}
  <form method="post" action="/r/{{tenant}}/email">
    <input type="hidden" name="csrf_token" value="{{csrf}}">
    {{#error}}<p class="error" role="alert" id="email-error">{{error}}</p>{{/error}}
    <label for="email">{{#email}}ほかのメールアドレスにする{{/email}}{{^email}}メールアドレス{{/email}}</label>
    <input id="email" name="email" type="email" inputmode="email" autocomplete="email" maxlength="254" value="{{typed}}"{{#error}} aria-invalid="true" aria-describedby="email-error"{{/error}}>
    <button type="submit">登録する</button>
  </form>
  {{#email}}<form method="post" action="/r/{{tenant}}/email">
    <input type="hidden" name="csrf_token" value="{{csrf}}"><input type="hidden" name="remove" value="1">
    <button type="submit" class="quiet">メールでのお知らせをやめる</button>
  </form>{{/email}}
</section>
)html";

const char* const kResidentPick = R"html({{#back}}<p class="back"><a href="{{back}}">← もどる</a></p>{{/back}}
<h1>{{heading}}</h1>
{{#step}}<p class="step">{{step}}</p>{{/step}}
{{#chosen}}<p class="chosen">{{chosen}}</p>{{/chosen}}
{{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
<ul class="choices">
{{#choices}}<li><a class="choice" href="{{href}}"><span class="main">{{label}}</span><span class="sub">{{sub}}</span></a></li>{{/choices}}
</ul>
{{^choices}}<p>空いている予約枠がありません。</p>
{{{waitlist_form}}}{{/choices}}
{{#back}}<p><a href="{{back}}">← もどる</a></p>{{/back}}
)html";

// Joining the waitlist asks how to be told (issue #11, item 6).
const char* const kResidentWaitlistForm = R"html(<form method="post" action="/r/{{tenant}}/waitlist">
  <input type="hidden" name="csrf_token" value="{{csrf}}">
  {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
  <fieldset>
    <legend>空きが出たときの知らせ方（ショートメッセージ）</legend>
    <label class="radio"><input type="radio" name="contact" value="list"{{^other}} checked{{/other}}> 市の名簿にある電話番号へ</label>
    <label class="radio"><input type="radio" name="contact" value="other"{{#other}} checked{{/other}}> この電話番号へ</label>
    <label for="wphone">電話番号（携帯電話、ハイフンなしでも可）</label>
    <input id="wphone" name="phone" type="tel" inputmode="tel" maxlength="20" value="{{phone}}">
  </fieldset>
  <button type="submit">空きが出たら知らせてもらう</button>
</form>
)html";

const char* const kResidentConfirm = R"html(<h1>{{heading}}</h1>
<dl class="summary">
  <dt>日時</dt><dd>{{when}}</dd>
  <dt>会場</dt><dd>{{venue}}</dd>
  <dt>接種</dt><dd>{{dose}}回目</dd>
</dl>
{{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
{{#holds}}<p class="done" role="status">{{dose}}回目の予約は、もう確定しています。</p>
<p><a class="button" href="/r/{{tenant}}/me">予約を見る</a></p>{{/holds}}
{{#full}}<p class="error" role="alert">この時間は満員になりました。別の時間をお選びください。</p>{{/full}}
{{#started}}<p class="error" role="alert">この時間はもう始まっています。別の時間をお選びください。</p>{{/started}}
{{#can_confirm}}<form method="post" action="{{action}}">
  <input type="hidden" name="csrf_token" value="{{csrf}}">
  <input type="hidden" name="slot_id" value="{{slot_id}}">
  {{#change}}<input type="hidden" name="change" value="{{change}}">{{/change}}
  {{#code}}<input type="hidden" name="code" value="{{code}}">{{/code}}
  <button type="submit">{{button}}</button>
</form>{{/can_confirm}}
<p><a href="{{back}}">← もどる</a></p>
)html";

const char* const kResidentCss = R"css(* { box-sizing: border-box; }
html { font-size: 22px; }
body { margin: 0; color: #111; background: #fff; line-height: 1.7;
  font-family: "Noto Sans JP", "Hiragino Sans", "Yu Gothic", "IPAexGothic", sans-serif; }
header { display: flex; align-items: center; justify-content: space-between; padding: .5rem 1rem; background: #0b57d0; color: #fff; }
header .town { margin: 0; font-weight: bold; }
main { max-width: 34rem; margin: 0 auto; padding: 1rem; }
footer { max-width: 34rem; margin: 2rem auto; padding: 0 1rem; color: #444; font-size: .9rem; }
footer .call { font-size: 1.2rem; color: #111; }
footer .call a { font-weight: bold; }
h1 { font-size: 1.3rem; line-height: 1.5; }
h2 { font-size: 1.1rem; margin: .2rem 0; }
label, legend { font-weight: bold; display: block; margin-top: .8rem; }
fieldset { border: 0; padding: 0; margin: 0; }
input { font-size: 1.3rem; padding: .6rem; border: 3px solid #333; border-radius: 8px; width: 100%; }
.date { display: flex; gap: .6rem; }
.date label { flex: 1; margin-top: .2rem; }
.date input { width: 100%; }
select { font-size: 1.3rem; padding: .6rem .2rem; border: 3px solid #333; border-radius: 8px; width: 100%; background: #fff; color: #111; }
.date label:first-child { flex: 1.4; }
button, a.button { display: block; width: 100%; margin-top: 1.2rem; font-size: 1.2rem; font-weight: bold; padding: .9rem;
  min-height: 64px; border: 0; border-radius: 12px; background: #0b57d0; color: #fff; text-align: center; text-decoration: none; }
.quiet, a.button.quiet, button.quiet { background: #555; }
header button.quiet { width: auto; min-height: 44px; margin: 0; padding: .3rem .9rem; font-size: .9rem; white-space: nowrap; }
.error { color: #b00020; font-weight: bold; border: 3px solid #b00020; border-radius: 8px; padding: .6rem .8rem; background: #fdecee; }
.hint { color: #444; margin: .2rem 0; font-size: .9rem; }
.done { border: 3px solid #1b7f3a; border-radius: 10px; padding: .6rem 1rem; background: #eaf7ee; text-align: center; }
.codebig { font-size: 1.8rem; font-weight: bold; letter-spacing: .05em; margin: .2rem 0; white-space: nowrap; }
.codebig.linkword { white-space: normal; user-select: all; }
.nowrap { white-space: nowrap; }
@media print { header form, .noprint, footer p:first-child { display: none; } body { font-size: 14pt; } }
.booking { border: 3px solid #ccc; border-radius: 12px; padding: .8rem 1rem; margin: 1rem 0; }
.when { font-size: 1.2rem; font-weight: bold; }
ul.choices { list-style: none; padding: 0; }
a.choice { display: flex; justify-content: space-between; align-items: center; gap: 1rem; padding: .9rem 1rem; margin: .6rem 0;
  border: 3px solid #0b57d0; border-radius: 12px; color: #111; text-decoration: none; min-height: 64px; }
a.choice { flex-wrap: wrap; }
a.choice .main { font-weight: bold; min-width: 0; overflow-wrap: anywhere; }
a.choice .sub { color: #0b57d0; white-space: nowrap; }
.step { color: #444; }
.chosen { font-weight: bold; }
label.radio { display: flex; gap: .6rem; align-items: center; font-weight: normal; }
label.radio input { width: 1.6rem; height: 1.6rem; }
fieldset.row label.radio { display: inline-flex; margin: .3rem 1.4rem .3rem 0; min-height: 44px; }
h1.alarm { color: #b00020; }
.notice { border: 3px solid #b26a00; border-radius: 10px; padding: .6rem 1rem; background: #fff6e5; }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible { outline: 4px solid #f5a300; outline-offset: 3px; }
.big { font-size: 1.3rem; }
dl.summary dt { font-weight: bold; margin-top: .6rem; }
dl.summary dd { margin: 0; font-size: 1.2rem; }
.q { margin: 1.2rem 0; }
input[type=checkbox], input[type=radio] { width: 1.6rem; height: 1.6rem; flex: none; }
input[type=file] { font-size: 1rem; border-style: dashed; }
textarea { font-size: 1.2rem; width: 100%; border: 3px solid #333; border-radius: 8px; padding: .6rem; }
)css";

}  // namespace madoguchi::web::templates
