// Black-box: the throttles hold across processes. Two `madoguchi serve` processes on one
// database (SQLite and PostgreSQL) take 200 parallel wrong passwords for one account and 200
// parallel wrong birth dates for one ticket: at most the limit (5) are checked, the rest are
// refused as throttled, and then even the right answer waits (issue #9, items 7 and 8).
#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>

#include <atomic>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

#include "app/process.hpp"
#include "support/test_db.hpp"

namespace madoguchi::testing {
namespace {

constexpr const char* kPw = "the right password 1";

class ThrottleAcrossProcessesTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    tdb_ = std::make_unique<TestDatabase>(GetParam());
    MADOGUCHI_REQUIRE_DB(*tdb_);
    dir_ = MakeTempDir();
    ASSERT_EQ(Cli({"tenant", "add", "--code", "452041", "--name", "日南市"}).exit_code, 0);
    auto user = Cli({"user", "add", "--login", "sup", "--role", "supervisor", "--tenant", "452041"}, std::string(kPw) + "\n");
    ASSERT_EQ(user.exit_code, 0) << user.err;
    std::ofstream(dir_ + "/list.csv") << "宛名番号,券番号,氏名,氏名カナ,生年月日,住所,電話番号\n"
                                      << "1001,4520410001,日南 花子,ニチナン ハナコ,1948-05-06,日南市,\n";
    auto imported = Cli({"residents", "import", "--tenant", "452041", dir_ + "/list.csv"});
    ASSERT_EQ(imported.exit_code, 0) << imported.err;
    for (int i = 0; i < 2; ++i) {
      ports_[i] = FreePort();
      pids_[i] = Spawn({MADOGUCHI_BINARY, "serve", "--db", tdb_->url(), "--listen", "127.0.0.1:" + std::to_string(ports_[i])}, "",
                       dir_ + "/serve" + std::to_string(i) + ".out", dir_ + "/serve" + std::to_string(i) + ".err");
      httplib::Client c("127.0.0.1", ports_[i]);
      c.set_connection_timeout(0, 200'000);
      const auto t0 = std::chrono::steady_clock::now();
      bool up = false;
      while (!up && std::chrono::steady_clock::now() - t0 < std::chrono::seconds(15)) {
        auto r = c.Get("/healthz");
        up = r && r->status == 200;
        if (!up) std::this_thread::sleep_for(std::chrono::milliseconds(25));
      }
      ASSERT_TRUE(up) << ReadFile(dir_ + "/serve" + std::to_string(i) + ".err");
    }
  }
  void TearDown() override {
    for (pid_t& pid : pids_) {
      if (pid > 0) {
        kill(pid, SIGTERM);
        WaitExit(pid, std::chrono::seconds(15));
      }
    }
  }
  ProcessResult Cli(std::vector<std::string> args, const std::string& in = "") {
    return RunMadoguchi(std::move(args), tdb_->url(), dir_, in);
  }

  // Sends `body` to `path` 200 times at once, alternating between the two processes; the count
  // of each HTTP status.
  std::map<int, int> Burst(const std::string& path, const std::function<std::string(int)>& body) {
    std::map<int, int> counts;
    std::mutex mu;
    std::vector<std::thread> threads;
    std::atomic<bool> go{false};
    for (int i = 0; i < 200; ++i) {
      threads.emplace_back([&, i] {
        httplib::Client c("127.0.0.1", ports_[i % 2]);
        c.set_read_timeout(60, 0);
        const std::string b = body(i);
        while (!go.load()) std::this_thread::yield();
        auto r = c.Post(path, b, "application/json");
        std::lock_guard lock(mu);
        ++counts[r ? r->status : -1];
      });
    }
    go = true;
    for (auto& t : threads) t.join();
    return counts;
  }

  std::unique_ptr<TestDatabase> tdb_;
  std::string dir_;
  int ports_[2] = {0, 0};
  pid_t pids_[2] = {-1, -1};
};

TEST_P(ThrottleAcrossProcessesTest, ParallelWrongPasswordsAreCheckedAtMostTheLimit) {
  auto counts = Burst("/api/v1/session", [](int i) {
    return nlohmann::json{{"login", "sup"}, {"password", "wrong password " + std::to_string(i)}}.dump();
  });
  EXPECT_LE(counts[401], 5) << "401s: passwords actually checked";
  EXPECT_GE(counts[401], 1);
  EXPECT_EQ(counts[401] + counts[429], 200) << "every other answer is 429";
  // The right password now waits out the window, on either process.
  for (int port : ports_) {
    httplib::Client c("127.0.0.1", port);
    auto r = c.Post("/api/v1/session", nlohmann::json{{"login", "sup"}, {"password", kPw}}.dump(), "application/json");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 429) << r->body;
    EXPECT_EQ(nlohmann::json::parse(r->body)["error"]["code"], "throttled");
  }
  // The platform's security log shows the attack and its source (issue #9, item 14).
  auto log = Cli({"audit", "security", "--limit", "500"});
  ASSERT_EQ(log.exit_code, 0) << log.err;
  EXPECT_NE(log.out.find("session.login_locked\tlogin:sup\t127.0.0.1"), std::string::npos) << log.out.substr(0, 2000);
  EXPECT_NE(log.out.find("session.login_failed"), std::string::npos);
}

TEST_P(ThrottleAcrossProcessesTest, ParallelWrongBirthDatesAreCheckedAtMostTheLimit) {
  const std::string path = "/api/v1/t/452041/bookings";
  auto counts = Burst(path, [](int i) {
    // 200 different wrong dates (the right one is 1948-05-06).
    const int day = 1 + i % 28, month = 1 + (i / 28) % 12;
    char date[16];
    std::snprintf(date, sizeof date, "19%02d-%02d-%02d", 30 + i % 17, month, day);
    return nlohmann::json{{"ticket_number", "4520410001"}, {"birth_date", date}, {"slot_id", 1}}.dump();
  });
  EXPECT_LE(counts[403], 5) << "403s: birth dates actually compared";
  EXPECT_GE(counts[403], 1);
  EXPECT_EQ(counts[403] + counts[429], 200);
  for (int port : ports_) {
    httplib::Client c("127.0.0.1", port);
    auto r = c.Post(path, nlohmann::json{{"ticket_number", "4520410001"}, {"birth_date", "1948-05-06"}, {"slot_id", 1}}.dump(),
                    "application/json");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 429) << "the right birth date waits too: " << r->body;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, ThrottleAcrossProcessesTest, ::testing::ValuesIn(Backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace madoguchi::testing
