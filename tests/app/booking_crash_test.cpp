// Black-box: the booking guarantees with real server processes. A kill -9 in the middle of a rush
// loses no booking that was acknowledged; two servers sharing one database never sell more seats
// than there are. On SQLite and on PostgreSQL.
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>

#include "app/process.hpp"
#include "support/test_db.hpp"

namespace madoguchi::testing {
namespace {

constexpr int kResidents = 3000;

std::string Ticket(int i) { return std::to_string(6000000000LL + i); }
std::string Birth(int i) { return "19" + std::to_string(40 + i % 30) + "-0" + std::to_string(1 + i % 9) + "-1" + std::to_string(i % 10); }

class BookingProcessTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    tdb_ = std::make_unique<TestDatabase>(GetParam());
    MADOGUCHI_REQUIRE_DB(*tdb_);
    dir_ = MakeTempDir();
    ASSERT_EQ(Cli({"tenant", "add", "--code", "452041", "--name", "日南市"}).exit_code, 0);
    ASSERT_EQ(Cli({"user", "add", "--login", "adm", "--role", "admin", "--tenant", "452041"}, "process test password\n").exit_code, 0);
    auto token = Cli({"token", "add", "--login", "adm", "--name", "t"});
    ASSERT_EQ(token.exit_code, 0);
    token_ = token.out.substr(token.out.rfind("mdg_"));
    token_ = token_.substr(0, token_.find_first_of("\r\n "));
    std::ofstream list(dir_ + "/list.csv");
    list << "宛名番号,券番号,氏名,氏名カナ,生年月日,住所,電話番号\n";
    for (int i = 0; i < kResidents; ++i) list << 50000 + i << "," << Ticket(i) << ",住民,ジュウミン," << Birth(i) << ",日南市,\n";
    list.close();
    auto imported = Cli({"residents", "import", "--tenant", "452041", dir_ + "/list.csv"});
    ASSERT_EQ(imported.exit_code, 0) << imported.err;
  }
  void TearDown() override {
    for (pid_t p : pids_) {
      kill(p, SIGKILL);
      WaitExit(p, std::chrono::seconds(5));
    }
  }
  ProcessResult Cli(std::vector<std::string> args, const std::string& in = "") {
    return RunMadoguchi(std::move(args), tdb_->url(), dir_, in);
  }
  int Start() {
    const int port = FreePort();
    pid_t pid = Spawn({MADOGUCHI_BINARY, "serve", "--db", tdb_->url(), "--listen", "127.0.0.1:" + std::to_string(port)}, "",
                      dir_ + "/serve" + std::to_string(port) + ".out", dir_ + "/serve" + std::to_string(port) + ".err");
    pids_.push_back(pid);
    httplib::Client c("127.0.0.1", port);
    for (int i = 0; i < 400; ++i) {
      auto r = c.Get("/healthz");
      if (r && r->status == 200) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    return port;
  }
  // Slots 1..n with `seats` each, created through the API of the server on `port`.
  void Slots(int port, int n, int seats) {
    httplib::Client c("127.0.0.1", port);
    httplib::Headers h = {{"Authorization", "Bearer " + token_}};
    auto v = c.Post("/api/v1/t/452041/venues", h, R"({"name":"会場","address":"日南市"})", "application/json");
    ASSERT_TRUE(v && v->status == 201) << (v ? v->body : "no answer");
    for (int i = 0; i < n; ++i) {
      const std::string day = "2099-05-" + std::string(i < 9 ? "0" : "") + std::to_string(i + 1);
      const nlohmann::json body = {{"venue_id", 1},
                                   {"starts_at", day + "T09:00:00+09:00"},
                                   {"ends_at", day + "T09:30:00+09:00"},
                                   {"capacity", seats},
                                   {"vaccine", "pfizer"},
                                   {"dose", 1}};
      auto r = c.Post("/api/v1/t/452041/slots", h, body.dump(), "application/json");
      ASSERT_TRUE(r && r->status == 201) << (r ? r->body : "no answer");
    }
  }
  // Clients booking residents [from, to) against `ports` round-robin until stopped; the 201 codes.
  std::vector<std::string> Rush(const std::vector<int>& ports, int threads, int from, int to, int slots, std::atomic<bool>& stop,
                                std::atomic<int>& created) {
    std::mutex mu;
    std::vector<std::string> codes;
    std::atomic<int> next{from};
    std::vector<std::thread> ts;
    for (int t = 0; t < threads; ++t) {
      ts.emplace_back([&, t] {
        httplib::Client c("127.0.0.1", ports[t % ports.size()]);
        c.set_keep_alive(true);
        c.set_tcp_nodelay(true);
        c.set_read_timeout(5);
        while (!stop) {
          const int i = next.fetch_add(1);
          if (i >= to) break;
          const nlohmann::json body = {{"ticket_number", Ticket(i)}, {"birth_date", Birth(i)}, {"slot_id", 1 + i % slots}};
          auto r = c.Post("/api/v1/t/452041/bookings", {{"Idempotency-Key", "k" + std::to_string(i)}}, body.dump(), "application/json");
          if (r && r->status == 201) {
            std::lock_guard lock(mu);
            codes.push_back(nlohmann::json::parse(r->body)["confirmation_code"]);
            ++created;
          }
        }
      });
    }
    for (auto& th : ts) th.join();
    return codes;
  }
  nlohmann::json Check(const std::vector<std::string>& codes) {
    std::ofstream f(dir_ + "/codes.txt");
    for (const auto& c : codes) f << c << "\n";
    f.close();
    auto r = Cli({"bookings", "check", "--tenant", "452041", "--codes", dir_ + "/codes.txt"});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    return nlohmann::json::parse(r.out);
  }

  std::unique_ptr<TestDatabase> tdb_;
  std::string dir_, token_;
  std::vector<pid_t> pids_;
};

TEST_P(BookingProcessTest, KillDashNineMidRushLosesNoAcknowledgedBooking) {
  const int port = Start();
  Slots(port, 20, 200);
  std::atomic<bool> stop{false};
  std::atomic<int> created{0};
  std::thread killer([&] {
    while (created.load() < 300) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    kill(pids_.back(), SIGKILL);  // no warning, mid-request
    WaitExit(pids_.back(), std::chrono::seconds(5));
    pids_.pop_back();
    stop = true;
  });
  const auto codes = Rush({port}, 16, 0, kResidents, 20, stop, created);
  killer.join();
  ASSERT_GE(codes.size(), 300u);
  // Restart on the same database: every code a client was given is there, booked.
  const int again = Start();
  httplib::Client c("127.0.0.1", again);
  auto slots = c.Get("/api/v1/t/452041/slots");
  ASSERT_TRUE(slots && slots->status == 200);
  const auto check = Check(codes);
  EXPECT_EQ(check["missing"], 0) << check.dump();
  EXPECT_EQ(check["not_booked"], 0);
  EXPECT_EQ(check["slots_over_capacity"], 0);
  EXPECT_EQ(check["slot_count_mismatch"], 0);
  EXPECT_GE(check["active_bookings"].get<size_t>(), codes.size()) << "some bookings committed as the server died, unanswered";
}

TEST_P(BookingProcessTest, TwoServersOnOneDatabaseSellExactlyTheSeats) {
  const int a = Start(), b = Start();
  Slots(a, 3, 10);  // 30 seats
  std::atomic<bool> stop{false};
  std::atomic<int> created{0};
  const auto codes = Rush({a, b}, 24, 0, kResidents, 3, stop, created);
  EXPECT_LE(codes.size(), 30u);
  EXPECT_GE(codes.size(), 25u) << "a client may time out on a booking that still commits, but not many";
  const auto check = Check(codes);
  EXPECT_EQ(check["active_bookings"], 30);
  EXPECT_EQ(check["missing"], 0);
  EXPECT_EQ(check["slots_over_capacity"], 0);
  EXPECT_EQ(check["slot_count_mismatch"], 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, BookingProcessTest, ::testing::ValuesIn(Backends()), [](const auto& info) { return info.param; });

}  // namespace
}  // namespace madoguchi::testing
