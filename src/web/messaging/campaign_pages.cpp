// src/web/messaging/campaign_pages.cpp — see campaign_pages.hpp.
#include "web/messaging/campaign_pages.hpp"

#include <spdlog/spdlog.h>
#include <kainjow/mustache.hpp>

#include "channels/kannel.hpp"

#include "common/csv.hpp"
#include "common/svg_chart.hpp"
#include "common/text.hpp"
#include "common/time_format.hpp"
#include "messaging/campaign.hpp"
#include "messaging/email.hpp"
#include "messaging/links.hpp"
#include "messaging/phone.hpp"
#include "messaging/segment.hpp"
#include "store/accounts/accounts.hpp"
#include "store/jobs/jobs.hpp"
#include "store/outbox/campaigns.hpp"
#include "store/outbox/delivery.hpp"
#include "web/core/audit.hpp"
#include "web/http/error_mapping.hpp"
#include "web/messaging/campaign_plan.hpp"
#include "web/ui/messages.hpp"
#include "web/ui/pages.hpp"

namespace madoguchi::web {

namespace mustache = kainjow::mustache;

namespace {

constexpr int kListed = 50;  // campaigns on the list page, newest first

const char* kListPage = R"html(<h1>一斉送信：{{tenant_name}}</h1>
<p>ショートメッセージ（携帯電話の番号がない方にはメール）を、ファイルに並べた方々や、予約の状況で選んだ方々へまとめて送ります。送る前に、宛先の数・通数・費用を確かめられます。</p>
{{#error}}<div class="error" role="alert"><p>{{error}}</p>{{#has_rows}}<ul>{{#rows}}<li>{{.}}</li>{{/rows}}</ul>{{/has_rows}}</div>{{/error}}
<h2 id="new">新しい一斉送信</h2>
<form method="post" action="/t/{{tenant}}/campaigns" enctype="multipart/form-data" class="stack">
  <input type="hidden" name="csrf_token" value="{{csrf}}">
  <div class="field"><label for="name">名前（職員が見分けるためのもの。送りません）</label><input id="name" name="name" type="text" value="{{name}}" maxlength="200"></div>
  <div class="field"><label for="body">文面</label><textarea id="body" name="body" rows="5" aria-describedby="body-hint">{{body}}</textarea>
  <span class="hint" id="body-hint">{氏名} のように、ファイルの列の見出しを { } で囲むと、その方の値が入ります。全角70文字までが1通分です。</span></div>
  <fieldset><legend>宛先</legend>
  <label class="radio"><input type="radio" name="source" value="file"{{#src_file}} checked{{/src_file}}> ファイル（CSV）で選ぶ</label>
  <div class="field"><label for="file">宛先のファイル（CSV）</label><input id="file" name="file" type="file" accept=".csv,text/csv" aria-describedby="file-hint">
  <span class="hint" id="file-hint">1行目は見出しで、「電話番号」か「メールアドレス」の列が要ります（電話番号は携帯電話）。ほかの列は文面に差し込めます。</span></div>
  <label class="radio"><input type="radio" name="source" value="booked_on"{{#src_booked_on}} checked{{/src_booked_on}}> この日に予約のある方</label>
  <div class="field"><label for="day">予約の日</label><input id="day" name="day" type="date" value="{{day}}" aria-describedby="day-hint">
  <span class="hint" id="day-hint">差し込めるのは {氏名} {日時} {会場} です。</span></div>
  <label class="radio"><input type="radio" name="source" value="not_booked" aria-describedby="not-booked-hint"{{#src_not_booked}} checked{{/src_not_booked}}> まだ予約していない方</label>
  <div class="field"><span class="hint" id="not-booked-hint">名簿にあって、予約も接種の記録もない方です。差し込めるのは {氏名} です。</span></div>
  </fieldset>
  <div class="field"><label class="check"><input type="checkbox" name="link" value="booking" aria-describedby="link-hint"{{#link}} checked{{/link}}{{^can_link}} disabled{{/can_link}}> 予約のページへのリンクを最後に付ける</label>
  <span class="hint" id="link-hint">{{#can_link}}1人ずつ別の短いリンク（約40文字）になり、開いた方の数が分かります。リンクの分も通数に数えます。{{/can_link}}{{^can_link}}利用者向けのアドレスが設定されていないため、リンクは付けられません。{{/can_link}}</span></div>
  <div class="field"><label for="starts_at">送信開始（空なら「送信する」を押したとき）</label><input id="starts_at" name="starts_at" type="datetime-local" value="{{starts_at}}"></div>
  <div class="field"><button type="submit">確認する（まだ送りません）</button></div>
</form>
<h2 id="list">これまでの一斉送信</h2>
{{#capped}}<p class="hint">新しい順に{{limit}}件を表示しています。</p>{{/capped}}
<div class="scroll"><table><thead><tr><th>名前</th><th>状態</th><th>宛先</th><th>届いた</th><th>返信</th><th>作成</th></tr></thead><tbody>
{{#campaigns}}<tr><td><a href="/t/{{tenant}}/campaigns/{{id}}">{{name}}</a></td><td>{{state}}</td><td>{{recipients}} 人</td><td>{{delivered}} 人</td><td>{{replies}} 件</td><td>{{created}}</td></tr>
{{/campaigns}}{{^campaigns}}<tr><td colspan="6">まだありません。</td></tr>{{/campaigns}}
</tbody></table></div>
)html";

const char* kOnePage = R"html(<p><a href="/t/{{tenant}}/campaigns">← 一斉送信の一覧へ</a></p>
<h1>一斉送信：{{name}}</h1>
{{#refresh}}<meta http-equiv="refresh" content="5">{{/refresh}}
{{#refresh2}}<meta http-equiv="refresh" content="2">{{/refresh2}}
{{#done}}<p class="done" role="status">{{done}}</p>{{/done}}
{{#error}}<div class="error" role="alert"><p>{{error}}</p>{{#has_rows}}<ul>{{#rows}}<li>{{.}}</li>{{/rows}}</ul>{{/has_rows}}</div>{{/error}}
<p>状態：<strong>{{state}}</strong></p>
{{#preparing}}<p role="status">宛先ごとのお知らせを作っています。できると送信が始まり、この画面に進み具合が出ます（2秒ごとに新しくなります）。</p>
<form method="post" action="/t/{{tenant}}/campaigns/{{id}}/cancel" class="inline"><input type="hidden" name="csrf_token" value="{{csrf}}"><button type="submit" class="secondary">取りやめる</button></form>{{/preparing}}
{{#draft}}<h2 id="preview">送る前の確認</h2>
<dl class="facts">
  {{#segment}}<dt>宛先の条件</dt><dd>{{segment}}（送信するときに、その時点の予約で選び直します）</dd>{{/segment}}
  <dt>宛先</dt><dd>{{recipients}} 人{{#by_email}}（うちメールで {{by_email}} 人）{{/by_email}}</dd>
  {{#segment}}<dt>連絡先のない方</dt><dd>{{unreachable}} 人（携帯電話の番号もメールアドレスもないため、送りません）</dd>{{/segment}}
  <dt>1人あたりの通数</dt><dd>最大 {{max_parts}} 通分（全角70文字で1通、長いと67文字ごとに1通）</dd>
  <dt>合計の通数</dt><dd>{{total_parts}} 通分</dd>
  <dt>費用の見込み</dt><dd>{{cost}} 円（1通分 {{price}} 円）</dd>
  <dt>送信開始</dt><dd>{{starts}}</dd>
  {{#has_link}}<dt>リンク</dt><dd>文面の最後に、予約のページへの短いリンクを1人ずつ付けます（通数に含めています）。</dd>{{/has_link}}
  <dt>配信停止中の番号</dt><dd>{{suppressed}} 人（この方々には送りません）</dd>
</dl>
{{#quiet}}<p class="hint">{{quiet}}</p>{{/quiet}}
{{#no_email_sender}}<p class="error" role="alert">差出人のメールアドレスが設定されていないため、メールで送る {{by_email}} 人には届きません。「お知らせの送信設定」で設定してください。</p>{{/no_email_sender}}
<h3>文面の例（1人目の方あて、{{sample_chars}}文字・{{sample_parts}}通分）</h3>
<p class="sample">{{sample}}</p>
<form method="post" action="/t/{{tenant}}/campaigns/{{id}}/send" class="inline"><input type="hidden" name="csrf_token" value="{{csrf}}"><button type="submit">送信する</button></form>
<form method="post" action="/t/{{tenant}}/campaigns/{{id}}/cancel" class="inline"><input type="hidden" name="csrf_token" value="{{csrf}}"><button type="submit" class="secondary">取りやめる</button></form>
{{/draft}}
{{^draft}}<h2 id="progress">送信の状況</h2>
<p><progress value="{{finished}}" max="{{recipients}}" aria-label="送り終えた数">{{finished}} / {{recipients}}</progress> {{finished}} / {{recipients}} 人</p>
<p>届いた：{{delivered}} 人（{{delivered_pct}}%）{{#has_link}}　リンクを開いた：{{opened}} 人（{{opened_pct}}%）{{/has_link}}　返信した：{{replied}} 人（{{reply_pct}}%、返信 {{replies}} 件）</p>
{{{chart}}}
<p><a href="/t/{{tenant}}/campaigns/{{id}}/recipients">宛先ごとの状況を見る</a>{{#has_failed}}（<a href="/t/{{tenant}}/campaigns/{{id}}/recipients?show=not_reached">届かなかった方 {{not_reached}} 人</a>）{{/has_failed}}</p>
<div class="scroll"><table><thead><tr><th>状態</th><th>人数</th></tr></thead><tbody>
{{#by_state}}<tr><td>{{label}}</td><td>{{count}}</td></tr>{{/by_state}}
</tbody></table></div>
<p>送信開始：{{starts}}　合計 {{total_parts}} 通分・{{cost}} 円の見込み</p>
{{#may_pause}}<form method="post" action="/t/{{tenant}}/campaigns/{{id}}/pause" class="inline"><input type="hidden" name="csrf_token" value="{{csrf}}"><button type="submit">一時停止する</button></form>{{/may_pause}}
{{#may_resume}}<form method="post" action="/t/{{tenant}}/campaigns/{{id}}/resume" class="inline"><input type="hidden" name="csrf_token" value="{{csrf}}"><button type="submit">再開する</button></form>{{/may_resume}}
{{#may_cancel}}<form method="post" action="/t/{{tenant}}/campaigns/{{id}}/cancel" class="inline"><input type="hidden" name="csrf_token" value="{{csrf}}"><button type="submit" class="secondary">残りを取りやめる</button></form>{{/may_cancel}}
{{#refresh}}<p class="hint">この画面は5秒ごとに新しくなります。</p>{{/refresh}}
{{/draft}}
)html";

const char* kRecipientsPage = R"html(<p><a href="/t/{{tenant}}/campaigns/{{id}}">← 一斉送信「{{name}}」へ</a></p>
<h1>宛先ごとの状況：{{name}}</h1>
<form method="get" action="/t/{{tenant}}/campaigns/{{id}}/recipients" class="filter">
  <label for="show">表示する方</label>
  <select id="show" name="show">{{#filters}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/filters}}</select>
  <button type="submit">表示する</button>
</form>
<p>{{total}} 人{{#paged}}（{{from}}〜{{to}} 人目）{{/paged}}</p>
<div class="scroll"><table><thead><tr><th>行</th><th>宛先</th><th>方法</th><th>状態</th>{{#has_link}}<th>リンク</th>{{/has_link}}<th>返信</th><th>送った時刻</th></tr></thead><tbody>
{{#rows}}<tr><td>{{row}}</td><td>{{address}}</td><td>{{channel}}</td><td>{{state}}{{#why}}<br><span class="hint">{{why}}</span>{{/why}}</td>{{#has_link}}<td>{{opens}}</td>{{/has_link}}<td>{{replies}}</td><td>{{sent}}</td></tr>
{{/rows}}{{^rows}}<tr><td colspan="7">当てはまる方はいません。</td></tr>{{/rows}}
</tbody></table></div>
<p>{{#prev}}<a href="/t/{{tenant}}/campaigns/{{id}}/recipients?show={{show}}&amp;page={{prev}}">← 前の{{per_page}}人</a>{{/prev}}
{{#next}}<a href="/t/{{tenant}}/campaigns/{{id}}/recipients?show={{show}}&amp;page={{next}}">次の{{per_page}}人 →</a>{{/next}}</p>
)html";

const char* kStatusPage = R"html(<h1>送信の状況：{{tenant_name}}</h1>
<p>この自治体のお知らせ（予約の確認・前日のお知らせ・一斉送信・返信）の送信です。{{#refresh}}この画面は10秒ごとに新しくなります。{{/refresh}}</p>
<meta http-equiv="refresh" content="10">
{{#gateway_down}}<p class="error" role="alert">ショートメッセージの中継（Kannel）が応答していません。{{gateway_failures}} 通が再送を待っています。失われてはいません。中継の担当者に連絡してください。</p>{{/gateway_down}}
{{#behind}}<p class="error" role="alert">送る時刻を1分以上過ぎたお知らせが {{overdue}} 通あります。送信の処理（worker）が動いているか確かめてください。</p>{{/behind}}
{{#kannel_down}}<p class="error" role="alert">中継（Kannel）の管理の窓口が応答しません。中継が止まっているかもしれません。お知らせは送信を待ち、失われません。中継の担当者に連絡してください。</p>{{/kannel_down}}
{{#links_down}}<p class="error" role="alert">中継から携帯電話会社への接続のうち {{links_down}} 本がつながっていません。つながるまで、お知らせは中継の中で待ちます（下の表）。</p>{{/links_down}}
{{#fine}}<p class="done" role="status">送信は順調です。</p>{{/fine}}
<dl class="facts">
  <dt>直近5分に送った数</dt><dd>{{sent}} 通（1分あたり {{per_minute}} 通）</dd>
  <dt>直近5分に届いた数</dt><dd>{{delivered}} 通</dd>
  <dt>送ってから届いたと分かるまで</dt><dd>{{latency}}</dd>
</dl>
<div class="scroll"><table><thead><tr><th>状態</th><th>通数</th></tr></thead><tbody>
{{#by_state}}<tr><td>{{label}}</td><td>{{count}}</td></tr>{{/by_state}}
{{^by_state}}<tr><td colspan="2">まだ送ったお知らせはありません。</td></tr>{{/by_state}}
</tbody></table></div>
<h2 id="gateway">ショートメッセージの中継（Kannel）</h2>
{{#kannel_unset}}<p class="hint">中継の管理の窓口が設定されていないため、中継の中の様子は表示できません。</p>{{/kannel_unset}}
{{#kannel}}<dl class="facts">
  <dt>中継の状態</dt><dd>{{state}}（起動から {{uptime}}）</dd>
  <dt>中継の中で送信を待つ数</dt><dd>{{queued}} 通（保存分 {{stored}} 通）</dd>
  <dt>届いた知らせの受け渡し待ち</dt><dd>{{dlr_queued}} 件</dd>
</dl>
<div class="scroll"><table><thead><tr><th>携帯電話会社への接続</th><th>状態</th><th>待ち</th><th>失敗</th></tr></thead><tbody>
{{#smscs}}<tr><td>{{id}}</td><td>{{status}}</td><td>{{queued}}</td><td>{{failed}}</td></tr>{{/smscs}}
{{^smscs}}<tr><td colspan="4">接続が設定されていません。</td></tr>{{/smscs}}
</tbody></table></div>{{/kannel}}
<p><a href="/t/{{tenant}}/campaigns">一斉送信へ</a></p>
)html";

const char* kSettingsPage = R"html(<h1>お知らせの送信設定：{{tenant_name}}</h1>
{{#done}}<p class="done" role="status">{{done}}</p>{{/done}}
{{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
<form method="post" action="/t/{{tenant}}/messaging/settings" class="stack">
  <input type="hidden" name="csrf_token" value="{{csrf}}">
  <fieldset><legend>ショートメッセージを送らない時間帯（日本時間。急ぎの療養の連絡は送ります）</legend>
  <div class="field"><label for="quiet_start">始まり</label><input id="quiet_start" name="quiet_start" type="text" inputmode="numeric" value="{{quiet_start}}"{{#err_quiet_start}} aria-invalid="true"{{/err_quiet_start}}></div>
  <div class="field"><label for="quiet_end">終わり</label><input id="quiet_end" name="quiet_end" type="text" inputmode="numeric" value="{{quiet_end}}"{{#err_quiet_end}} aria-invalid="true"{{/err_quiet_end}}>
  <span class="hint">始まりと終わりを同じにすると、夜も送ります。</span></div>
  </fieldset>
  <div class="field"><label for="max_sms_parts">1人に送る最大の通数（長い文面は67文字ごとに1通）</label><input id="max_sms_parts" name="max_sms_parts" type="text" inputmode="numeric" value="{{max_sms_parts}}"{{#err_max_sms_parts}} aria-invalid="true"{{/err_max_sms_parts}}></div>
  <div class="field"><label for="price">1通分の料金（円）</label><input id="price" name="price" type="text" inputmode="decimal" value="{{price}}"{{#err_sms_sen_per_part}} aria-invalid="true"{{/err_sms_sen_per_part}}></div>
  <div class="field"><label for="sms_sender">送信者名（携帯電話に出る名前。契約した事業者が認めたもの）</label><input id="sms_sender" name="sms_sender" type="text" value="{{sms_sender}}" autocapitalize="none"{{#err_sms_sender}} aria-invalid="true"{{/err_sms_sender}}></div>
  <fieldset><legend>メール（携帯電話の番号がない方へ。空にするとメールは送りません）</legend>
  <div class="field"><label for="email_from">差出人のメールアドレス</label><input id="email_from" name="email_from" type="email" autocapitalize="none" value="{{email_from}}"{{#err_email_from}} aria-invalid="true"{{/err_email_from}}></div>
  <div class="field"><label for="email_from_name">差出人の名前（例：日南市 接種予約窓口）</label><input id="email_from_name" name="email_from_name" type="text" value="{{email_from_name}}"{{#err_email_from_name}} aria-invalid="true"{{/err_email_from_name}}></div>
  </fieldset>
  <div class="field"><button type="submit">保存する</button></div>
</form>
<p><a href="/t/{{tenant}}/messaging">送信の状況へ</a></p>
)html";

// "3.3" or "３．３" yen as 銭; nullopt for anything else.
std::optional<int64_t> ParseYen(const std::string& typed) {
  const std::string t = text::AsTyped(typed);
  if (t.empty() || t.size() > 9 || t.find_first_not_of("0123456789.") != std::string::npos || t.front() == '.') return std::nullopt;
  const size_t dot = t.find('.');
  if (dot != std::string::npos && (t.find('.', dot + 1) != std::string::npos || t.size() - dot - 1 > 2)) return std::nullopt;
  const int64_t yen = std::stoll(t.substr(0, dot));
  std::string frac = dot == std::string::npos ? "" : t.substr(dot + 1);
  while (frac.size() < 2) frac += '0';
  return yen * 100 + std::stoll(frac);
}

std::string_view CampaignStateLabel(messaging::CampaignState s) {
  switch (s) {
    case messaging::CampaignState::kDraft: return "確認中（まだ送っていません）";
    case messaging::CampaignState::kScheduled: return "送信予定";
    case messaging::CampaignState::kSending: return "送信中";
    case messaging::CampaignState::kPaused: return "一時停止中";
    case messaging::CampaignState::kCancelled: return "取りやめ";
    case messaging::CampaignState::kDone: return "送り終えました";
  }
  return "";
}

// 3725 s → 「1時間2分」.
std::string DurationJa(int64_t s) {
  const int64_t days = s / 86400, hours = s % 86400 / 3600, minutes = s % 3600 / 60;
  if (days > 0) return std::to_string(days) + "日" + std::to_string(hours) + "時間";
  if (hours > 0) return std::to_string(hours) + "時間" + std::to_string(minutes) + "分";
  return std::to_string(minutes) + "分";
}

std::string Yen(int64_t sen) {
  const int64_t yen = sen / 100, rest = sen % 100;
  return text::GroupThousands(static_cast<double>(yen)) + (rest ? "." + std::string(rest < 10 ? "0" : "") + std::to_string(rest) : "");
}

// The problems of a list as staff read them: 「3行目 電話番号：…」.
std::vector<std::string> ProblemLines(const std::vector<messaging::RecipientProblem>& problems) {
  std::vector<std::string> out;
  for (const auto& p : problems) {
    if (p.key == "more_problems") {
      out.push_back("ほかにも直すところがあります（" + p.message.substr(4, p.message.find(' ', 4) - 4) + " 件）。");
      continue;
    }
    const Status s(StatusCode::kInvalidArgument, p.key, p.message, p.column == "template" ? "template" : p.column);
    out.push_back(std::to_string(p.row) + "行目" + (p.column == "template" ? "（文面）" : "「" + p.column + "」") + "：" +
                  ui::ErrorText(s));
  }
  return out;
}

// "2026-12-03T09:00" (a datetime-local field) as Japan time.
std::optional<int64_t> ParseLocalJapanTime(const std::string& v) {
  if (v.size() == 16 && v[10] == 'T') return ParseIsoInstant(v + ":00+09:00");
  return ParseIsoInstant(v);
}

// The campaign's recipients over time, as shares of all of them: sent, delivered, opened (with a
// link), replied. `now_ms`: the chart runs to now (still sending); 0: to the last thing heard.
std::string ActivityChart(const store::CampaignRecord& c, const store::CampaignActivity& a, int64_t now_ms) {
  int64_t until = now_ms;
  for (const auto* series : {&a.sent, &a.delivered, &a.opened, &a.replied}) {
    if (!series->empty()) until = std::max(until, series->back().first + 60'000);
  }
  const messaging::TimelineSpan span = messaging::CampaignTimelineSpan(c.starts_at_ms, std::max(until, c.starts_at_ms + 60'000));
  auto cumulative = [&](const std::vector<std::pair<int64_t, int64_t>>& per_minute, const char* label, const char* color, bool dashed) {
    std::vector<int64_t> at(span.steps, 0);
    for (const auto& [minute, n] : per_minute) at[span.StepOf(minute + 59'999)] += n;
    svg::Series out{label, color, {}, dashed, false};
    int64_t sum = 0;
    for (int64_t n : at) {
      sum += n;
      out.y.push_back(c.recipients ? static_cast<double>(sum) / static_cast<double>(c.recipients) : 0.0);
    }
    return out;
  };
  std::vector<svg::Series> series{cumulative(a.sent, "送った", "#777777", true), cumulative(a.delivered, "届いた", "#1f5fa8", false)};
  if (!c.link.empty()) series.push_back(cumulative(a.opened, "リンクを開いた", "#2e7d32", false));
  series.push_back(cumulative(a.replied, "返信した", "#c05a00", false));
  const bool days = span.step_ms >= 24LL * 3600 * 1000 || span.step_ms * (span.steps - 1) > 24LL * 3600 * 1000;
  std::vector<std::pair<size_t, std::string>> labels;
  const int every = std::max(1, (span.steps - 1) / 6);
  for (int i = 0; i < span.steps; i += every) {
    const int64_t t = span.start_ms + i * span.step_ms;
    labels.emplace_back(static_cast<size_t>(i),
                        days ? FormatMonthDayJa(JapanDay(t)) + " " + FormatTokyoHourMinute(t) : FormatTokyoHourMinute(t));
  }
  return svg::Chart("宛先 " + text::GroupThousands(static_cast<double>(c.recipients)) + " 人のうち、時刻ごとの累計の割合",
                    static_cast<size_t>(span.steps), labels, series, std::nullopt, 1.0, true);
}

int64_t IdOf(const RequestContext& ctx) {
  const std::string& v = ctx.path_params.at("id");
  if (v.empty() || v.size() > 15 || v.find_first_not_of("0123456789") != std::string::npos) return -1;
  return std::stoll(v);
}

}  // namespace

void CampaignHandlers::Register(Router& router, CampaignHandlers* self) {
  RouteAdder add(router, self);
  using K = RouteKind;
  add("GET", "/t/{tenant}/campaigns", K::kPage, roles::kPlanners, "SMS campaigns: the list and a new one", &CampaignHandlers::PageList);
  add("POST", "/t/{tenant}/campaigns", K::kPage, roles::kPlanners,
      "check a campaign's recipient CSV and text; keep it as a draft to preview", &CampaignHandlers::PageCreate);
  add("GET", "/t/{tenant}/campaigns/{id}", K::kPage, roles::kPlanners, "a campaign: its preview (draft) or its progress",
      &CampaignHandlers::PageOne);
  add("GET", "/t/{tenant}/campaigns/{id}/recipients", K::kPage, roles::kPlanners,
      "a sent campaign's recipients, 100 a page (?show= all, waiting, not_reached, opened or replied; &page=N; audited)",
      &CampaignHandlers::PageRecipients);
  add("POST", "/t/{tenant}/campaigns/{id}/{action}", K::kPage, roles::kPlanners, "send, pause, resume or cancel a campaign",
      &CampaignHandlers::PageAction);
  add("GET", "/t/{tenant}/messaging/settings", K::kPage, roles::kAdmin,
      "the tenant's sending settings: quiet hours, part limit, price, sender", &CampaignHandlers::PageSettings);
  add("POST", "/t/{tenant}/messaging/settings", K::kPage, roles::kAdmin,
      "save the sending settings (validated; nothing saved when refused)", &CampaignHandlers::PageSettingsSave);
  add("GET", "/t/{tenant}/messaging", K::kPage, roles::kPlanners,
      "how sending is going: the SMS gateway, the queue, the rate, report latency", &CampaignHandlers::PageStatus);
}

HttpResponse CampaignHandlers::ListPage(RequestContext& ctx, int status, const std::string& error,
                                        const std::vector<std::pair<int, std::string>>& rows) {
  std::optional<store::Tenant> tenant;
  std::vector<store::CampaignRecord> list;
  Status s = store::WithConnection(db_, [&](store::Connection& c) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(tenant, store::FindTenant(c, ctx.tenant));
    MADOGUCHI_ASSIGN_OR_RETURN(list, store::ListCampaigns(c, ctx.tenant, kListed));
    return Status::Ok();
  });
  if (!s.ok()) return ErrorPage(&ctx, HttpStatusFor(s.code()), ui::ErrorText(s));
  mustache::data d;
  d.set("tenant", ctx.tenant);
  d.set("tenant_name", tenant ? tenant->name : ctx.tenant);
  d.set("csrf", ctx.principal->csrf_token);
  for (const char* f : {"name", "body", "starts_at"}) d.set(f, ctx.request.method == "POST" ? ctx.request.Param(f).value_or("") : "");
  if (!settings_.public_url.empty()) d.set("can_link", mustache::data::type::bool_true);
  if (ctx.request.method == "POST" && ctx.request.Param("link").has_value()) d.set("link", mustache::data::type::bool_true);
  // The recipients as chosen (a file again, or a segment: booked on a day, tomorrow unless chosen).
  const std::string source = ctx.request.method == "POST" ? ctx.request.Param("source").value_or("file") : "file";
  d.set("src_" + (source == "booked_on" || source == "not_booked" ? source : std::string("file")), mustache::data::type::bool_true);
  const std::string day = ctx.request.method == "POST" ? ctx.request.Param("day").value_or("") : "";
  d.set("day", day.empty() ? FormatIsoDate(JapanDay(clock_.NowMs()) + std::chrono::days{1}) : day);
  if (!error.empty()) {
    d.set("error", error);
    mustache::data lines{mustache::data::type::list};
    for (const auto& [row, line] : rows) lines.push_back(mustache::data(line));
    if (!rows.empty()) d.set("has_rows", mustache::data::type::bool_true);
    d.set("rows", lines);
  }
  mustache::data items{mustache::data::type::list};
  const int64_t now = clock_.NowMs();
  for (const auto& c : list) {
    mustache::data x;
    x.set("tenant", ctx.tenant);
    x.set("id", std::to_string(c.id));
    x.set("name", c.name);
    x.set("state", std::string(CampaignStateLabel(c.Shown(now))));
    x.set("recipients", text::GroupThousands(static_cast<double>(c.recipients)));
    int64_t delivered = 0;
    for (const auto& [st, n] : c.by_state) {
      if (st == "delivered") delivered = n;
    }
    x.set("delivered", text::GroupThousands(static_cast<double>(delivered)));
    x.set("replies", text::GroupThousands(static_cast<double>(c.replies)));
    x.set("created", FormatTokyo(c.created_at_ms));
    items.push_back(x);
  }
  d.set("campaigns", items);
  if (static_cast<int>(list.size()) == kListed) {
    d.set("capped", mustache::data::type::bool_true);
    d.set("limit", std::to_string(kListed));
  }
  return HtmlResponse(status, PageShell("一斉送信", Render(kListPage, d), &*ctx.principal));
}

HttpResponse CampaignHandlers::PageList(RequestContext& ctx) { return ListPage(ctx, 200, "", {}); }

HttpResponse CampaignHandlers::PageCreate(RequestContext& ctx) {
  const HttpRequest& r = ctx.request;
  const std::string name = text::Trim(r.Param("name").value_or(""));
  const std::string body = text::Trim(r.Param("body").value_or(""));
  const std::string file = r.Param("file").value_or("");
  const std::string when = text::Trim(r.Param("starts_at").value_or(""));
  auto refuse = [&](const Status& s, std::vector<std::pair<int, std::string>> rows = {}) {
    return ListPage(ctx, HttpStatusFor(s.code()), ui::ErrorText(s), rows);
  };
  if (name.empty() || name.size() > 200 || !text::IsValidUtf8(name))
    return refuse(InvalidArgumentError("name", "is required", "campaign_name"));
  const std::string source = r.Param("source").value_or("file");
  const std::string link = r.Param("link").value_or("");
  std::optional<messaging::Segment> segment;
  if (source == "booked_on" || source == "not_booked") {
    auto parsed = messaging::ParseSegment(source == "not_booked" ? source : "booked_on:" + text::AsTyped(r.Param("day").value_or("")),
                                          source == "not_booked" ? "segment" : "day");
    if (!parsed.ok()) return refuse(parsed.status());
    segment = *parsed;
  } else if (source != "file") {
    return refuse(InvalidArgumentError("source", "must be file, booked_on or not_booked", "unknown_segment"));
  } else if (file.empty()) {
    return refuse(InvalidArgumentError("file", "choose the recipients' CSV", "campaign_file"));
  }
  int64_t starts_at = clock_.NowMs();
  if (!when.empty()) {
    auto at = ParseLocalJapanTime(when);
    if (!at) return refuse(InvalidArgumentError("starts_at", "is not a date and time", "bad_start"));
    starts_at = *at;
  }
  store::RecipientList list;
  if (!segment) {
    Result<std::string> utf8 = csv::ToUtf8(file);
    if (!utf8.ok()) return refuse(utf8.status());
    list.csv = std::move(*utf8);
  }
  int64_t id = 0;
  std::vector<std::pair<int, std::string>> problem_rows;
  Status s = store::InTransaction(db_, [&](store::Connection& c) -> Status {
    if (segment) {
      MADOGUCHI_ASSIGN_OR_RETURN(list, store::SegmentList(c, ctx.tenant, *segment));
    }
    MADOGUCHI_ASSIGN_OR_RETURN(messaging::CampaignPlan plan, PlanFromList(c, ctx.tenant, body, list, link, settings_.public_url));
    if (!plan.problems.empty()) {
      for (const std::string& line : ProblemLines(plan.problems)) problem_rows.emplace_back(0, line);
      return InvalidArgumentError("file", "the recipients have problems; nothing was queued", "campaign_has_problems");
    }
    store::NewCampaign nc{ctx.tenant, name, body, starts_at, ctx.principal->user_id, &plan, list.segment};
    // A segment's list is not kept: it is read again for the preview and the send.
    MADOGUCHI_ASSIGN_OR_RETURN(id, store::SaveCampaignDraft(c, nc, segment ? "" : list.csv, clock_.NowMs()));
    return Audit(clock_, c, ctx, ctx.tenant, "campaign.create", "campaign:" + std::to_string(id));
  });
  if (!s.ok()) return refuse(s, problem_rows);
  return RedirectResponse("/t/" + ctx.tenant + "/campaigns/" + std::to_string(id));
}

HttpResponse CampaignHandlers::PageOne(RequestContext& ctx) {
  const int64_t id = IdOf(ctx);
  if (id < 0) return ErrorPage(&ctx, 404, ui::ErrorText(NotFoundError("no such campaign", "unknown_campaign")));
  const std::string done = ctx.request.Param("done").value_or("");
  mustache::data d;
  d.set("tenant", ctx.tenant);
  d.set("id", std::to_string(id));
  d.set("csrf", ctx.principal->csrf_token);
  store::CampaignRecord c;
  messaging::SendingSettings settings;
  std::optional<messaging::CampaignPlan> plan;
  store::RecipientList list;
  int64_t suppressed = 0;
  store::CampaignActivity activity;
  std::optional<store::Job> send_job;
  Status s = store::WithConnection(db_, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(c, store::GetCampaign(conn, ctx.tenant, id));
    if (c.state != messaging::CampaignState::kDraft) {
      MADOGUCHI_ASSIGN_OR_RETURN(activity, store::GetCampaignActivity(conn, ctx.tenant, id));
      return Status::Ok();
    }
    if (c.send_job) {
      MADOGUCHI_ASSIGN_OR_RETURN(send_job, store::GetJob(conn, ctx.tenant, *c.send_job));
      if (send_job->state != "failed") return Status::Ok();  // being sent: no preview to compute
    }
    MADOGUCHI_ASSIGN_OR_RETURN(list, store::CampaignDraftList(conn, ctx.tenant, id));
    MADOGUCHI_ASSIGN_OR_RETURN(plan, PlanFromList(conn, ctx.tenant, c.body, list, c.link, settings_.public_url, &settings));
    std::vector<std::string> phones;
    for (const auto& r : plan->recipients) {
      phones.push_back(r.phone.empty() ? r.email : r.phone);
      if (phones.size() == 500 || &r == &plan->recipients.back()) {
        MADOGUCHI_ASSIGN_OR_RETURN(auto hit, store::SuppressedAmong(conn, ctx.tenant, phones));
        suppressed += static_cast<int64_t>(hit.size());
        phones.clear();
      }
    }
    return Status::Ok();
  });
  if (!s.ok()) return ErrorPage(&ctx, HttpStatusFor(s.code()), ui::ErrorText(s));
  const int64_t now = clock_.NowMs();
  const messaging::CampaignState shown = c.Shown(now);
  d.set("name", c.name);
  d.set("state", std::string(CampaignStateLabel(shown)));
  d.set("starts", FormatTokyo(c.starts_at_ms));
  // What the last action did, while it is still what is true (not after the campaign moved on).
  const bool going = shown == messaging::CampaignState::kScheduled || shown == messaging::CampaignState::kSending;
  if (done == "sent" && going) d.set("done", std::string("送信を始めました。"));
  if (done == "paused" && shown == messaging::CampaignState::kPaused)
    d.set("done", std::string("一時停止しました。まだ送っていない方には送りません。"));
  if (done == "resumed" && going) d.set("done", std::string("再開しました。"));
  if (done == "cancelled" && shown == messaging::CampaignState::kCancelled) {
    d.set("done", std::string("取りやめました。まだ送っていない方には送りません。"));
  }
  const bool preparing = shown == messaging::CampaignState::kDraft && send_job && send_job->state != "failed";
  if (preparing) {
    d.set("preparing", mustache::data::type::bool_true);
    d.set("state", std::string("送信の準備中"));
    d.set("refresh2", mustache::data::type::bool_true);
    if (done == "sent") d.set("done", std::string("送信を受け付けました。準備ができると送信が始まります。"));
  }
  // A send whose job found the list no longer passing: said first, the draft as it is now below.
  const bool send_failed = send_job && send_job->state == "failed" && !preparing;
  if (send_failed) d.set("error", "送信できませんでした。" + ui::ErrorText(send_job->error));
  if (shown == messaging::CampaignState::kDraft && plan) {
    d.set("draft", mustache::data::type::bool_true);
    if (!plan->problems.empty()) {  // the tenant's settings changed since the preview
      d.set("error", std::string(send_failed ? "送信できませんでした。" : "") +
                         ui::ErrorText(InvalidArgumentError("file", "problems", "campaign_has_problems")));
      mustache::data lines{mustache::data::type::list};
      for (const std::string& line : ProblemLines(plan->problems)) lines.push_back(mustache::data(line));
      d.set("has_rows", mustache::data::type::bool_true);
      d.set("rows", lines);
    }
    d.set("recipients", text::GroupThousands(static_cast<double>(plan->recipients.size())));
    if (!list.segment.empty()) {
      if (auto seg = messaging::ParseSegment(list.segment); seg.ok()) d.set("segment", messaging::SegmentLabel(*seg));
      d.set("unreachable", text::GroupThousands(static_cast<double>(list.unreachable)));
    }
    if (plan->by_email > 0) {
      d.set("by_email", text::GroupThousands(static_cast<double>(plan->by_email)));
      if (settings.email_from.empty()) d.set("no_email_sender", mustache::data::type::bool_true);
    }
    d.set("max_parts", std::to_string(plan->max_parts));
    d.set("total_parts", text::GroupThousands(static_cast<double>(plan->total_parts)));
    d.set("cost", Yen(plan->cost_sen));
    d.set("price", Yen(settings.sms_sen_per_part));
    d.set("suppressed", std::to_string(suppressed));
    if (!plan->link.empty()) d.set("has_link", mustache::data::type::bool_true);
    if (!plan->recipients.empty()) {
      const std::string sample =
          plan->recipients.front().text +
          (plan->link.empty() ? "" : " " + messaging::ShortLinkUrl(settings_.public_url, std::string(messaging::kShortCodeLength, 'X')));
      auto parts = messaging::SplitSms(sample);
      d.set("sample", sample);
      d.set("sample_chars", std::to_string(parts.ok() ? parts->units : 0));
      d.set("sample_parts", std::to_string(parts.ok() ? parts->parts() : 0));
    }
    const int64_t first =
        messaging::EarliestSend(settings, messaging::Delivery::kSms, messaging::Urgency::kRoutine, std::max(c.starts_at_ms, now));
    if (first > std::max(c.starts_at_ms, now)) {
      d.set("quiet", "送信開始が夜間（" + FormatClock(settings.quiet_start_min) + "〜" + FormatClock(settings.quiet_end_min) +
                         "）にあたるため、" + FormatTokyo(first) + "から送ります。");
    }
  } else {
    int64_t finished = 0, delivered = 0, not_reached = 0;
    mustache::data rows{mustache::data::type::list};
    for (const auto& [st, n] : c.by_state) {
      if (st != "queued" && st != "sending") finished += n;
      if (st == "delivered") delivered = n;
      if (st == "failed" || st == "expired" || st == "suppressed" || st == "cancelled") not_reached += n;
      mustache::data row;
      row.set("label", std::string(ui::MessageStateText(st)));
      row.set("count", text::GroupThousands(static_cast<double>(n)));
      rows.push_back(row);
    }
    d.set("by_state", rows);
    d.set("recipients", std::to_string(c.recipients));
    d.set("finished", std::to_string(finished));
    d.set("delivered", text::GroupThousands(static_cast<double>(delivered)));
    d.set("delivered_pct", std::to_string(c.recipients ? delivered * 100 / c.recipients : 0));
    d.set("replies", text::GroupThousands(static_cast<double>(c.replies)));
    d.set("replied", text::GroupThousands(static_cast<double>(activity.replied_recipients)));
    d.set("reply_pct", std::to_string(c.recipients ? activity.replied_recipients * 100 / c.recipients : 0));
    if (!c.link.empty()) {
      d.set("has_link", mustache::data::type::bool_true);
      d.set("opened", text::GroupThousands(static_cast<double>(c.opened)));
      d.set("opened_pct", std::to_string(c.recipients ? c.opened * 100 / c.recipients : 0));
    }
    if (not_reached > 0) {
      d.set("has_failed", mustache::data::type::bool_true);
      d.set("not_reached", text::GroupThousands(static_cast<double>(not_reached)));
    }
    if (now >= c.starts_at_ms) d.set("chart", ActivityChart(c, activity, shown == messaging::CampaignState::kSending ? now : 0));
    d.set("total_parts", text::GroupThousands(static_cast<double>(c.parts)));
    d.set("cost", Yen(c.cost_sen));
    if (messaging::CampaignTransition(shown, "pause").ok()) d.set("may_pause", mustache::data::type::bool_true);
    if (messaging::CampaignTransition(shown, "resume").ok()) d.set("may_resume", mustache::data::type::bool_true);
    if (messaging::CampaignTransition(shown, "cancel").ok()) d.set("may_cancel", mustache::data::type::bool_true);
    if (shown == messaging::CampaignState::kSending || shown == messaging::CampaignState::kScheduled) {
      d.set("refresh", mustache::data::type::bool_true);
    }
  }
  return HtmlResponse(200, PageShell("一斉送信：" + c.name, Render(kOnePage, d), &*ctx.principal));
}

HttpResponse CampaignHandlers::PageAction(RequestContext& ctx) {
  const int64_t id = IdOf(ctx);
  const std::string action = ctx.path_params.at("action");
  if (id < 0) return ErrorPage(&ctx, 404, ui::ErrorText(NotFoundError("no such campaign", "unknown_campaign")));
  Status s = store::InTransaction(db_, [&](store::Connection& c) -> Status {
    if (action == "send") {
      // Its list is read again and its messages written by a job, not this request (a segment or
      // a file may be 100,000 people); the page follows it.
      MADOGUCHI_ASSIGN_OR_RETURN(int64_t job,
                                 store::EnqueueJob(c, ctx.tenant, "campaign_send", CampaignSendJobInput(id, settings_.public_url),
                                                   ctx.principal->user_id, clock_.NowMs()));
      MADOGUCHI_RETURN_IF_ERROR(store::MarkCampaignBeingSent(c, ctx.tenant, id, job));
    } else {
      MADOGUCHI_RETURN_IF_ERROR(store::ChangeCampaign(c, ctx.tenant, id, action, clock_.NowMs()).status());
    }
    return Audit(clock_, c, ctx, ctx.tenant, "campaign." + action, "campaign:" + std::to_string(id));
  });
  if (!s.ok()) return ErrorPage(&ctx, HttpStatusFor(s.code()), ui::ErrorText(s));
  const std::string done = action == "send" ? "sent" : action == "pause" ? "paused" : action == "resume" ? "resumed" : "cancelled";
  return RedirectResponse("/t/" + ctx.tenant + "/campaigns/" + std::to_string(id) + "?done=" + done);
}

HttpResponse CampaignHandlers::PageRecipients(RequestContext& ctx) {
  constexpr int kPerPage = 100;
  const int64_t id = IdOf(ctx);
  if (id < 0) return ErrorPage(&ctx, 404, ui::ErrorText(NotFoundError("no such campaign", "unknown_campaign")));
  static const std::pair<const char*, store::RecipientFilter> kFilters[] = {{"all", store::RecipientFilter::kAll},
                                                                            {"waiting", store::RecipientFilter::kWaiting},
                                                                            {"not_reached", store::RecipientFilter::kNotReached},
                                                                            {"opened", store::RecipientFilter::kOpened},
                                                                            {"replied", store::RecipientFilter::kReplied}};
  static const char* kFilterLabels[] = {"すべての方", "届いたか分からない方（送信待ち・確認待ち）", "届かなかった方", "リンクを開いた方",
                                        "返信した方"};
  const std::string show = ctx.request.Param("show").value_or("all");
  size_t chosen = 0;
  while (chosen < std::size(kFilters) && show != kFilters[chosen].first) ++chosen;
  if (chosen == std::size(kFilters)) chosen = 0;  // an unknown choice shows everybody
  const std::string page_text = ctx.request.Param("page").value_or("1");
  int64_t page = 1;
  if (!page_text.empty() && page_text.size() <= 6 && page_text.find_first_not_of("0123456789") == std::string::npos) {
    page = std::max<int64_t>(1, std::stoll(page_text));
  }
  store::CampaignRecord c;
  std::pair<std::vector<store::CampaignRecipientStatus>, int64_t> listed;
  // Who got what is personal data: each look is audited.
  Status s = store::InTransaction(db_, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(c, store::GetCampaign(conn, ctx.tenant, id));
    MADOGUCHI_ASSIGN_OR_RETURN(
        listed, store::ListCampaignRecipients(conn, ctx.tenant, id, kFilters[chosen].second, (page - 1) * kPerPage, kPerPage));
    return Audit(clock_, conn, ctx, ctx.tenant, "campaign.recipients_read", "campaign:" + std::to_string(id));
  });
  if (!s.ok()) return ErrorPage(&ctx, HttpStatusFor(s.code()), ui::ErrorText(s));
  mustache::data d;
  d.set("tenant", ctx.tenant);
  d.set("id", std::to_string(id));
  d.set("name", c.name);
  d.set("show", std::string(kFilters[chosen].first));
  d.set("per_page", std::to_string(kPerPage));
  mustache::data filters{mustache::data::type::list};
  for (size_t i = 0; i < std::size(kFilters); ++i) {
    if (kFilters[i].second == store::RecipientFilter::kOpened && c.link.empty()) continue;
    mustache::data f;
    f.set("value", std::string(kFilters[i].first));
    f.set("label", std::string(kFilterLabels[i]));
    if (i == chosen) f.set("selected", mustache::data::type::bool_true);
    filters.push_back(f);
  }
  d.set("filters", filters);
  if (!c.link.empty()) d.set("has_link", mustache::data::type::bool_true);
  const int64_t total = listed.second;
  d.set("total", text::GroupThousands(static_cast<double>(total)));
  if (total > kPerPage) {
    d.set("paged", mustache::data::type::bool_true);
    d.set("from", text::GroupThousands(static_cast<double>(std::min(total, (page - 1) * kPerPage + 1))));
    d.set("to", text::GroupThousands(static_cast<double>(std::min(total, page * kPerPage))));
  }
  if (page > 1) d.set("prev", std::to_string(page - 1));
  if (page * kPerPage < total) d.set("next", std::to_string(page + 1));
  mustache::data rows{mustache::data::type::list};
  for (const store::CampaignRecipientStatus& r : listed.first) {
    mustache::data x;
    if (!c.link.empty()) x.set("has_link", mustache::data::type::bool_true);
    x.set("row", std::to_string(r.row));
    // A LINE user id means nothing to staff: the channel says it was LINE.
    x.set("address", r.channel == "email"  ? r.address
                     : r.channel == "line" ? std::string("LINE の利用者")
                                           : messaging::NationalFormat(r.address));
    x.set("channel", std::string(ui::DeliveryText(r.channel)));
    x.set("state", std::string(ui::MessageStateText(r.state, r.channel)));
    if (!r.last_error.empty() && (r.state == "failed" || r.state == "queued")) x.set("why", ui::FailureReasonText(r.last_error));
    x.set("opens", r.opens > 0 ? "開いた（" + std::to_string(r.opens) + " 回）" : std::string("—"));
    x.set("replies", r.replies > 0 ? std::to_string(r.replies) + " 件" : std::string("—"));
    x.set("sent", r.sent_at_ms ? FormatTokyo(*r.sent_at_ms) : std::string("—"));
    rows.push_back(x);
  }
  d.set("rows", rows);
  return HtmlResponse(200, PageShell("宛先ごとの状況：" + c.name, Render(kRecipientsPage, d), &*ctx.principal));
}

HttpResponse CampaignHandlers::SettingsPage(RequestContext& ctx, int status, const std::string& done, const Status& error) {
  std::optional<store::Tenant> tenant;
  messaging::SendingSettings stored;
  Status s = store::WithConnection(db_, [&](store::Connection& c) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(tenant, store::FindTenant(c, ctx.tenant));
    MADOGUCHI_ASSIGN_OR_RETURN(stored, store::GetSendingSettings(c, ctx.tenant));
    return Status::Ok();
  });
  if (!s.ok()) return ErrorPage(&ctx, HttpStatusFor(s.code()), ui::ErrorText(s));
  mustache::data d;
  d.set("tenant", ctx.tenant);
  d.set("tenant_name", tenant ? tenant->name : ctx.tenant);
  d.set("csrf", ctx.principal->csrf_token);
  // A refused form comes back as it was typed; otherwise what is stored.
  auto value = [&](const char* field, const std::string& current) {
    d.set(field, !error.ok() ? ctx.request.Param(field).value_or("") : current);
  };
  value("quiet_start", FormatClock(stored.quiet_start_min));
  value("quiet_end", FormatClock(stored.quiet_end_min));
  value("max_sms_parts", std::to_string(stored.max_sms_parts));
  value("price", Yen(stored.sms_sen_per_part));
  value("sms_sender", stored.sms_sender);
  value("email_from", stored.email_from);
  value("email_from_name", stored.email_from_name);
  if (!done.empty()) d.set("done", done);
  if (!error.ok()) {
    d.set("error", ui::ErrorText(error));
    d.set("err_" + error.field(), mustache::data::type::bool_true);
  }
  return HtmlResponse(status, PageShell("お知らせの送信設定", Render(kSettingsPage, d), &*ctx.principal));
}

HttpResponse CampaignHandlers::PageSettings(RequestContext& ctx) { return SettingsPage(ctx, 200, "", Status::Ok()); }

HttpResponse CampaignHandlers::PageSettingsSave(RequestContext& ctx) {
  const HttpRequest& r = ctx.request;
  messaging::SendingSettings next;
  auto clock_of = [&](const char* field) -> std::optional<int> { return ParseClock(text::AsTyped(r.Param(field).value_or(""))); };
  const std::optional<int> start = clock_of("quiet_start"), end = clock_of("quiet_end");
  const std::string parts = text::AsTyped(r.Param("max_sms_parts").value_or(""));
  const std::optional<int64_t> price = ParseYen(r.Param("price").value_or(""));
  Status refused;
  if (!start) refused = InvalidArgumentError("quiet_start", "is not a time");
  else if (!end) refused = InvalidArgumentError("quiet_end", "is not a time");
  else if (parts.empty() || parts.size() > 2 || parts.find_first_not_of("0123456789") != std::string::npos) {
    refused = InvalidArgumentError("max_sms_parts", "is not a number");
  } else if (!price) {
    refused = InvalidArgumentError("sms_sen_per_part", "is not an amount of yen");
  }
  if (!refused.ok()) return SettingsPage(ctx, 422, "", refused);
  next.quiet_start_min = *start;
  next.quiet_end_min = *end;
  next.max_sms_parts = std::stoi(parts);
  next.sms_sen_per_part = *price;
  next.sms_sender = text::Trim(r.Param("sms_sender").value_or(""));
  next.email_from_name = text::Trim(r.Param("email_from_name").value_or(""));
  if (const std::string from = r.Param("email_from").value_or(""); !text::Trim(from).empty()) {
    Result<std::string> normal = messaging::NormalEmail(from, "email_from");
    if (!normal.ok()) return SettingsPage(ctx, 422, "", normal.status());
    next.email_from = *normal;
  }
  Status s = store::InTransaction(db_, [&](store::Connection& c) -> Status {
    MADOGUCHI_RETURN_IF_ERROR(store::SaveSendingSettings(c, ctx.tenant, next, clock_.NowMs()));
    return Audit(clock_, c, ctx, ctx.tenant, "messaging_settings.update", "tenant:" + ctx.tenant);
  });
  if (!s.ok()) return SettingsPage(ctx, HttpStatusFor(s.code()), "", s);
  return SettingsPage(ctx, 200, "保存しました。", Status::Ok());
}

HttpResponse CampaignHandlers::PageStatus(RequestContext& ctx) {
  std::optional<store::Tenant> tenant;
  store::OutboxHealth h;
  Status s = store::WithConnection(db_, [&](store::Connection& c) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(tenant, store::FindTenant(c, ctx.tenant));
    MADOGUCHI_ASSIGN_OR_RETURN(h, store::GetOutboxHealth(c, ctx.tenant, clock_.NowMs()));
    return Status::Ok();
  });
  if (!s.ok()) return ErrorPage(&ctx, HttpStatusFor(s.code()), ui::ErrorText(s));
  mustache::data d;
  d.set("tenant", ctx.tenant);
  d.set("tenant_name", tenant ? tenant->name : ctx.tenant);
  if (h.gateway_failures > 0) {
    d.set("gateway_down", mustache::data::type::bool_true);
    d.set("gateway_failures", text::GroupThousands(static_cast<double>(h.gateway_failures)));
  }
  if (h.overdue > 0) {
    d.set("behind", mustache::data::type::bool_true);
    d.set("overdue", text::GroupThousands(static_cast<double>(h.overdue)));
  }
  // Kannel's own view (bearerbox's admin port), when the server knows where it is.
  bool gateway_fine = true;
  if (settings_.kannel_admin_url.empty()) {
    d.set("kannel_unset", mustache::data::type::bool_true);
  } else if (Result<channels::KannelStatus> k = channels::FetchKannelStatus(settings_.kannel_admin_url, settings_.kannel_admin_password);
             !k.ok()) {
    spdlog::warn("msg=\"kannel status unavailable\" rid={} error=\"{}\"", ctx.request_id, k.status().ToString());
    d.set("kannel_down", mustache::data::type::bool_true);
    gateway_fine = false;
  } else {
    mustache::data g;
    g.set("state", ui::KannelStateText(k->state));
    g.set("uptime", DurationJa(k->uptime_s));
    g.set("queued", text::GroupThousands(static_cast<double>(k->sms_sent_queued)));
    g.set("stored", text::GroupThousands(static_cast<double>(k->store_size)));
    g.set("dlr_queued", text::GroupThousands(static_cast<double>(k->dlr_queued)));
    mustache::data links{mustache::data::type::list};
    int down = 0;
    for (const channels::KannelSmscStatus& l : k->smscs) {
      if (!l.online()) ++down;
      mustache::data x;
      x.set("id", l.id);
      x.set("status", ui::SmscStatusText(l.status));
      x.set("queued", text::GroupThousands(static_cast<double>(l.queued)));
      x.set("failed", text::GroupThousands(static_cast<double>(l.failed)));
      links.push_back(x);
    }
    g.set("smscs", links);
    d.set("kannel", g);
    // A link that is not connected while nothing waits for it (a link for replies that a
    // handset has not used yet) is listed, not an alarm; with messages waiting, or no link up, it is.
    const bool stuck = down > 0 && (k->sms_sent_queued > 0 || down == static_cast<int>(k->smscs.size()));
    if (stuck) d.set("links_down", std::to_string(down));
    if (stuck || k->state != "running") gateway_fine = false;
  }
  if (h.gateway_failures == 0 && h.overdue == 0 && gateway_fine) d.set("fine", mustache::data::type::bool_true);
  d.set("sent", text::GroupThousands(static_cast<double>(h.sent_last_5min)));
  d.set("per_minute", text::GroupThousands(static_cast<double>(h.sent_last_5min) / 5.0));
  d.set("delivered", text::GroupThousands(static_cast<double>(h.delivered_last_5min)));
  d.set("latency", h.report_latency_ms
                       ? "平均 " + text::GroupThousands(static_cast<double>(*h.report_latency_ms) / 1000.0) + " 秒（直近200通）"
                       : std::string("まだ届いた知らせがありません"));
  mustache::data rows{mustache::data::type::list};
  for (const auto& [st, n] : h.by_state) {
    mustache::data row;
    row.set("label", std::string(ui::MessageStateText(st)));
    row.set("count", text::GroupThousands(static_cast<double>(n)));
    rows.push_back(row);
  }
  d.set("by_state", rows);
  d.set("refresh", mustache::data::type::bool_true);
  return HtmlResponse(200, PageShell("送信の状況", Render(kStatusPage, d), &*ctx.principal));
}

}  // namespace madoguchi::web
