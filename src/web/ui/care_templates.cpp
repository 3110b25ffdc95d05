#include "web/ui/templates.hpp"

namespace madoguchi::web::templates {

// Home-test applications: the residents' pages (one column, large type, no JavaScript; the
// residents' style sheet) and the doctors' pages.
const char* const kCareLayout = R"html(<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{{title}} — {{tenant_name}} 検査キット陽性者の登録</title>
<link rel="stylesheet" href="/static/resident.css">
</head>
<body>
<header><p class="town">{{tenant_name}}　検査キット陽性者の登録</p></header>
<main>
{{{content}}}
</main>
<footer>
<p>具合が急に悪くなったとき（息が苦しい、唇が紫色、意識がぼんやりする）は、ためらわずに119番に電話してください。</p>
{{#phone}}<p class="call">{{tenant_name}} 窓口<br><a href="tel:{{tel}}">電話 {{phone}}</a>{{#hours}}<br>受付 {{hours}}{{/hours}}</p>{{/phone}}
</footer>
</body>
</html>
)html";

// A list of questions, each a text box, a set of choices or a file: the screen and the form share it.
const char* const kCareQuestions = R"html({{#questions}}<div class="q">
{{#text}}<label for="{{name}}">{{label}}</label>{{#hint}}<p class="hint" id="{{name}}-hint">{{hint}}</p>{{/hint}}{{#err}}<p class="error" id="{{name}}-err" role="alert">{{err}}</p>{{/err}}
<input id="{{name}}" name="{{name}}" type="{{type}}" value="{{value}}"{{#inputmode}} inputmode="{{inputmode}}"{{/inputmode}}{{#autocomplete}} autocomplete="{{autocomplete}}"{{/autocomplete}}{{#err}} aria-invalid="true" aria-describedby="{{name}}-err"{{/err}}>{{/text}}
{{#pick}}<fieldset{{#row}} class="row"{{/row}}{{#err}} aria-describedby="{{name}}-err"{{/err}}><legend>{{label}}</legend>{{#hint}}<p class="hint">{{hint}}</p>{{/hint}}{{#err}}<p class="error" id="{{name}}-err" role="alert">{{err}}</p>{{/err}}
{{#choices}}<label class="radio"><input type="{{kind}}" name="{{field}}" value="{{value}}"{{#on}} checked{{/on}}> {{label}}</label>
{{/choices}}</fieldset>{{/pick}}
{{#file}}<label for="{{name}}">{{label}}</label>{{#hint}}<p class="hint">{{hint}}</p>{{/hint}}{{#err}}<p class="error" id="{{name}}-err" role="alert">{{err}}</p>{{/err}}
<input id="{{name}}" name="{{name}}" type="file" accept="image/jpeg,image/png"{{#err}} aria-invalid="true" aria-describedby="{{name}}-err"{{/err}}>{{/file}}
</div>
{{/questions}})html";

const char* const kCareScreen = R"html(<h1>検査キットで陽性だった方の登録</h1>
<p>医療機関に行かずに、医師が検査キットの写真で陽性を確認します。はじめに、この方法で登録できるかを確かめます。</p>
{{#errors}}<p class="error" role="alert">答えていない質問や、直すところがあります。赤い字のところをご覧ください。</p>{{/errors}}
<form method="post" action="/r/{{tenant}}/care/screen">
<input type="hidden" name="csrf_token" value="{{csrf}}">
{{{questions}}}
<button type="submit">次へ</button>
</form>
)html";

const char* const kCareRefused = R"html(<h1>この方法では登録できません</h1>
<div class="notice" role="alert">{{#reasons}}<p>{{.}}</p>{{/reasons}}</div>
<h2>医療機関を受診してください</h2>
<p>発熱外来など、発熱の患者を診る医療機関に、電話で相談してから受診してください。</p>
{{#clinic}}<p class="big">{{clinic}}</p>{{/clinic}}
<p><a class="button quiet" href="/r/{{tenant}}/care">答えを直す</a></p>
)html";

const char* const kCareForm = R"html(<h1>登録の内容を入れてください</h1>
<p class="step">この方法で登録できます。あと少しです。</p>
{{#errors}}<p class="error" role="alert">直すところがあります。赤い字のところをご覧ください。{{#photos_again}}写真は、もう一度選んでください。{{/photos_again}}</p>{{/errors}}
<form method="post" action="/r/{{tenant}}/care/apply" enctype="multipart/form-data">
<input type="hidden" name="csrf_token" value="{{csrf}}">
{{#carried}}<input type="hidden" name="{{name}}" value="{{value}}">
{{/carried}}
{{{questions}}}
<div class="q"><label class="radio"><input type="checkbox" name="consent" value="1"{{#consent}} checked{{/consent}}> 入れた内容と写真を、{{tenant_name}}と医師が、陽性の確認と療養の支援のために使うことに同意します</label>
{{#consent_err}}<p class="error" role="alert">{{consent_err}}</p>{{/consent_err}}</div>
<button type="submit">送る</button>
</form>
)html";

const char* const kCareReceipt =
    R"html(<div class="done" role="status"><p>受け付けました。</p><p>受付番号</p><p class="codebig">{{receipt}}</p><p>この番号を控えてください。</p></div>
{{{status}}}
)html";

const char* const kCareStatus = R"html(<h1>申請の状況</h1>
<dl class="summary"><dt>受付番号</dt><dd>{{receipt}}</dd><dt>状況</dt><dd>{{state}}</dd>{{#reason}}<dt>医師からのことば</dt><dd>{{reason}}</dd>{{/reason}}{{#end}}<dt>療養の終わる日</dt><dd>{{end}}</dd>{{/end}}</dl>
{{#clinic}}<p>{{clinic}}</p>{{/clinic}}
{{#sent}}<p class="done" role="status">新しい写真を受け取りました。</p>{{/sent}}
{{#retake}}<section class="booking"><h2>検査キットの写真を撮り直してください</h2>
{{#advice}}<p class="notice">{{advice}}</p>{{/advice}}
{{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
<form method="post" action="/r/{{tenant}}/care/s/{{token}}/photo" enctype="multipart/form-data">
<input type="hidden" name="csrf_token" value="{{csrf}}">
<label for="kit_photo">検査キットの写真</label>
<p class="hint">明るい場所で、箱と一緒に、結果の窓が見えるように真上から撮ってください。</p>
<input id="kit_photo" name="kit_photo" type="file" accept="image/jpeg,image/png">
<button type="submit">写真を送る</button>
</form></section>{{/retake}}
{{#line_linked}}<section class="notice" id="line"><h2>LINEで受け取っています</h2>
<p>お知らせと毎日の健康観察のご案内は、LINEにお送りします。</p>
<form method="post" action="/r/{{tenant}}/care/s/{{token}}/line"><input type="hidden" name="csrf_token" value="{{csrf}}">
<button type="submit" class="quiet">ショートメッセージに戻す</button></form>
<p class="hint">LINEで{{tenant_name}}の公式アカウントをブロックしても、ショートメッセージに戻ります。</p></section>{{/line_linked}}
{{#line_code}}<section class="booking" id="line"><h2>LINEで受け取ることもできます</h2>
<p>{{tenant_name}}のLINE公式アカウント{{#line_id}}（LINE ID：{{line_id}}）{{/line_id}}を友だちに追加して、次のことばをそのまま送ってください。お知らせと毎日の健康観察のご案内が、ショートメッセージのかわりにLINEに届きます。</p>
<p class="codebig linkword" aria-label="LINEで送ることば">連携 <span class="nowrap">{{line_code}}</span></p>
{{#line_url}}<p><a class="button" href="{{line_url}}">LINEを開いて、このことばを送る</a></p>
<p class="hint">LINEが開いたら、送信ボタンを押してください。</p>{{/line_url}}
<p class="hint">このことばは、あなたの申請のためだけのものです。ほかの人に教えないでください。</p></section>{{/line_code}}
<p class="hint">このページは、届いたお知らせ（ショートメッセージやLINE）のリンクからいつでも開けます。</p>
)html";

const char* const kCareQueue = R"html(<h1>陽性者登録：医師の確認待ち（{{tenant_name}}）</h1>
{{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
<p>確認待ち <strong>{{waiting}}</strong> 件。写真が読めてT線のあるものから、待ち時間の長い順です。</p>
{{#doctor}}<form method="post" action="/t/{{tenant}}/care/next"><input type="hidden" name="csrf_token" value="{{csrf}}"><button type="submit" accesskey="n">次の申請を確認する（N）</button></form>{{/doctor}}
<div class="scroll"><table>
<thead><tr><th>受付番号</th><th>写真の事前判定</th><th>T線の濃さ</th><th>受付</th><th>確認中の医師</th></tr></thead>
<tbody>
{{#entries}}<tr><td>{{#doctor}}<a href="/t/{{tenant}}/care/applications/{{id}}">{{receipt}}</a>{{/doctor}}{{^doctor}}{{receipt}}{{/doctor}}</td><td>{{category}}</td><td class="num">{{test_line}}</td><td>{{at}}（{{waited}}）</td><td>{{held_by}}</td></tr>
{{/entries}}
{{^entries}}<tr><td colspan="5">確認を待っている申請はありません。</td></tr>{{/entries}}
</tbody></table></div>
{{#more}}<p><a href="/t/{{tenant}}/care/queue?offset={{next_offset}}">次の{{page}}件</a></p>{{/more}}
<h2>件数</h2>
<ul>{{#counts}}<li>{{label}}：{{count}} 件</li>{{/counts}}</ul>
<h2>陽性確定者の一覧（保健所の報告用）</h2>
<form method="get" action="/t/{{tenant}}/care/confirmed.csv"><label for="day">確定した日</label> <input id="day" name="day" type="date" value="{{today}}"> <button type="submit">CSVを出力する</button></form>
)html";

const char* const kCareReview = R"html(<h1>申請の確認　受付番号 {{receipt}}</h1>
{{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
<p class="hint">あなたが確認中です（{{until}}まで。開き直すと延びます）。キー：1 確定　2 確定できない　3 写真が不鮮明　4 対象外　+ − 拡大・縮小　R 回転</p>
<div class="review">
<section class="photo" aria-label="検査キットの写真">
{{#kit}}<div class="viewer" tabindex="0" role="region" aria-label="写真（矢印キーで動かせます）"><img id="kit-photo" src="/t/{{tenant}}/care/applications/{{id}}/photo/kit" alt="検査キットの写真（受付番号 {{receipt}}）"></div>
<p><button type="button" id="zoom-in">拡大（+）</button> <button type="button" id="zoom-out">縮小（−）</button> <button type="button" id="rotate">回転（R）</button> <a href="/t/{{tenant}}/care/applications/{{id}}/photo/kit" target="_blank" rel="noopener">別の画面で開く</a></p>{{/kit}}
{{^kit}}<p>写真は削除されています。</p>{{/kit}}
<h2>事前判定（参考）</h2>
<p>{{category}}　C線 {{control}}　T線 {{test}}{{#seen}}（T線あり）{{/seen}}</p>
<p class="hint">事前判定は並び順のためのもので、診断ではありません。</p>
{{#id_photo}}<p><a href="/t/{{tenant}}/care/applications/{{id}}/photo/id" target="_blank" rel="noopener">本人確認書類の写真を開く</a></p>{{/id_photo}}
</section>
<section class="answers" aria-label="回答">
<dl>
<dt>氏名</dt><dd>{{name}}（{{kana}}）</dd>
<dt>生年月日・年齢</dt><dd>{{birth}}（{{age}}歳）　{{sex}}</dd>
<dt>検査</dt><dd>{{tested}}　{{kit_name}}</dd>
<dt>発症日・症状</dt><dd>{{onset}}　{{symptoms}}</dd>
<dt>重症化リスク</dt><dd>{{risks}}</dd>
{{#vaccinations}}<dt>ワクチン接種回数</dt><dd>{{vaccinations}}</dd>{{/vaccinations}}
<dt>連絡先</dt><dd>{{phone}}　{{email}}</dd>
<dt>住所</dt><dd>〒{{postal}} {{address}}</dd>
</dl>
<form method="post" action="/t/{{tenant}}/care/applications/{{id}}/decision" id="decision">
<input type="hidden" name="csrf_token" value="{{csrf}}">
<fieldset><legend>判定</legend>
{{#decisions}}<label class="radio"><input type="radio" name="decision" value="{{value}}" data-key="{{key}}"{{#on}} checked{{/on}}> {{key}}　{{label}}</label>
{{/decisions}}</fieldset>
<label for="reason">理由（確定以外は必ず。本人へのお知らせにも使います）</label>
<textarea id="reason" name="reason" rows="3" maxlength="500">{{reason}}</textarea>
<button type="submit">判定を記録する（Enter）</button>
</form>
<form method="post" action="/t/{{tenant}}/care/applications/{{id}}/release"><input type="hidden" name="csrf_token" value="{{csrf}}"><button type="submit" class="quiet">判定せずに一覧へ戻る</button></form>
</section>
</div>
<script src="/static/care-review.js"></script>
)html";

// The doctors' review page: keys for the decisions, zoom and rotate (the page works without it).
const char* const kCareReviewJs = R"js((function () {
  var img = document.getElementById('kit-photo');
  var scale = 1, turn = 0;
  function show() { if (img) img.style.transform = 'scale(' + scale + ') rotate(' + turn + 'deg)'; }
  function zoom(f) { scale = Math.min(6, Math.max(0.5, scale * f)); show(); }
  function rotate() { turn = (turn + 90) % 360; show(); }
  var zi = document.getElementById('zoom-in'), zo = document.getElementById('zoom-out'), ro = document.getElementById('rotate');
  if (zi) zi.addEventListener('click', function () { zoom(1.5); });
  if (zo) zo.addEventListener('click', function () { zoom(1 / 1.5); });
  if (ro) ro.addEventListener('click', rotate);
  var form = document.getElementById('decision');
  var reason = document.getElementById('reason');
  document.addEventListener('keydown', function (e) {
    if (e.ctrlKey || e.altKey || e.metaKey) return;
    if (e.target === reason) {
      if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); form.submit(); }
      return;
    }
    if (e.key === '+' || e.key === '=') { zoom(1.5); e.preventDefault(); return; }
    if (e.key === '-') { zoom(1 / 1.5); e.preventDefault(); return; }
    if (e.key === 'r' || e.key === 'R') { rotate(); e.preventDefault(); return; }
    if (e.key === 'Enter' && form) { e.preventDefault(); form.submit(); return; }
    var radio = form && form.querySelector('input[data-key="' + e.key + '"]');
    if (radio) {
      radio.checked = true;
      e.preventDefault();
      if (radio.value !== 'confirm') reason.focus();
    }
  });
})();
)js";

// ---- daily health observation ----

const char* const kCareCheckIn = R"html(<h1>今日の健康観察</h1>
<p class="step">{{name}}さん、{{day}}の体調を教えてください。</p>
{{#answered}}<p class="done" role="status">今日の分は受け取っています。体調が変わったときは、もう一度送ってください。</p>{{/answered}}
{{#errors}}<p class="error" role="alert">答えていない質問や、直すところがあります。赤い字のところをご覧ください。</p>{{/errors}}
<form method="post" action="/r/{{tenant}}/care/c/{{token}}">
<input type="hidden" name="csrf_token" value="{{csrf}}">
<section class="notice"><h2>次の症状が、ひとつでもありますか</h2>
<ul class="urgent-list">{{#urgent_list}}<li>{{.}}</li>{{/urgent_list}}</ul>
<p>ひとつでもあるときは、この画面を送るより先に <strong>119番</strong> に電話してください。</p></section>
{{{questions}}}
<button type="submit">送る</button>
</form>
<p class="hint">入力が難しいときは、届いたショートメッセージやLINEに番号で返信できます：1 変わりなし　2 悪くなった　3 電話がほしい</p>
)html";

const char* const kCareCheckInDone = R"html({{#call119}}<h1 class="alarm">すぐに119番に電話してください</h1>
<div class="notice" role="alert"><p>急いで受診が必要な状態かもしれません。<strong>119番</strong>に電話して、新型コロナウイルスに感染して自宅で療養中であることを伝えてください。</p>
<p>保健所からも、すぐにお電話します。</p></div>{{/call119}}
{{#we_call}}<h1>報告を受け取りました</h1>
<div class="notice" role="status"><p>今日中に、保健所の担当者からお電話します。電話に出られるようにしてください。</p>
<p>急に息苦しくなったときなどは、待たずに119番に電話してください。</p></div>{{/we_call}}
{{#thanks}}<h1>報告を受け取りました</h1>
<p class="done" role="status">ありがとうございました。明日も同じ時刻にご案内を送ります。</p>
<p>体調が急に悪くなったときは、待たずにこの画面から送り直すか、119番に電話してください。</p>{{/thanks}}
<p><a class="button quiet" href="{{again}}">入力画面に戻る</a></p>
)html";

const char* const kCareCalls = R"html(<h1>健康観察：電話する人（{{tenant_name}}）</h1>
<p>電話が必要な方 <strong id="calls-count">{{count}}</strong> 人。急ぐ順（P0 → P3、同じならリスクの高い順、待ちの長い順）です。</p>
{{#shown}}<p class="notice" role="status">急ぐ順に最初の {{shown}} 人だけを表示しています。電話の記録をつけると、次の方が表示されます。</p>{{/shown}}
<p class="error" id="p0-alert" data-known="{{p0_ids}}" role="alert" hidden>新しいP0の方がいます：<span id="p0-new"></span>　<a href="/t/{{tenant}}/care/calls">一覧を更新する</a></p>
<div class="scroll"><table>
<thead><tr><th>優先度</th><th>理由</th><th>氏名</th><th>電話</th><th>年齢</th><th>今日の報告</th><th>最後の報告</th><th>最後の電話</th><th>待ち</th></tr></thead>
<tbody>
{{#entries}}<tr class="{{class}}"><td><strong>{{priority}}</strong></td><td>{{rule}}</td><td><a href="/t/{{tenant}}/care/patients/{{id}}">{{name}}</a><br><small>{{kana}}</small></td><td><a href="tel:{{tel}}">{{phone}}</a></td><td class="num">{{age}}</td><td>{{today}}</td><td>{{last_report}}</td><td>{{last_call}}</td><td>{{waited}}</td></tr>
{{/entries}}
{{^entries}}<tr><td colspan="9">いま電話が必要な方はいません。</td></tr>{{/entries}}
</tbody></table></div>
<script src="/static/care-live.js" data-feed="/api/v1/t/{{tenant}}/care/dashboard" data-tenant="{{tenant}}"></script>
)html";

const char* const kCarePatient = R"html(<h1>療養者の記録：{{name}}</h1>
{{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
{{#done}}<p class="done" role="status">{{done}}</p>{{/done}}
<dl class="summary"><dt>氏名</dt><dd>{{name}}（{{kana}}）</dd><dt>電話</dt><dd><a href="tel:{{tel}}">{{phone}}</a></dd><dt>年齢</dt><dd>{{age}}歳</dd><dt>リスク因子</dt><dd>{{risk_factors}}個</dd>
<dt>受付番号</dt><dd>{{receipt}}</dd><dt>療養期間</dt><dd>{{starts}} 〜 {{ends}}{{#ended}}（終了）{{/ended}}</dd>
<dt>電話の必要</dt><dd>{{#call}}<strong>{{call}}</strong>{{/call}}{{^call}}なし{{/call}}</dd>
<dt>ご案内の受け取り方</dt><dd>{{contact}}{{#line}}<form method="post" action="/t/{{tenant}}/care/patients/{{id}}/line" class="inline"><input type="hidden" name="csrf_token" value="{{csrf}}"> <button type="submit" class="quiet">LINEの連携を解除する（ショートメッセージに戻す）</button></form>{{/line}}</dd></dl>
<h2>電話の記録をつける</h2>
<form method="post" action="/t/{{tenant}}/care/patients/{{id}}/calls">
<input type="hidden" name="csrf_token" value="{{csrf}}">
<fieldset><legend>電話の結果</legend>{{#outcomes}}<label class="radio"><input type="radio" name="outcome" value="{{value}}"> {{label}}</label>
{{/outcomes}}</fieldset>
<label for="notes">メモ</label><textarea id="notes" name="notes" rows="3"></textarea>
<button type="submit">記録する</button>
</form>
{{^ended}}<details{{#phone_open}} open{{/phone_open}}><summary>電話で聞き取った今日の報告を入れる</summary>
<form method="post" action="/t/{{tenant}}/care/patients/{{id}}/reports">
<input type="hidden" name="csrf_token" value="{{csrf}}">
<p>はじめに、次の症状がひとつでもあるかを聞いてください。</p>
<ul>{{#urgent_list}}<li>{{.}}</li>{{/urgent_list}}</ul>
{{{phone_questions}}}
<button type="submit">報告を記録する</button>
</form></details>{{/ended}}
{{#doctor}}{{^ended}}<h2>療養期間の延長（医師）</h2>
<form method="post" action="/t/{{tenant}}/care/patients/{{id}}/extend">
<input type="hidden" name="csrf_token" value="{{csrf}}">
<label for="days">延長する日数</label><select id="days" name="days">{{#extend_days}}<option value="{{.}}">{{.}}日</option>{{/extend_days}}</select>
<button type="submit">延長して本人に知らせる</button>
</form>{{/ended}}{{/doctor}}
<h2>報告と判定</h2>
<div class="scroll"><table>
<thead><tr><th>日時</th><th>方法</th><th>優先度</th><th>理由（規則・版）</th><th>体温</th><th>SpO2</th><th>内容</th></tr></thead>
<tbody>{{#reports}}<tr><td>{{at}}</td><td>{{source}}</td><td><strong>{{priority}}</strong></td><td>{{rule}}<br><small>{{rule_id}} / {{version}}</small></td><td class="num">{{temperature}}</td><td class="num">{{spo2}}</td><td>{{summary}}</td></tr>
{{/reports}}{{^reports}}<tr><td colspan="7">まだ報告はありません。</td></tr>{{/reports}}</tbody></table></div>
<h2>電話の記録</h2>
<ul>{{#calls}}<li>{{at}}　{{outcome}}（{{by}}）{{#notes}}：{{notes}}{{/notes}}</li>{{/calls}}{{^calls}}<li>まだありません。</li>{{/calls}}</ul>
<h2>健康観察の送信</h2>
<ul>{{#check_ins}}<li>{{day}}：{{state}}</li>{{/check_ins}}{{^check_ins}}<li>まだ送っていません。</li>{{/check_ins}}</ul>
{{^ended}}<form method="post" action="/t/{{tenant}}/care/patients/{{id}}/check-in">
<input type="hidden" name="csrf_token" value="{{csrf}}">
<p class="hint">届いていないと言われたときや、今日のうちに様子を知りたいときに。今日の分がまだなら今から送り、送ってあればもう一度送ります。</p>
<button type="submit" class="quiet">今日の健康観察を今すぐ送る</button>
</form>{{/ended}}
<p><a href="/t/{{tenant}}/care/calls">電話する人の一覧へ</a></p>
)html";

const char* const kCareDashboard = R"html(<h1>健康観察の状況（{{tenant_name}}）</h1>
<section class="alarm" id="p0" aria-live="assertive"><h2>P0（すぐに電話）<span id="p0-count">{{p0_count}}</span> 人</h2>
<ul id="p0-list">{{#p0}}<li><a href="/t/{{tenant}}/care/patients/{{id}}">{{name}}</a>　{{rule}}　{{since}}から</li>{{/p0}}</ul>
<p id="p0-none"{{#has_p0}} hidden{{/has_p0}}>いまはいません。</p></section>
<p class="hint">この画面は開いたままで、新しいP0が自動で表示されます（<span id="updated">{{updated}}</span> 更新）。</p>
<h2>いまの状況</h2>
<dl class="summary"><dt>療養中</dt><dd><span id="active">{{active}}</span> 人</dd>
<dt>電話が必要</dt><dd>P0 <span id="to-call-0">{{to_call_0}}</span>・P1 <span id="to-call-1">{{to_call_1}}</span>・P2 <span id="to-call-2">{{to_call_2}}</span>・P3 <span id="to-call-3">{{to_call_3}}</span> 人（<a href="/t/{{tenant}}/care/calls">一覧</a>）</dd>
<dt>医師の確認待ち</dt><dd><span id="waiting">{{waiting}}</span> 件（うち24時間以上 <span id="overdue">{{overdue}}</span> 件・<a href="/t/{{tenant}}/care/queue">一覧</a>）</dd>
<dt>写真の撮り直し待ち</dt><dd><span id="photo-requested">{{photo_requested}}</span> 件</dd></dl>
<h2>日ごとの健康観察</h2>
<div class="scroll"><table>
<thead><tr><th>日</th><th>送信</th><th>回答あり</th><th>回答率</th><th>再送して待ち</th><th>回答なし</th></tr></thead>
<tbody id="days-body">{{#days}}<tr><td>{{day}}</td><td class="num">{{sent}}</td><td class="num">{{answered}}</td><td class="num">{{rate}}</td><td class="num">{{reminded}}</td><td class="num">{{missed}}</td></tr>
{{/days}}</tbody></table></div>
<p><a href="/t/{{tenant}}/care/settings">療養の設定（健康観察の時刻・療養の日数・判定の規則。監督者と医師）</a></p>
<script src="/static/care-live.js" data-feed="/api/v1/t/{{tenant}}/care/dashboard" data-tenant="{{tenant}}"></script>
)html";

// The dashboard stays current without a reload: every 5 seconds it reads the JSON and redraws
// the P0 list, the counts and the days (text only: names are set as text, never as HTML).
const char* const kCareLiveJs = R"js((function () {
  var me = document.currentScript;
  var feed = me.getAttribute('data-feed');
  var tenant = me.getAttribute('data-tenant');
  function set(id, v) { var el = document.getElementById(id); if (el) el.textContent = String(v); }
  function draw(d) {
    set('p0-count', d.to_call[0]);
    set('calls-count', d.to_call[0] + d.to_call[1] + d.to_call[2] + d.to_call[3]);
    for (var i = 0; i < 4; i++) set('to-call-' + i, d.to_call[i]);
    set('active', d.active);
    set('waiting', d.waiting);
    set('overdue', d.overdue);
    set('photo-requested', d.photo_requested);
    set('updated', d.updated);
    var days = document.getElementById('days-body');
    if (days) {
      while (days.firstChild) days.removeChild(days.firstChild);
      d.days.forEach(function (x) {
        var tr = document.createElement('tr');
        [x.label, x.sent, x.answered, x.rate, x.reminded, x.missed].forEach(function (v, i) {
          var td = document.createElement('td');
          if (i > 0) td.className = 'num';
          td.textContent = String(v);
          tr.appendChild(td);
        });
        days.appendChild(tr);
      });
    }
    // The call list: a P0 that was not there when the page was drawn is announced at once.
    var alarm = document.getElementById('p0-alert');
    if (alarm) {
      var known = (alarm.getAttribute('data-known') || '').split(',');
      var fresh = d.p0.filter(function (p) { return known.indexOf(String(p.id)) < 0; });
      if (fresh.length) {
        set('p0-new', fresh.map(function (p) { return p.name + '（' + p.rule + '）'; }).join('、'));
        alarm.hidden = false;
      }
    }
    var list = document.getElementById('p0-list');
    var none = document.getElementById('p0-none');
    if (!list) return;
    while (list.firstChild) list.removeChild(list.firstChild);
    d.p0.forEach(function (p) {
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.href = '/t/' + tenant + '/care/patients/' + p.id;
      a.textContent = p.name;
      li.appendChild(a);
      li.appendChild(document.createTextNode('　' + p.rule + '　' + p.since + 'から'));
      list.appendChild(li);
    });
    if (none) none.hidden = d.p0.length > 0;
  }
  function poll() {
    fetch(feed, { credentials: 'same-origin', cache: 'no-store' })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (d) { if (d) draw(d); })
      .catch(function () {})
      .then(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 5000);
})();
)js";

}  // namespace madoguchi::web::templates
