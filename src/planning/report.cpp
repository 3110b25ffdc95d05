#include "planning/report.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

#include "common/svg_chart.hpp"
#include "common/text.hpp"
#include "common/time_format.hpp"
#include "forecast/calendar.hpp"

namespace madoguchi::planning {
namespace {

using forecast::FormatClock;

using svg::Band;
using svg::Chart;
using svg::Fixed;
using svg::kBottom;
using svg::kH;
using svg::kLeft;
using svg::kRight;
using svg::kTop;
using svg::kW;
using svg::NiceMax;
using svg::Series;

std::string Pct(double v) { return Fixed(v * 100, 1) + "%"; }

// Cost (x) against service level (y), one labelled point per staff cap.
std::string CostCurve(const std::vector<WhatIfRow>& rows, double target) {
  const double pw = kW - kLeft - kRight, ph = kH - kTop - kBottom;
  double cmin = rows.front().cost, cmax = rows.front().cost;
  for (const auto& r : rows) cmin = std::min(cmin, r.cost), cmax = std::max(cmax, r.cost);
  if (cmax <= cmin) cmax = cmin + 1;
  auto X = [&](double c) { return kLeft + (c - cmin) / (cmax - cmin) * pw; };
  auto Y = [&](double v) { return kTop + ph - v * ph; };
  std::string s =
      "<figure><svg viewBox=\"0 0 960 320\" role=\"img\" aria-label=\"費用とサービスレベル\" xmlns=\"http://www.w3.org/2000/svg\">";
  s += "<text x=\"64\" y=\"22\" class=\"t\">費用曲線: 同時に入れる人数の上限ごとの費用（横）とサービスレベル（縦）</text>";
  for (int k = 0; k <= 4; ++k) {
    const double y = Y(k / 4.0);
    s += "<line x1=\"64\" x2=\"944\" y1=\"" + Fixed(y, 1) + "\" y2=\"" + Fixed(y, 1) + "\" class=\"g\"/>";
    s += "<text x=\"58\" y=\"" + Fixed(y + 5, 1) + "\" class=\"yl\">" + Fixed(k * 25.0, 0) + "%</text>";
    const double c = cmin + (cmax - cmin) * k / 4;
    s += "<text x=\"" + Fixed(X(c), 1) + "\" y=\"" + Fixed(kH - kBottom + 20, 0) + "\" class=\"xl\"" +
         (k == 4   ? " style=\"text-anchor:end\""
          : k == 0 ? " style=\"text-anchor:start\""
                   : "") +
         ">" + text::GroupThousands(c / 10000) + "万円</text>";
  }
  s += "<line x1=\"64\" x2=\"944\" y1=\"" + Fixed(Y(target), 1) + "\" y2=\"" + Fixed(Y(target), 1) +
       "\" stroke=\"#b35c00\" stroke-width=\"2\" stroke-dasharray=\"8 6\"/>";
  std::string d;
  for (size_t i = 0; i < rows.size(); ++i) d += (i ? "L" : "M") + Fixed(X(rows[i].cost), 1) + "," + Fixed(Y(rows[i].service_level), 1);
  s += "<path d=\"" + d + "\" fill=\"none\" stroke=\"#1f5fa8\" stroke-width=\"2.5\"/>";
  double last_label_x = -1e9;
  for (size_t i = 0; i < rows.size(); ++i) {
    const double x = X(rows[i].cost), y = Y(rows[i].service_level);
    s += "<circle cx=\"" + Fixed(x, 1) + "\" cy=\"" + Fixed(y, 1) + "\" r=\"5\" fill=\"#1f5fa8\"/>";
    if (x - last_label_x >= 48 && x <= kW - kRight - 24) {  // labels never overlap
      last_label_x = x;
      s += "<text x=\"" + Fixed(x, 1) + "\" y=\"" + Fixed(y - 10, 1) + "\" class=\"xl\">" + std::to_string(rows[i].staff_cap) + "人</text>";
    }
  }
  s += "<text x=\"64\" y=\"308\" class=\"lg\">点の数字: 同時に入れる人数の上限　破線: 目標サービスレベル</text>";
  s += "</svg></figure>\n";
  return s;
}

std::string DayLabel(forecast::Day d) {
  const std::string iso = FormatIsoDate(d);
  return iso.substr(5, 2) + "/" + iso.substr(8, 2) + "(" + WeekdayJa(d) + ")";
}

}  // namespace

std::string PlanCsv(const PlanResult& p) {
  std::string out =
      "date,interval_start,p10,p50,p90,planned_calls,required,target,scheduled,short_by,lines_needed,service_level,"
      "p_abandon,sim_service_level,sim_ci95\n";
  for (const IntervalRow& r : p.intervals) {
    out += FormatIsoDate(r.day) + "," + FormatClock(r.start_minute) + "," + Fixed(r.p10, 1) + "," + Fixed(r.p50, 1) + "," +
           Fixed(r.p90, 1) + "," + Fixed(r.planned_calls, 1) + "," + std::to_string(r.required) + "," + std::to_string(r.target) + "," +
           std::to_string(r.scheduled) + "," + std::to_string(r.short_by) + "," + std::to_string(r.lines_needed) + "," +
           Fixed(r.service_level, 4) + "," + Fixed(r.p_abandon, 4) + "," + (r.sim_service_level ? Fixed(*r.sim_service_level, 4) : "") +
           "," + (r.sim_ci95 ? Fixed(*r.sim_ci95, 4) : "") + "\n";
  }
  return out;
}

std::string PlanCsvWithJapaneseHeader(std::string_view csv) {
  constexpr std::string_view kHeader =
      "日付,開始時刻,予測の下限(p10),予測の中央(p50),予測の上限(p90),計画の入電数,必要な人数,目標の人数,配置する人数,不足する人数,"
      "必要な回線数,サービスレベル(Erlang),放棄率(Erlang),サービスレベル(シミュレーション),その95%信頼区間の幅";
  const size_t eol = csv.find('\n');
  if (eol == std::string_view::npos) return std::string(csv);
  return std::string(kHeader) + std::string(csv.substr(eol));
}

std::string PlanHtml(const PlanResult& p, const ReportInfo& info) {
  std::string h =
      "<!doctype html>\n<html lang=\"ja\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>" +
      text::HtmlEscape(info.title) +
      " — 計画書</title><style>"
      "body{font-family:'IPAexGothic','Noto Sans CJK JP',sans-serif;font-size:18px;line-height:1.6;color:#1a1a1a;"
      "max-width:1040px;margin:0 auto;padding:16px 20px;background:#fff}"
      "h1{font-size:28px;margin:8px 0}h2{font-size:22px;margin:28px 0 8px;border-bottom:3px solid #1f5fa8}"
      "table{border-collapse:collapse;margin:8px 0;font-size:16px}th,td{border:1px solid #999;padding:4px 10px;text-align:right}"
      "th{background:#eef3fa}td.l,th.l{text-align:left}.big{font-size:22px;font-weight:bold}"
      ".warn{background:#fff4e0;border-left:6px solid #b35c00;padding:8px 12px}"
      "details.zoom{margin:8px 0}details.zoom summary{font-size:18px;cursor:pointer;padding:6px 0}figure{margin:8px 0}svg{width:100%;height:auto;background:#fcfcfc;border:1px solid #ddd}"
      "svg .t{font-size:18px;font-weight:bold}svg .g{stroke:#ddd;stroke-width:1}"
      "svg .yl{font-size:14px;text-anchor:end}svg .xl{font-size:13px;text-anchor:middle}svg .lg{font-size:14px}"
      "ul.s{padding-left:20px;margin:4px 0}"
      "@media print{h2{break-before:auto}figure{break-inside:avoid}}"
      "</style></head><body>\n";
  h += "<h1>" + text::HtmlEscape(info.title) + "</h1>\n";
  if (!p.days.empty()) {
    h += "<p>期間 " + FormatIsoDate(p.days.front().day) + " 〜 " + FormatIsoDate(p.days.back().day) + "（" + std::to_string(p.days.size()) +
         "日間）　" + std::to_string(p.interval_minutes) + "分単位</p>\n";
  }
  if (!info.settings.empty()) {
    h += "<ul class=\"s\">";
    for (const auto& line : info.settings) h += "<li>" + text::HtmlEscape(line) + "</li>";
    h += "</ul>\n";
  }
  // A table of contents: the report runs to many pages.
  h +=
      "<nav aria-label=\"目次\"><p><strong>目次</strong>　<a href=\"#summary\">要約</a>　<a href=\"#charts\">グラフ</a>　"
      "<a href=\"#what-if\">人数の上限を変えた場合</a>　<a href=\"#short\">人数が足りない時間帯</a>　<a href=\"#shifts\">シフト表</a></p></nav>\n";
  // Summary.
  h += "<h2 id=\"summary\">要約</h2><table>";
  auto row = [&](const std::string& k, const std::string& v) { h += "<tr><th class=\"l\">" + k + "</th><td>" + v + "</td></tr>"; };
  row("予測入電数（計画に使った値の合計）", text::GroupThousands(p.planned_calls) + " 件");
  row("オペレーター延べ時間", text::GroupThousands(p.budget.agent_hours) + " 時間");
  row("オペレーター費用", text::GroupThousands(p.budget.agent_cost) + " 円");
  row("電話回線", std::to_string(p.budget.lines) + " 回線 × " + std::to_string(p.budget.calendar_days) +
                      " 日 = " + text::GroupThousands(p.budget.line_cost) + " 円");
  row("<span class=\"big\">合計</span>", "<span class=\"big\">" + text::GroupThousands(p.budget.total) + " 円</span>");
  row("サービスレベル（アーラン式）", Pct(p.erlang_service_level) + "（目標 " + Pct(info.target_service_level) + "）");
  if (p.sim_service_level)
    row("サービスレベル（シミュレーション）", Pct(*p.sim_service_level) + " ± " + Pct(*p.sim_ci95 ? *p.sim_ci95 : 0));
  row("放棄率（アーラン式）", Pct(p.erlang_abandon));
  if (p.sim_abandon) row("放棄率（シミュレーション）", Pct(*p.sim_abandon));
  row("人数が足りない時間帯", std::to_string(p.short_intervals) + " 区間");
  h += "</table>\n";
  if (p.short_intervals > 0) {
    h += "<p class=\"warn\">" + std::to_string(p.short_intervals) +
         " の時間帯で、目標に必要な人数を配置できていません（上限人数またはシフトの制約）。下の「人数が足りない時間帯」と"
         "「人数の上限を変えた場合」を見て、上限を上げるか、その時間帯のサービスレベルの低下を受け入れるかを決めてください。</p>\n";
  }
  if (!p.proven_optimal) {
    h += "<p class=\"warn\">シフトの最適化は時間制限で止まりました。費用は最善の可能性から " + Pct(p.mip_gap) + " 以内です。</p>\n";
  }
  if (p.sim_service_level) {
    h += "<p>シミュレーションは、話中や放棄のあとにかけ直す人（再発信）と回線数の上限を含みます。そのため、再発信を含まない"
         "アーラン式より低く出ることがあります。</p>\n";
  }

  // Charts.
  h += "<h2 id=\"charts\">グラフ</h2>\n";
  {
    std::vector<std::optional<double>> p50;
    Band band{"10〜90% の範囲", "#7fa7d9", {}, {}};
    std::vector<std::pair<size_t, std::string>> labels;
    double ymax = 0;
    for (size_t i = 0; i < p.days.size(); ++i) {
      const auto& d = p.days[i];
      p50.push_back(d.closed ? std::optional<double>(0.0) : d.p50);
      band.lo.push_back(d.p10);
      band.hi.push_back(d.p90);
      ymax = std::max(ymax, d.p90);
      if (i % std::max<size_t>(1, p.days.size() / 8) == 0) labels.push_back({i, DayLabel(d.day)});
    }
    h += Chart("予測入電数（1日あたり）", p.days.size(), labels, {{"中央値 (p50)", "#1f5fa8", p50}}, band, NiceMax(ymax), false);
  }
  {
    std::vector<std::optional<double>> req, sched, cap;
    std::vector<std::pair<size_t, std::string>> labels;
    double ymax = info.max_agents;
    std::string last;
    const size_t every = std::max<size_t>(1, p.days.size() / 8);
    size_t day_count = 0;
    for (size_t i = 0; i < p.intervals.size(); ++i) {
      const auto& r = p.intervals[i];
      req.push_back(static_cast<double>(r.required));
      sched.push_back(static_cast<double>(r.scheduled));
      cap.push_back(static_cast<double>(info.max_agents));
      ymax = std::max(ymax, static_cast<double>(std::min(r.required, info.max_agents * 3)));
      const std::string d = FormatIsoDate(r.day);
      if (d != last) {
        if (day_count++ % every == 0) labels.push_back({i, DayLabel(r.day)});
        last = d;
      }
    }
    h += Chart("必要人数と配置人数（" + std::to_string(p.interval_minutes) + "分ごと、営業時間のみ）", p.intervals.size(), labels,
               {{"必要人数", "#c0392b", req}, {"配置人数（シフト）", "#1f5fa8", sched, false, true}, {"上限", "#777", cap, true}},
               std::nullopt, NiceMax(ymax), false);
    // The same, closer: a week to a chart, and a day to a chart (folded away; no script needed).
    auto part = [&](const std::string& title, size_t from, size_t to, bool by_day) {
      std::vector<std::optional<double>> rq(req.begin() + from, req.begin() + to), sc(sched.begin() + from, sched.begin() + to),
          cp(cap.begin() + from, cap.begin() + to);
      std::vector<std::pair<size_t, std::string>> xl;
      std::string prev;
      for (size_t i = from; i < to; ++i) {
        const auto& r = p.intervals[i];
        if (by_day) {
          if (r.start_minute % (to - from > 24 ? 120 : 60) == 0) xl.push_back({i - from, FormatClock(r.start_minute)});
        } else if (FormatIsoDate(r.day) != prev) {
          xl.push_back({i - from, DayLabel(r.day)});
          prev = FormatIsoDate(r.day);
        }
      }
      return Chart(title, to - from, xl,
                   {{"必要人数", "#c0392b", rq}, {"配置人数（シフト）", "#1f5fa8", sc, false, true}, {"上限", "#777", cp, true}},
                   std::nullopt, NiceMax(ymax), false);
    };
    std::vector<std::pair<size_t, size_t>> days;  // each day's intervals [from, to)
    for (size_t i = 0; i < p.intervals.size(); ++i) {
      if (days.empty() || p.intervals[i].day != p.intervals[days.back().first].day) days.push_back({i, i});
      days.back().second = i + 1;
    }
    // Weeks from Monday: the open days of each.
    std::vector<std::pair<size_t, size_t>> weeks;  // first and last index into days
    for (size_t k = 0; k < days.size(); ++k) {
      const forecast::Day d = p.intervals[days[k].first].day;
      const forecast::Day monday = d - std::chrono::days{forecast::WeekdayIndex(d)};
      const bool same =
          !weeks.empty() && monday == p.intervals[days[weeks.back().first].first].day -
                                          std::chrono::days{forecast::WeekdayIndex(p.intervals[days[weeks.back().first].first].day)};
      if (same) weeks.back().second = k;
      else weeks.push_back({k, k});
    }
    if (weeks.size() > 1) {
      h += "<details class=\"zoom\"><summary>週ごとに見る（" + std::to_string(weeks.size()) + "週）</summary>";
      for (const auto& [first, last] : weeks) {
        h +=
            part("必要人数と配置人数：" + DayLabel(p.intervals[days[first].first].day) + "〜" + DayLabel(p.intervals[days[last].first].day),
                 days[first].first, days[last].second, false);
      }
      h += "</details>";
    }
    if (!days.empty()) {
      h += "<details class=\"zoom\"><summary>日ごとに見る（" + std::to_string(days.size()) + "日）</summary>";
      for (const auto& [from, to] : days) {
        h += part("必要人数と配置人数：" + DayLabel(p.intervals[from].day), from, to, true);
      }
      h += "</details>";
    }
    std::vector<std::optional<double>> sim, target;
    Band ci{"95% 信頼区間", "#7fb77f", {}, {}};
    bool any = false;
    for (const auto& r : p.intervals) {
      sim.push_back(r.sim_service_level);
      any |= r.sim_service_level.has_value();
      ci.lo.push_back(std::max(0.0, r.sim_service_level.value_or(0) - r.sim_ci95.value_or(0)));
      ci.hi.push_back(std::min(1.0, r.sim_service_level.value_or(0) + r.sim_ci95.value_or(0)));
      target.push_back(info.target_service_level);
    }
    if (any) {
      h += Chart("シミュレーションによるサービスレベル（区間ごと）", p.intervals.size(), labels,
                 {{"サービスレベル", "#2e7d32", sim}, {"目標", "#b35c00", target, true}}, ci, 1.0, true);
    }
  }
  if (!p.what_if.empty()) h += CostCurve(p.what_if, info.target_service_level);

  // What-if table.
  h +=
      "<h2 id=\"what-if\">人数の上限を変えた場合</h2><table><tr><th>同時に入れる上限</th><th>サービスレベル</th><th>放棄率</th><th>延べ時間</th><th>費用（円）</th></tr>";
  for (const auto& w : p.what_if) {
    h += "<tr" + std::string(w.staff_cap == info.max_agents ? " style=\"font-weight:bold\"" : "") + "><td>" + std::to_string(w.staff_cap) +
         " 人</td><td>" + Pct(w.service_level) + "</td><td>" + Pct(w.p_abandon) + "</td><td>" + text::GroupThousands(w.agent_hours) +
         "</td><td>" + text::GroupThousands(w.cost) + "</td></tr>";
  }
  h +=
      "</table><p>太字は今回の上限。費用は各時間帯に必要な人数（上限まで）をそのまま配置した場合の人件費と回線費で、シフトの組み方による端数は"
      "含みません。そのため、シフトで組んだ今回の計画の合計 " +
      text::GroupThousands(p.budget.total) + " 円（延べ " + text::GroupThousands(p.budget.agent_hours) + " 時間）とは一致しません。</p>\n";

  // Short intervals.
  h += "<h2 id=\"short\">人数が足りない時間帯</h2>";
  if (p.short_intervals == 0) {
    h += "<p>ありません。すべての時間帯で目標を満たす人数を配置しています。</p>";
  } else {
    h +=
        "<table><tr><th class=\"l\">日付</th><th>時刻</th><th>予測入電</th><th>必要</th><th>配置</th><th>不足</th><th>サービスレベル</th></tr>";
    int shown = 0;
    for (const auto& r : p.intervals) {
      if (r.short_by <= 0) continue;
      if (++shown > 200) break;
      h += "<tr><td class=\"l\">" + DayLabel(r.day) + "</td><td>" + FormatClock(r.start_minute) + "</td><td>" + Fixed(r.planned_calls, 1) +
           "</td><td>" + std::to_string(r.required) + "</td><td>" + std::to_string(r.scheduled) + "</td><td>" + std::to_string(r.short_by) +
           "</td><td>" + Pct(r.service_level) + "</td></tr>";
    }
    h += "</table>";
    if (shown > 200) h += "<p>（最初の200区間のみ表示。全区間は CSV にあります。）</p>";
  }

  // Shifts.
  h +=
      "<h2 id=\"shifts\">シフト表</h2><table><tr><th class=\"l\">日付</th><th class=\"l\">シフト</th><th>時間</th><th>休憩</th><th>人数</th></tr>";
  for (const auto& s : p.shifts) {
    h += "<tr><td class=\"l\">" + DayLabel(s.day) + "</td><td class=\"l\">" + text::HtmlEscape(s.name) + "</td><td>" +
         FormatClock(s.start_minute) + "–" + FormatClock(s.end_minute) + "</td><td>" +
         (s.break_start >= 0 ? FormatClock(s.break_start) + "–" + FormatClock(s.break_end) : "—") + "</td><td>" + std::to_string(s.count) +
         "</td></tr>";
  }
  h +=
      "</table>\n<p style=\"color:#555\">madoguchi で作成。予測・人数・回線・シミュレーションの方法は docs/planning.md を参照。</p></body></html>\n";
  return h;
}

}  // namespace madoguchi::planning
