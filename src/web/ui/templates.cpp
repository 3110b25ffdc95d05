#include "web/ui/templates.hpp"

namespace madoguchi::web::templates {

// Large type, high contrast, one column, no JavaScript: staff pages follow the same rules as
// residents' pages.
const char* const kLayout = R"html(<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{title}} — madoguchi 窓口</title>
<link rel="stylesheet" href="/static/app.css">
</head>
<body>
<header class="top">
  <a class="brand" href="/">madoguchi 窓口</a>
  {{#user}}
  <span class="who">{{display_name}}（{{role_label}}）</span>
  <form class="inline" method="post" action="/logout">
    <input type="hidden" name="csrf_token" value="{{csrf}}">
    <button type="submit" class="secondary">ログアウト</button>
  </form>
  {{/user}}
</header>
<main>
{{{content}}}
</main>
</body>
</html>
)html";

const char* const kLogin = R"html(<h1>職員ログイン</h1>
{{#changed}}<p class="done" role="status">パスワードを変えました。新しいパスワードでログインしてください。</p>{{/changed}}
{{#expired}}<p class="error" role="alert">ログインの有効期限が切れていたため、さきほどの操作（予約・変更・取り消し・記録など）は行っていません。ログインし直すと元の画面にもどります。もう一度操作してください。</p>{{/expired}}
{{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
<form method="post" action="/login" class="stack">
  <input type="hidden" name="csrf_token" value="{{csrf}}">
  <input type="hidden" name="next" value="{{next}}">
  <label for="login">ログイン名</label>
  <input id="login" name="login" type="text" autocomplete="username" autocapitalize="none" required value="{{login}}">
  <label for="password">パスワード</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required>
  <button type="submit">ログイン</button>
</form>
)html";

const char* const kHome = R"html(<h1>ようこそ、{{display_name}} さん</h1>
<p>役割：{{role_label}}</p>
<h2>担当の自治体</h2>
<ul class="cards">
{{#tenants}}
  <li><strong>{{name}}</strong> <span class="code">（{{code}}）</span>
    {{#can_console}}<br><a href="/t/{{code}}/console">オペレーター画面（電話受付・予約）</a>
    <br><a href="/t/{{code}}/inbox">返信の受信箱（住民からのショートメッセージ）</a>{{/can_console}}
    {{#can_plan}}<br><a href="/t/{{code}}/plans">人員計画（予測・シフト・予算）</a>
    <br><a href="/t/{{code}}/venues">会場と予約枠</a>
    <br><a href="/t/{{code}}/campaigns">一斉送信（ショートメッセージ）</a>
    <br><a href="/t/{{code}}/messaging">送信の状況（お知らせが届いているか）</a>{{/can_plan}}
    {{#can_list}}<br><a href="/t/{{code}}/residents">対象者一覧の取り込み</a>{{/can_list}}
    {{#is_admin}}<br><a href="/t/{{code}}/staff">職員の管理</a>
    <br><a href="/t/{{code}}/booking-rules">予約できる人の条件</a>
    <br><a href="/t/{{code}}/guidance">窓口と当日の案内（住民向けの電話番号・持ち物）</a>
    <br><a href="/t/{{code}}/line">LINEの設定</a>
    <br><a href="/t/{{code}}/messaging/settings">お知らせの送信設定（夜間・通数・料金）</a>
    <br><a href="/t/{{code}}/audit">監査ログを見る</a>{{/is_admin}}
  </li>
{{/tenants}}
{{^tenants}}<li>担当の自治体が設定されていません。管理者に連絡してください。</li>{{/tenants}}
</ul>
)html";

const char* const kAudit = R"html(<h1>監査ログ：{{tenant_name}}</h1>
{{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
<form method="get" action="/t/{{tenant}}/audit" class="filters" aria-label="絞り込み">
  <div class="field"><label for="who">操作者（ログイン名）</label><input id="who" name="who" type="text" value="{{who}}" autocapitalize="none"></div>
  <div class="field"><label for="action">操作</label><select id="action" name="action"><option value="">すべて</option>{{#actions}}<option value="{{code}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/actions}}</select></div>
  <div class="field"><label for="from">この日から</label><input id="from" name="from" type="date" value="{{from}}"></div>
  <div class="field"><label for="to">この日まで</label><input id="to" name="to" type="date" value="{{to}}"></div>
  <div class="field"><button type="submit">絞り込む</button></div>
</form>
<p><a class="button" href="/t/{{tenant}}/audit.csv{{query}}" download>CSVでダウンロード</a>（この絞り込みで最大10,000件。時刻は日本時間 +09:00）</p>
<p>新しい順に{{limit}}件ずつ表示しています。時刻は日本時間です。{{#filtered}}<a href="/t/{{tenant}}/audit">絞り込みをやめる</a>{{/filtered}}</p>
<div class="scroll">
<table>
<thead><tr><th>日時</th><th>操作者</th><th>役割</th><th>操作</th><th>対象</th><th>送信元</th></tr></thead>
<tbody>
{{#entries}}
<tr><td>{{at}}</td><td>{{actor_login}}</td><td>{{actor_role}}</td><td>{{action}}</td><td>{{record}}</td><td>{{source_addr}}</td></tr>
{{/entries}}
{{^entries}}<tr><td colspan="6">この条件の記録はありません。</td></tr>{{/entries}}
</tbody>
</table>
</div>
{{#older}}<p><a class="button" href="/t/{{tenant}}/audit{{older}}">もっと古い記録を見る</a></p>{{/older}}
{{#newest}}<p><a href="/t/{{tenant}}/audit{{query}}">最新の記録にもどる</a></p>{{/newest}}
)html";

const char* const kPlans = R"html(<h1>人員計画：{{tenant_name}}</h1>
<p>入電の予測から、必要なオペレーター数・電話回線数・シフト・予算を計算し、シミュレーションで確かめます。</p>
<h2 id="new">新しい計画を作る</h2>
{{#error}}<div class="error" role="alert"><p>計画を作れませんでした。{{#label}}<a href="#{{anchor}}">{{label}}</a>：{{/label}}{{text}}{{#where}}（JSONの場所：<code>{{where}}</code>）{{/where}}</p></div>{{/error}}
{{#form}}<form method="post" action="/t/{{tenant}}/plans" enctype="multipart/form-data" class="plan-form">
  <input type="hidden" name="csrf_token" value="{{csrf}}">
  <input type="hidden" name="mode" value="form">
  <input type="hidden" name="scenario" value="{{scenario}}">
  {{#groups}}<fieldset><legend>{{heading}}</legend>
  {{#fields}}<div class="field"><label for="{{id}}">{{label}}</label>
  <input id="{{id}}" name="{{name}}" type="text" inputmode="{{inputmode}}" value="{{value}}"{{#hint}} aria-describedby="{{id}}-hint{{#err}} {{id}}-err{{/err}}"{{/hint}}{{^hint}}{{#err}} aria-describedby="{{id}}-err"{{/err}}{{/hint}}{{#err}} aria-invalid="true"{{/err}}>
  {{#hint}}<span class="hint" id="{{id}}-hint">{{hint}}</span>{{/hint}}
  {{#err}}<p class="field-error" id="{{id}}-err">{{err}}</p>{{/err}}</div>
  {{/fields}}</fieldset>{{/groups}}
  {{#tables}}<fieldset><legend>{{heading}}</legend>{{#hint}}<p class="hint">{{hint}}</p>{{/hint}}
  <div class="scroll"><table class="rows"><thead><tr>{{#columns}}<th scope="col">{{.}}</th>{{/columns}}</tr></thead><tbody>
  {{#rows}}<tr>{{#cells}}<td>{{#input}}<label for="{{id}}" class="visually-hidden">{{label}}</label><input id="{{id}}" name="{{name}}" type="text" inputmode="{{inputmode}}" value="{{value}}" class="{{size}}"{{#err}} aria-invalid="true" aria-describedby="{{id}}-err"{{/err}}>{{/input}}
  {{#days}}<span class="days" role="group" aria-label="{{label}}">{{#choices}}<label class="day"><input type="checkbox" name="{{name}}" value="1"{{#on}} checked{{/on}}>{{day}}</label>{{/choices}}</span>{{/days}}
  {{#err}}<p class="field-error" id="{{id}}-err">{{err}}</p>{{/err}}</td>{{/cells}}</tr>{{/rows}}
  </tbody></table></div></fieldset>{{/tables}}
  <button type="submit">この内容で計画を作成する</button>
</form>{{/form}}
{{^form}}<p class="note">このシナリオは入電記録から計画します。下の「詳しい設定（JSON）」で編集してください。</p>{{/form}}
<details{{#open_json}} open{{/open_json}}><summary>詳しい設定（JSON）で作る・入電記録から作る</summary>
<form method="post" action="/t/{{tenant}}/plans" enctype="multipart/form-data" class="stack">
  <input type="hidden" name="csrf_token" value="{{csrf}}">
  <input type="hidden" name="mode" value="json">
  <label for="scenario">シナリオ（JSON）</label>
  <p class="hint">上の入力欄にない設定（回線・シミュレーション・入電記録からの予測）も書けます。書き方は docs/planning.md にあります。</p>
  <textarea id="scenario" name="scenario" rows="22" spellcheck="false" required>{{scenario}}</textarea>
  <label for="history_csv">入電記録（CSV。シナリオに "history" を書いたときだけ）</label>
  <input id="history_csv" name="history_csv" type="file" accept=".csv,text/csv">
  <label class="check"><input type="checkbox" name="use_call_records" value="1"{{#use_call_records}} checked{{/use_call_records}}> 運用中の計画の見直し：ファイルの代わりに、オペレーター画面で記録した通話（{{recorded_calls}} 件）を入電記録として使う</label>
  <label for="events_csv">イベント（CSV。任意：date,kind,size,label）</label>
  <input id="events_csv" name="events_csv" type="file" accept=".csv,text/csv">
  <button type="submit">JSONのまま計画を作成する</button>
</form>
</details>
<h2>保存した計画</h2>
<div class="scroll">
<table>
<thead><tr><th>作成日時</th><th>名前</th><th>作成者</th><th>合計費用</th><th>サービスレベル</th><th>不足区間</th></tr></thead>
<tbody>
{{#plans}}
<tr><td>{{created_at}}</td><td><a href="/t/{{tenant}}/plans/{{id}}">{{name}}</a></td><td>{{created_by}}</td><td class="num">{{total}} 円</td><td class="num">{{service_level}}</td><td class="num">{{short_intervals}}</td></tr>
{{/plans}}
{{^plans}}<tr><td colspan="6">まだありません。</td></tr>{{/plans}}
</tbody>
</table>
</div>
)html";

const char* const kError = R"html(<h1>ご案内</h1>
<p class="error" role="alert">{{message}}</p>
<p><a href="/">ホームへ戻る</a></p>
)html";

const char* const kAppCss = R"css(:root { --fg: #111; --bg: #fff; --accent: #0b57d0; --err: #b00020; --muted: #555; }
* { box-sizing: border-box; }
html { font-size: 20px; }
body { margin: 0; color: var(--fg); background: var(--bg);
  font-family: "Noto Sans JP", "Hiragino Sans", "Yu Gothic", "IPAexGothic", sans-serif; line-height: 1.7; }
header.top { display: flex; flex-wrap: wrap; gap: .75rem; align-items: center; padding: .75rem 1rem;
  border-bottom: 3px solid var(--accent); }
.brand { font-weight: bold; font-size: 1.2rem; color: var(--fg); text-decoration: none; margin-right: auto; }
.who { color: var(--muted); }
main { max-width: 60rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.6rem; margin: .5rem 0 1rem; }
h2 { font-size: 1.3rem; }
form.stack { display: flex; flex-direction: column; gap: .5rem; max-width: 28rem; }
form.stack fieldset .field { display: flex; flex-direction: column; margin: 0 0 .6rem 1.6rem; }
form.stack fieldset .hint { display: block; }
form.inline { display: inline; margin: 0; }
figure { margin: .5rem 0; }
figure svg { width: 100%; height: auto; background: #fcfcfc; border: 1px solid #ddd; }
figure svg .t { font-size: 18px; font-weight: bold; } figure svg .g { stroke: #ddd; stroke-width: 1; }
figure svg .yl { font-size: 14px; text-anchor: end; } figure svg .xl { font-size: 13px; text-anchor: middle; }
figure svg .lg { font-size: 14px; }
label { font-weight: bold; }
textarea { width: 100%; font-family: "IPAexGothic", monospace; font-size: .8rem; line-height: 1.4; padding: .5rem;
  border: 2px solid #666; border-radius: 6px; }
input[type=file] { font-size: 1rem; }
label.check { font-weight: normal; display: flex; gap: .6rem; align-items: flex-start; }
td.tenants { white-space: nowrap; }
td.tenants fieldset { border: 0; padding: 0; margin: .3rem 0; }
label.check input { width: 1.4rem; height: 1.4rem; flex: none; margin-top: .15rem; }
.hint { color: var(--muted); margin: 0; font-size: .9rem; }
td.num { text-align: right; white-space: nowrap; }
input[type=text], input[type=tel], input[type=password], input[type=date], input[type=number], select {
  font-size: 1.1rem; padding: .6rem; border: 2px solid #333; border-radius: 6px; }
button, a.button { font-size: 1.1rem; padding: .7rem 1.4rem; border: 0; border-radius: 8px; background: var(--accent);
  color: #fff; cursor: pointer; text-decoration: none; display: inline-block; min-height: 48px; }
a.button.danger, button.danger { background: #a4262c; }
button.secondary { background: #444; font-size: .9rem; padding: .4rem .9rem; min-height: 40px; }
button.outline { background: #fff; color: var(--accent); border: 2px solid var(--accent); }
.plan-form fieldset { border: 2px solid #ccc; border-radius: 8px; margin: 0 0 1rem; padding: .5rem 1rem 1rem; }
.plan-form legend { font-weight: bold; padding: 0 .4rem; }
.plan-form .field { display: flex; flex-direction: column; max-width: 28rem; margin-bottom: .6rem; }
.field-error { color: var(--err); font-weight: bold; margin: .2rem 0 0; }
input[aria-invalid=true] { border-color: var(--err); border-width: 3px; }
table.rows input[type=text] { width: 100%; min-width: 5rem; }
table.rows input.wide { min-width: 10rem; }
.days { display: flex; flex-wrap: wrap; gap: .2rem .6rem; }
label.day { font-weight: normal; white-space: nowrap; }
details summary { cursor: pointer; font-weight: bold; margin: 1rem 0; }
form.filters { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: flex-end; margin-bottom: 1rem; }
form.filters .field { display: flex; flex-direction: column; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
input.short { width: 6rem; }
.actions { display: flex; flex-wrap: wrap; gap: .6rem; }
.note { border-left: 6px solid var(--accent); padding: .5rem .8rem; background: #eef4fb; }
.sample { white-space: pre-wrap; overflow-wrap: anywhere; border-left: 6px solid var(--muted); padding: .5rem .8rem; max-width: 40rem; }
.done { font-weight: bold; border-left: 6px solid #1b7f3a; padding: .5rem .8rem; background: #eaf7ee; }
.error { color: var(--err); font-weight: bold; border-left: 6px solid var(--err); padding: .5rem .8rem; background: #fdecee; }
.notice { border-left: 6px solid #b26a00; padding: .5rem .8rem; background: #fff6e5; }
section.alarm { border-left: 6px solid var(--err); padding: .1rem 1rem .4rem; background: #fdecee; }
tr.alarm td { background: #fdecee; font-weight: bold; }
ul.cards { list-style: none; padding: 0; }
ul.cards li { border: 2px solid #ccc; border-radius: 8px; padding: .8rem 1rem; margin-bottom: .6rem; }
ol.thread { list-style: none; padding: 0; max-width: 42rem; }
ol.thread li { border-radius: 8px; padding: .6rem .9rem; margin-bottom: .5rem; border: 1px solid #ccc; }
ol.thread li.out { background: #f3f6fb; margin-right: 4rem; }
ol.thread li.in { background: #fff8e6; border-color: #e0b040; margin-left: 4rem; }
.code { color: var(--muted); }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; font-size: .85rem; width: 100%; }
th, td { border: 1px solid #bbb; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
a { color: var(--accent); }
:focus-visible { outline: 4px solid #f9a825; outline-offset: 2px; }
.review { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 1.5rem; align-items: start; }
@media (max-width: 900px) { .review { grid-template-columns: 1fr; } }
.viewer { overflow: auto; max-height: 70vh; border: 1px solid #ccc; background: #222; text-align: center; }
.viewer img { max-width: 100%; transform-origin: center center; transition: transform .1s; }
.answers dt { font-weight: bold; margin-top: .4rem; }
.answers dd { margin: 0; }
.answers label.radio { display: block; font-weight: normal; margin: .3rem 0; }
.answers textarea { width: 100%; }
)css";

}  // namespace madoguchi::web::templates
