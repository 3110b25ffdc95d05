// Staff pages to set up booking: the target list (CSV upload, all rows or none, with a row
// report) and venues with their slots (one at a time, or a day's series).
#include <cstdio>

#include <kainjow/mustache.hpp>

#include "booking/booking.hpp"
#include "common/csv.hpp"
#include "common/text.hpp"
#include "common/time_format.hpp"
#include "store/booking/bookings.hpp"
#include "store/booking/port.hpp"
#include "web/booking/setup.hpp"
#include "web/core/audit.hpp"
#include "web/http/error_mapping.hpp"
#include "web/http/json.hpp"
#include "web/ui/messages.hpp"
#include "web/ui/pages.hpp"

namespace madoguchi::web {

namespace mustache = kainjow::mustache;

namespace {

constexpr size_t kMostSlotsListed = 500;  // the venues page's list; never cut without saying so

const char* kResidentsPage = R"html(<h1>対象者一覧の取り込み：{{tenant_name}}</h1>
<p>いま {{count}} 人が登録されています。</p>
{{#done}}<p class="done" role="status">{{done}}</p>{{/done}}
{{#has_problems}}<div class="error" role="alert"><p>取り込みませんでした（1行でも誤りがあると全体を取り込みません）。</p>
<div class="scroll"><table><thead><tr><th>行</th><th>宛名番号</th><th>項目</th><th>理由</th></tr></thead><tbody>
{{#problems}}<tr><td>{{row}}</td><td>{{address_number}}</td><td>{{field}}</td><td>{{reason}}</td></tr>{{/problems}}
</tbody></table></div>{{#more}}<p>ほかに {{more}} 件の誤りがあります（最初の {{shown}} 件だけを表示しています）。</p>{{/more}}</div>{{/has_problems}}
<form method="post" action="/t/{{tenant}}/residents/import" enctype="multipart/form-data" class="stack">
  <input type="hidden" name="csrf_token" value="{{csrf}}">
  <label for="file">CSVファイル（UTF-8 または Shift_JIS）</label>
  <p class="hint">1行目：宛名番号,券番号,氏名,氏名カナ,生年月日,住所,電話番号（生年月日は YYYY-MM-DD）</p>
  <input id="file" name="file" type="file" accept=".csv,text/csv" required>
  <button type="submit">取り込む</button>
</form>
)html";

const char* kVenuesPage = R"html(<h1>会場と予約枠：{{tenant_name}}</h1>
{{#done}}<p class="done" role="status">{{done}}</p>{{/done}}
{{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
<h2>会場</h2>
<ul class="cards">{{#venues}}<li><strong>{{name}}</strong>　{{address}}（会場番号 {{id}}）
<a href="/t/{{tenant}}/venues/{{id}}">名前・締め切り・定員を変える</a></li>{{/venues}}{{^venues}}<li>まだありません。</li>{{/venues}}</ul>
<form method="post" action="/t/{{tenant}}/venues" class="stack">
  <input type="hidden" name="csrf_token" value="{{csrf}}">
  <label for="name">会場名</label><input id="name" name="name" type="text" required>
  <label for="address">住所</label><input id="address" name="address" type="text">
  <button type="submit">会場を追加</button>
</form>
<h2>予約枠をまとめて作る</h2>
<form method="post" action="/t/{{tenant}}/slots" class="stack">
  <input type="hidden" name="csrf_token" value="{{csrf}}">
  <label for="venue">会場</label>
  <select id="venue" name="venue_id">{{#venues}}<option value="{{id}}"{{#chosen}} selected{{/chosen}}>{{name}}</option>{{/venues}}</select>
  <label for="date">日付</label><input id="date" name="date" type="date" value="{{f_date}}" required>
  <label for="from">開始（例：9:00）</label><input id="from" name="from" type="text" inputmode="numeric" value="{{f_from}}" required>
  <label for="to">終了（例：12:00）</label><input id="to" name="to" type="text" inputmode="numeric" value="{{f_to}}" required>
  <label for="minutes">1枠の長さ（分）</label><input id="minutes" name="minutes" type="text" inputmode="numeric" value="{{f_minutes}}" required>
  <label for="capacity">1枠の定員</label><input id="capacity" name="capacity" type="text" inputmode="numeric" value="{{f_capacity}}" required>
  <label for="vaccine">ワクチン</label>
  <select id="vaccine" name="vaccine">{{#vaccines}}<option value="{{code}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/vaccines}}</select>
  <label for="dose">接種回</label><input id="dose" name="dose" type="text" inputmode="numeric" value="{{f_dose}}" required>
  <button type="submit">予約枠を作る</button>
</form>
<h2>これからの予約枠</h2>
{{#capped}}<p class="note">近い順に {{capped}} 枠まで表示しています。会場ごとの画面では、その会場の枠を 1,000 枠まで表示します。</p>{{/capped}}
<div class="scroll"><table><thead><tr><th>日時</th><th>会場</th><th>状態</th><th>定員</th><th>残り</th><th>ワクチン</th><th>回</th></tr></thead><tbody>
{{#slots}}<tr><td>{{when}}</td><td>{{venue}}</td><td>{{state}}</td><td class="num">{{capacity}}</td><td class="num">{{remaining}}</td><td>{{vaccine}}</td><td class="num">{{dose}}</td></tr>{{/slots}}
</tbody></table></div>
)html";

// What the admin reads about a row: the catalogue's words for the problem's key (never the
// engine's English reason), and for a repeat, which row it repeats. Rows are named as a
// spreadsheet shows the file (the header is 1行目, as the form says): data row N is line N + 1.
std::string RowProblemText(const booking::RowProblem& p) {
  if (p.key.empty()) return p.reason;  // written in Japanese by this page
  std::string text = ui::ErrorText(InvalidArgumentError(p.field, p.reason, p.key));
  if (p.other_row > 0) text += "（" + std::to_string(p.other_row + 1) + "行目と同じです）";
  return text;
}

}  // namespace

HttpResponse BookingSetupHandlers::ResidentsImportPage(RequestContext& ctx, int status, const std::string& done,
                                                       const std::vector<booking::RowProblem>& problems) {
  int64_t count = 0;
  Status s = store::WithConnection(db_, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(count, store::CountResidents(conn, ctx.tenant));
    return Status::Ok();
  });
  if (!s.ok()) return ErrorPage(&ctx, HttpStatusFor(s.code()), ui::ErrorText(s));
  mustache::data d;
  d.set("tenant", ctx.tenant);
  if (Status known = tenants_.RequireExists(ctx.tenant); !known.ok())
    return ErrorPage(&ctx, HttpStatusFor(known.code()), ui::ErrorText(known));
  d.set("tenant_name", tenants_.Name(ctx.tenant));
  d.set("csrf", ctx.principal->csrf_token);
  d.set("count", std::to_string(count));
  if (!done.empty()) d.set("done", done);
  mustache::data list{mustache::data::type::list};
  constexpr size_t kShown = 500;
  for (size_t i = 0; i < problems.size() && i < kShown; ++i) {
    mustache::data p;
    p.set("address_number", problems[i].address_number);
    p.set("row", problems[i].row > 0 ? std::to_string(problems[i].row + 1) : "");
    p.set("field", problems[i].field);
    p.set("reason", RowProblemText(problems[i]));
    list.push_back(p);
  }
  d.set("problems", list);
  if (problems.size() > kShown) {
    d.set("more", std::to_string(problems.size() - kShown));
    d.set("shown", std::to_string(kShown));
  }
  if (!problems.empty()) d.set("has_problems", mustache::data::type::bool_true);
  return HtmlResponse(status, PageShell("対象者一覧", Render(kResidentsPage, d), &*ctx.principal));
}

HttpResponse BookingSetupHandlers::PageResidents(RequestContext& ctx) { return ResidentsImportPage(ctx, 200, "", {}); }

HttpResponse BookingSetupHandlers::PageResidentsImport(RequestContext& ctx) {
  const std::string bytes = ctx.request.Param("file").value_or("");
  auto text = csv::ToUtf8(bytes);
  if (!text.ok()) return ResidentsImportPage(ctx, 422, "", {{0, "", "文字コードが UTF-8 でも Shift_JIS でもありません。"}});
  const std::vector<std::string> header(std::begin(booking::kResidentColumns), std::end(booking::kResidentColumns));
  auto rows = csv::ReadCsvWithHeader(*text, header);
  if (!rows.ok()) {
    const Status& e = rows.status();
    if (e.key() == "csv_stray_quote" || e.key() == "csv_unclosed_quote") {
      // The reader names "row N (line L), column C": the line as a spreadsheet or editor shows it.
      int line = 0, column = 0;
      std::sscanf(e.field().c_str(), "%*[^(](line %d), column %d", &line, &column);
      // The line as a spreadsheet shows it (the header is line 1), and the column's name.
      const std::string name = column >= 1 && column <= 7 ? std::string("（") + booking::kResidentColumns[column - 1] + "）" : "";
      const std::string where = std::to_string(line) + "行目の" + std::to_string(column) + "列目" + name;
      const std::string what =
          e.key() == "csv_unclosed_quote"
              ? "で始まる引用符（\"）が閉じられていません。"
              : "に、引用符（\"）の使い方の誤りがあります。セル全体を \" で囲み、中の \" は \"\" と2つ重ねてください。";
      return ResidentsImportPage(ctx, 422, "",
                                 {{line - 1, column >= 1 && column <= 7 ? booking::kResidentColumns[column - 1] : "",
                                   where + what + "ファイルは取り込んでいません。"}});
    }
    return ResidentsImportPage(ctx, 422, "",
                               {{0, "1行目", "見出しは 宛名番号,券番号,氏名,氏名カナ,生年月日,住所,電話番号 にしてください。"}});
  }
  const booking::ImportCheck check = booking::ValidateResidentList(*rows, JapanDay(clock_.NowMs()));
  if (!check.problems.empty()) return ResidentsImportPage(ctx, 422, "", check.problems);
  booking::ImportCounts counts;
  Status s = writer_.Run([&](store::Connection& conn) -> Status {
    store::SqlBookingPort port(conn);
    MADOGUCHI_ASSIGN_OR_RETURN(counts, booking_.ImportTargetList(port, ctx.tenant, check.residents));
    return Audit(clock_, conn, ctx, ctx.tenant, "residents.import", "residents:" + std::to_string(check.residents.size()));
  });
  if (!s.ok()) {
    if (s.field().starts_with("row "))
      return ResidentsImportPage(ctx, 422, "", {{std::stoi(s.field().substr(4)), "券番号", ui::ErrorText(s)}});
    return ErrorPage(&ctx, HttpStatusFor(s.code()), ui::ErrorText(s));
  }
  return ResidentsImportPage(ctx, 200,
                             std::to_string(check.residents.size()) + " 人を取り込みました（追加 " + std::to_string(counts.inserted) +
                                 "、更新 " + std::to_string(counts.updated) + "）。",
                             {});
}

HttpResponse BookingSetupHandlers::VenuesPage(RequestContext& ctx, int status, const std::string& done, const std::string& error,
                                              bool keep_typed) {
  std::vector<store::VenueRow> venues;
  std::vector<booking::SlotRecord> slots;
  Status s = store::WithConnection(db_, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(venues, store::ListVenues(conn, ctx.tenant));
    store::SlotFilter f;
    f.after_ms = clock_.NowMs();
    f.limit = kMostSlotsListed;
    MADOGUCHI_ASSIGN_OR_RETURN(slots, store::ListSlots(conn, ctx.tenant, f));
    return Status::Ok();
  });
  if (!s.ok()) return ErrorPage(&ctx, HttpStatusFor(s.code()), ui::ErrorText(s));
  mustache::data d;
  d.set("tenant", ctx.tenant);
  d.set("tenant_name", tenants_.Name(ctx.tenant));
  d.set("csrf", ctx.principal->csrf_token);
  if (!done.empty()) d.set("done", done);
  if (!error.empty()) d.set("error", error);
  // The series form: as typed after a refusal (nothing typed is lost), else the usual morning.
  auto typed = [&](const char* field, const char* usual) {
    return keep_typed ? ctx.request.Param(field).value_or("") : std::string(usual);
  };
  d.set("f_date", typed("date", ""));
  d.set("f_from", typed("from", "9:00"));
  d.set("f_to", typed("to", "12:00"));
  d.set("f_minutes", typed("minutes", "30"));
  d.set("f_capacity", typed("capacity", "20"));
  d.set("f_dose", typed("dose", "1"));
  const std::string vaccine = typed("vaccine", "pfizer");
  mustache::data vaccines{mustache::data::type::list};
  for (const ui::VaccineChoice& v : ui::VaccineChoices()) {
    mustache::data o;
    o.set("code", std::string(v.code));
    o.set("label", std::string(v.label));
    if (v.code == vaccine) o.set("selected", mustache::data::type::bool_true);
    vaccines.push_back(o);
  }
  d.set("vaccines", vaccines);
  const std::string chosen_venue = keep_typed ? ctx.request.Param("venue_id").value_or("") : "";
  mustache::data vl{mustache::data::type::list};
  for (const auto& v : venues) {
    mustache::data x;
    x.set("id", std::to_string(v.id));
    if (std::to_string(v.id) == chosen_venue) x.set("chosen", mustache::data::type::bool_true);
    x.set("tenant", ctx.tenant);
    x.set("name", v.name);
    x.set("address", v.address);
    vl.push_back(x);
  }
  d.set("venues", vl);
  mustache::data sl{mustache::data::type::list};
  for (const auto& slot : slots) {
    mustache::data x;
    x.set("when", FormatTokyo(slot.starts_at_ms).substr(0, 16));
    x.set("venue", slot.venue_name);
    x.set("state", std::string(ui::SlotStateLabel(slot.closed, slot.remaining())));
    x.set("capacity", std::to_string(slot.capacity));
    x.set("remaining", std::to_string(slot.remaining()));
    x.set("vaccine", slot.vaccine);
    x.set("dose", std::to_string(slot.dose));
    sl.push_back(x);
  }
  d.set("slots", sl);
  if (slots.size() >= kMostSlotsListed) d.set("capped", std::to_string(kMostSlotsListed));
  return HtmlResponse(status, PageShell("会場と予約枠", Render(kVenuesPage, d), &*ctx.principal));
}

HttpResponse BookingSetupHandlers::PageVenues(RequestContext& ctx) { return VenuesPage(ctx, 200, "", ""); }

HttpResponse BookingSetupHandlers::PageVenueCreate(RequestContext& ctx) {
  booking::Venue v{ctx.request.Param("name").value_or(""), ctx.request.Param("address").value_or("")};
  if (Status bad = booking::ValidateVenue(v); !bad.ok()) {
    return VenuesPage(ctx, 422, "", ui::ErrorText(InvalidArgumentError(bad.field(), bad.message(), "bad_venue")));
  }
  Status s = store::InTransaction(db_, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(int64_t id, store::InsertVenue(conn, ctx.tenant, v, clock_.NowMs()));
    return Audit(clock_, conn, ctx, ctx.tenant, "venue.create", "venue:" + std::to_string(id));
  });
  if (!s.ok()) return ErrorPage(&ctx, HttpStatusFor(s.code()), ui::ErrorText(s));
  return VenuesPage(ctx, 200, "会場「" + v.name + "」を追加しました。", "");
}

// A day's series of slots: [from, to) cut into `minutes`-long slots at one venue.
HttpResponse BookingSetupHandlers::PageSlotsCreate(RequestContext& ctx) {
  // Whole numbers only: "30abc" is refused, not read as 30.
  // As typed with the IME on: full-width digits and colons read too.
  auto typed = [&](const char* k) { return text::AsTyped(ctx.request.Param(k).value_or("")); };
  auto num = [&](const char* k) { return ParseId(typed(k)); };
  const auto venue = num("venue_id"), minutes = num("minutes"), capacity = num("capacity"), dose = num("dose");
  const auto day = ParseIsoDate(typed("date"));
  const auto from = ParseClock(typed("from")), to = ParseClock(typed("to"));
  auto refuse = [&](const char* field) {
    return VenuesPage(ctx, 422, "", ui::ErrorText(InvalidArgumentError(field, "see the form", "bad_slot_series")), true);
  };
  if (!venue || !day) return refuse("venue_id");
  if (!from || !to || *to <= *from) return refuse("from");
  if (!minutes || *minutes < 5 || *minutes > 240) return refuse("minutes");
  if (!capacity || !dose) return refuse("capacity");
  // Checked before narrowing to int: 4294967297 must not become 1.
  if (*capacity > 100000) return refuse("capacity_range");
  if (*dose > 10) return refuse("dose");
  auto series = booking::SlotSeries(*day, *from, *to, static_cast<int>(*minutes), static_cast<int>(*capacity),
                                    ctx.request.Param("vaccine").value_or(""), static_cast<int>(*dose));
  if (!series.ok()) return VenuesPage(ctx, 422, "", ui::ErrorText(series.status()), true);
  Status s = store::InTransaction(db_, [&](store::Connection& conn) -> Status {
    for (const auto& slot : *series) {
      MADOGUCHI_ASSIGN_OR_RETURN(int64_t id, store::InsertSlot(conn, ctx.tenant, *venue, slot, clock_.NowMs()));
      MADOGUCHI_RETURN_IF_ERROR(Audit(clock_, conn, ctx, ctx.tenant, "slot.create", "slot:" + std::to_string(id)));
    }
    return Status::Ok();
  });
  if (s.code() == StatusCode::kNotFound) return VenuesPage(ctx, 422, "", ui::ErrorText(s), true);
  if (s.code() == StatusCode::kAlreadyExists) return VenuesPage(ctx, 409, "", ui::ErrorText(s), true);
  if (!s.ok()) return ErrorPage(&ctx, HttpStatusFor(s.code()), ui::ErrorText(s));
  return VenuesPage(ctx, 200, std::to_string(series->size()) + " 枠を作りました。", "");
}

}  // namespace madoguchi::web
