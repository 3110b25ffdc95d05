// A day of health check-ins for N home-care patients (issue #13, docs/benchmarks.md), through the
// real engine and store on a real database, the clock set to the day's times:
//   09:00 the rounds send every patient's check-in into the outbox (batches of 500, as `serve`
//         and `worker` run them);
//   then  most patients answer (the form's report, one transaction each as the page makes it,
//         a share of them by number reply) — some with SpO2 92 (P0) or breathless (P1);
//   12:00 the rounds remind those who have not answered;
//   15:00 the rounds put those still silent on the call list;
//   then  the operators' call list and the supervisors' dashboard are read.
// Reports the time of each step, its rate, the call list's and the dashboard's read time, and the
// process's peak memory. Patients are seeded by SQL (one application copied N times). The links
// are signed with the database's own secret, so `serve` on the database opens them: --send-only
// stops after the 09:00 rounds, for bench/check_in_load.mjs to answer them through the pages.
//
//   check_in_day --db sqlite:/tmp/c.db [--patients 100000] [--answer 0.8] [--number-reply 0.1] [--send-only 1]
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <random>
#include <string>

#include "care/follow_up.hpp"
#include "common/clock.hpp"
#include "common/crypto.hpp"
#include "common/time_format.hpp"
#include "store/accounts/accounts.hpp"
#include "store/booking/bookings.hpp"
#include "store/care/follow_up.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"

namespace {

using namespace madoguchi;
using Steady = std::chrono::steady_clock;

constexpr char kTenant[] = "430005";

double Seconds(Steady::time_point from) { return std::chrono::duration<double>(Steady::now() - from).count(); }

long PeakMiB() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024;
}

[[noreturn]] void Fail(const Status& s) {
  std::cerr << "check_in_day: " << s.ToString() << "\n";
  std::exit(1);
}

template <typename T>
T Must(Result<T> r) {
  if (!r.ok()) Fail(r.status());
  return std::move(*r);
}

care::RoundCounts Rounds(store::Database& db, const care::FollowUpService& f) {
  care::RoundCounts total;
  for (bool more = true; more;) {
    care::RoundCounts n;
    Status s = store::InTransaction(db, [&](store::Connection& c) -> Status {
      store::SqlFollowUpPort port(c);
      MADOGUCHI_ASSIGN_OR_RETURN(n, f.Round(port, kTenant, 500));
      return Status::Ok();
    });
    if (!s.ok()) Fail(s);
    total.sent += n.sent;
    total.reminded += n.reminded;
    total.missed += n.missed;
    total.ended += n.ended;
    more = n.more && (n.sent + n.reminded + n.missed + n.ended) > 0;
  }
  return total;
}

void Seed(store::Database& db, int patients, booking::Day today, int64_t now_ms) {
  const int64_t day = today.time_since_epoch().count();
  Status s = store::InTransaction(db, [&](store::Connection& c) -> Status {
    MADOGUCHI_RETURN_IF_ERROR(store::InsertTenant(c, {kTenant, "熊本県", now_ms}));
    // One application and N copies of it, each with its episode: ages 20-89, a third with a risk factor.
    MADOGUCHI_RETURN_IF_ERROR(
        c.Query("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
                "INSERT INTO care_applications (tenant_code, receipt, state, queue_rank, answers, family_kana, phone, reading, category, "
                "test_line, submitted_at, updated_at) SELECT ?, 'R' || CAST(i AS TEXT), 'confirmed', 0, '{}', 'クマモト', '+819012345678', "
                "'{}', 'readable', 0.5, ?, ? FROM n",
                {int64_t{patients}, std::string(kTenant), now_ms, now_ms})
            .status());
    return c
        .Query(
            "INSERT INTO care_episodes (tenant_code, application_id, state, starts_on, planned_end_on, created_at, first_check_in_on, "
            "name, kana, phone, email, age, risk_factors) SELECT tenant_code, id, 'active', ?, ?, ?, ?, '熊本 花子', 'クマモト ハナコ', "
            "'+8190' || CAST(10000000 + id AS TEXT), '', 20 + id % 70, CASE WHEN id % 3 = 0 THEN 1 ELSE 0 END "
            "FROM care_applications WHERE tenant_code = ?",
            {day - 3, day + 4, now_ms, day - 2, std::string(kTenant)})
        .status();
  });
  if (!s.ok()) Fail(s);
}

}  // namespace

int main(int argc, char** argv) {
  std::string url;
  int patients = 100000;
  double answer = 0.8, number_reply = 0.1;
  bool send_only = false;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--db") url = v;
    else if (k == "--patients") patients = std::stoi(v);
    else if (k == "--answer") answer = std::stod(v);
    else if (k == "--number-reply") number_reply = std::stod(v);
    else if (k == "--send-only") send_only = v == "1";
  }
  if (url.empty()) {
    std::cerr << "usage: check_in_day --db URL [--patients N] [--answer 0.8] [--number-reply 0.1]\n";
    return 2;
  }
  auto db = Must(store::OpenDatabase(url));
  Must(store::Migrate(*db));
  FakeClock clock;
  const booking::Day today = JapanDay(SystemClock().NowMs());
  const care::CheckInTimes times = care::CheckInTimesOn(today, care::CheckInRules{});
  clock.SetMs(times.send_at_ms - 3'600'000);
  auto t0 = Steady::now();
  Seed(*db, patients, today, clock.NowMs());
  std::printf("seeded %d patients in %.1f s\n", patients, Seconds(t0));

  // The server's own secret (web::LoadSigningSecret's), so that its pages open the links.
  std::string secret;
  if (Status got = store::InTransaction(
          *db,
          [&](store::Connection& c) -> Status {
            MADOGUCHI_ASSIGN_OR_RETURN(secret, store::LoadOrCreateSecret(c, "resident_signing", crypto::RandomToken(32), clock.NowMs()));
            return Status::Ok();
          });
      !got.ok())
    Fail(got);
  const care::FollowUpService follow_up(clock, secret);
  clock.SetMs(times.send_at_ms);
  t0 = Steady::now();
  care::RoundCounts sent = Rounds(*db, follow_up);
  const double send_s = Seconds(t0);
  std::printf("09:00 rounds: %d check-ins sent (outbox) in %.1f s = %.0f/s\n", sent.sent, send_s, sent.sent / send_s);
  if (send_only) return sent.sent > 0 ? 0 : 1;

  // Answers, one transaction each, as the page and the SMS hook make them.
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> u(0, 1);
  std::vector<int64_t> ids;
  Status s = store::WithConnection(*db, [&](store::Connection& c) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(store::Rows rows, c.Query("SELECT id FROM care_check_ins ORDER BY id"));
    for (const auto& r : rows) ids.push_back(r.Int(0));
    return Status::Ok();
  });
  if (!s.ok()) Fail(s);
  int forms = 0, numbers = 0, p0 = 0;
  std::vector<double> latencies;
  clock.SetMs(times.send_at_ms + 30 * 60'000);
  t0 = Steady::now();
  for (int64_t id : ids) {
    if (u(rng) >= answer) continue;
    const bool by_number = u(rng) < number_reply;
    const double x = u(rng);
    auto one = Steady::now();
    s = store::InTransaction(*db, [&](store::Connection& c) -> Status {
      store::SqlFollowUpPort port(c);
      if (by_number) {
        return follow_up.NumberReplied(port, kTenant, id, x < 0.05 ? care::NumberReply::kCallMe : care::NumberReply::kNoChange).status();
      }
      care::HealthReport r;
      r.temperature = 36.5 + x;
      r.spo2 = x < 0.01 ? 92 : 97;
      if (x > 0.97) r.answers[static_cast<size_t>(care::Symptom::kBreathless)] = care::Answer::kYes;
      return follow_up.Report(port, kTenant, id, r, care::ReportSource::kForm).status();
    });
    if (!s.ok()) Fail(s);
    latencies.push_back(Seconds(one) * 1000);
    (by_number ? numbers : forms) += 1;
    if (!by_number && x < 0.01) ++p0;
  }
  const double answer_s = Seconds(t0);
  std::sort(latencies.begin(), latencies.end());
  auto pct = [&](double p) {
    return latencies.empty() ? 0.0 : latencies[std::min(latencies.size() - 1, static_cast<size_t>(p * latencies.size()))];
  };
  std::printf(
      "answers: %d forms + %d number replies (%d with SpO2 92) in %.1f s = %.0f/s; per report p50 %.2f ms, p95 %.2f ms, p99 %.2f ms\n",
      forms, numbers, p0, answer_s, (forms + numbers) / answer_s, pct(0.5), pct(0.95), pct(0.99));

  clock.SetMs(times.remind_at_ms);
  t0 = Steady::now();
  care::RoundCounts reminded = Rounds(*db, follow_up);
  std::printf("12:00 rounds: %d reminders in %.1f s\n", reminded.reminded, Seconds(t0));
  clock.SetMs(times.call_at_ms);
  t0 = Steady::now();
  care::RoundCounts missed = Rounds(*db, follow_up);
  std::printf("15:00 rounds: %d missed onto the call list in %.1f s\n", missed.missed, Seconds(t0));

  size_t listed = 0;
  store::CareDashboard dash;
  double list_ms = 0, dash_ms = 0;
  s = store::WithConnection(*db, [&](store::Connection& c) -> Status {
    auto a = Steady::now();
    MADOGUCHI_ASSIGN_OR_RETURN(auto list, store::ListCallList(c, kTenant, today, 500));
    list_ms = Seconds(a) * 1000;
    listed = list.size();
    a = Steady::now();
    MADOGUCHI_ASSIGN_OR_RETURN(dash, store::GetCareDashboard(c, kTenant, clock.NowMs()));
    dash_ms = Seconds(a) * 1000;
    return Status::Ok();
  });
  if (!s.ok()) Fail(s);
  std::printf(
      "call list (first 500 of P0 %lld, P1 %lld, P2 %lld, P3 %lld) read in %.1f ms; dashboard (%lld sent, %lld answered, %zu open P0 shown) in %.1f ms\n",
      static_cast<long long>(dash.to_call[0]), static_cast<long long>(dash.to_call[1]), static_cast<long long>(dash.to_call[2]),
      static_cast<long long>(dash.to_call[3]), list_ms, static_cast<long long>(dash.days.empty() ? 0 : dash.days[0].sent),
      static_cast<long long>(dash.days.empty() ? 0 : dash.days[0].answered), dash.open_p0.size(), dash_ms);
  std::printf("peak memory %ld MiB\n", PeakMiB());
  return listed > 0 ? 0 : 1;
}
