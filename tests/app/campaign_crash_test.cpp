// Black-box: a 10,000-recipient campaign through a real Kannel, the worker killed with kill -9
// mid-way and started again: every recipient receives the message; a message is sent twice only
// if it was in flight (held by the killed worker) at the kill, and those are counted. Also: a
// recipient list with bad rows queues nothing, and a paused campaign is passed over.
#include <gtest/gtest.h>
#include <httplib.h>

#include <map>
#include <nlohmann/json.hpp>

#include "app/kannel.hpp"
#include "app/process.hpp"
#include "store/outbox/delivery.hpp"
#include "support/test_db.hpp"

namespace madoguchi::testing {
namespace {

constexpr char kTenant[] = "452041";
constexpr int kRecipients = 10'000;

class CampaignCrashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tdb_ = std::make_unique<TestDatabase>("sqlite");
    MADOGUCHI_REQUIRE_DB(*tdb_);
    dir_ = MakeTempDir();
    ASSERT_EQ(Cli({"migrate"}).exit_code, 0);
    ASSERT_EQ(Cli({"tenant", "add", "--code", kTenant, "--name", "日南市"}).exit_code, 0);
    db_ = tdb_->Open(false);
    messaging::SendingSettings none;  // no quiet hours: the test must not depend on the time of day
    none.quiet_start_min = none.quiet_end_min = 0;
    ASSERT_TRUE(store::InTransaction(*db_, [&](store::Connection& c) { return store::SaveSendingSettings(c, kTenant, none, 0); }).ok());
    port_ = FreePort();
    auto hooks = Cli({"sms", "hooks", "--callback-url", "http://127.0.0.1:" + std::to_string(port_)});
    ASSERT_EQ(hooks.exit_code, 0) << hooks.err;
    std::string output;
    kannel_ = Kannel::Start(nlohmann::json::parse(hooks.out)["mo_url"], &output);
    ASSERT_FALSE(kannel_.dir.empty()) << "Kannel did not start: " << output;
    // The server receives Kannel's delivery reports; the worker runs apart, to be killed.
    server_ = Spawn({MADOGUCHI_BINARY, "serve", "--db", tdb_->url(), "--listen", "127.0.0.1:" + std::to_string(port_)}, "",
                    dir_ + "/serve.out", dir_ + "/serve.err");
    httplib::Client c("127.0.0.1", port_);
    for (int i = 0; i < 400; ++i) {
      auto r = c.Get("/healthz");
      if (r && r->status == 200) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
  }
  void TearDown() override {
    for (pid_t p : {worker_, server_}) {
      if (p > 0) {
        kill(p, SIGKILL);
        WaitExit(p, std::chrono::seconds(5));
      }
    }
    kannel_.Stop();
  }
  ProcessResult Cli(std::vector<std::string> args) { return RunMadoguchi(std::move(args), tdb_->url(), dir_); }
  pid_t StartWorker(const std::string& name) {
    std::vector<std::string> args = {
        MADOGUCHI_BINARY, "worker", "--db",      tdb_->url(), "--callback-url", "http://127.0.0.1:" + std::to_string(port_),
        "--lease-sec",    "5",      "--senders", "2",         "--batch",        "50"};
    for (const std::string& f : kannel_.WorkerFlags()) args.push_back(f);
    return Spawn(args, "", dir_ + "/" + name + ".out", dir_ + "/" + name + ".err");
  }
  std::map<std::string, int64_t> Counts() {
    std::map<std::string, int64_t> out;
    EXPECT_TRUE(store::WithConnection(*db_, [&](store::Connection& c) -> Status {
                  MADOGUCHI_ASSIGN_OR_RETURN(auto rows, store::CountByState(c));
                  for (const auto& [s, n] : rows) out[s] = n;
                  return Status::Ok();
                }).ok());
    return out;
  }
  template <typename F>
  bool WaitFor(F done, int seconds) {
    return WaitUntil(done, seconds);
  }

  std::unique_ptr<TestDatabase> tdb_;
  std::unique_ptr<store::Database> db_;
  Kannel kannel_;
  std::string dir_;
  int port_ = 0;
  pid_t server_ = -1, worker_ = -1;
};

TEST_F(CampaignCrashTest, KillDashNineMidCampaignEveryRecipientReceivesItDuplicatesOnlyInFlight) {
  {
    std::ofstream csv(dir_ + "/recipients.csv");
    csv << "電話番号,氏名\n";
    for (int i = 0; i < kRecipients; ++i) csv << "090" << (10'000'000 + i) << ",住民" << i << "\n";
  }
  auto sent = Cli({"campaign", "send", "--tenant", kTenant, "--name", "接種券の発送", "--csv", dir_ + "/recipients.csv", "--text",
                   "{氏名}様　日南市です。接種券を本日発送しました。"});
  ASSERT_EQ(sent.exit_code, 0) << sent.err;
  EXPECT_EQ(nlohmann::json::parse(sent.out)["recipients"], kRecipients);

  worker_ = StartWorker("worker1");
  ASSERT_TRUE(WaitFor(
      [&] {
        auto c = Counts();
        return c["sent"] + c["delivered"] >= 3000;
      },
      60))
      << ReadFile(dir_ + "/worker1.err");
  kill(worker_, SIGKILL);  // no warning, mid-batch
  WaitExit(worker_, std::chrono::seconds(5));
  const int64_t in_flight = Counts()["sending"];
  const int64_t done_at_kill = Counts()["sent"] + Counts()["delivered"];
  EXPECT_LT(done_at_kill, kRecipients) << "killed mid-way";

  worker_ = StartWorker("worker2");
  ASSERT_TRUE(WaitFor(
      [&] {
        auto c = Counts();
        return c["queued"] == 0 && c["sending"] == 0;
      },
      120))
      << ReadFile(dir_ + "/worker2.err");
  // Every report in (the server records them as Kannel calls back).
  EXPECT_TRUE(WaitFor([&] { return Counts()["delivered"] == kRecipients; }, 30)) << nlohmann::json(Counts()).dump();

  // What the SMSC received: every recipient, and duplicates only up to what was in flight.
  std::map<std::string, int> per_phone;
  std::ifstream log(kannel_.fakesmsc_log);
  int total = 0;
  for (std::string line; std::getline(log, line);) {
    const size_t at = line.find("Got message");
    if (at == std::string::npos) continue;
    const size_t to = line.find("+8190", at);
    ASSERT_NE(to, std::string::npos) << line;
    ++per_phone[line.substr(to, 13)];
    ++total;
  }
  ASSERT_EQ(per_phone.size(), static_cast<size_t>(kRecipients)) << "every recipient received it";
  const int duplicates = total - kRecipients;
  EXPECT_LE(duplicates, in_flight) << "only messages held by the killed worker are sent again";
  RecordProperty("in_flight_at_kill", static_cast<int>(in_flight));
  RecordProperty("duplicates", duplicates);
  std::printf("campaign crash: %d recipients, %lld done at the kill, %lld in flight, %d sent twice\n", kRecipients,
              static_cast<long long>(done_at_kill), static_cast<long long>(in_flight), duplicates);
}

TEST_F(CampaignCrashTest, BadRowsQueueNothingAndAPausedCampaignIsPassedOver) {
  {
    std::ofstream csv(dir_ + "/bad.csv");
    csv << "電話番号,氏名\n090-1111-2222,日南 花子\n0987-31-1111,日南 太郎\n090-1111-2222,重複\n";
  }
  auto bad = Cli({"campaign", "send", "--tenant", kTenant, "--name", "x", "--csv", dir_ + "/bad.csv", "--text", "{氏名}様"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("row 3, 電話番号"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("not_mobile"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("row 4, 電話番号"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("repeated_phone"), std::string::npos) << bad.err;
  auto unknown = Cli({"campaign", "send", "--tenant", kTenant, "--name", "x", "--csv", dir_ + "/bad.csv", "--text", "{年齢}歳の方へ"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("{年齢}"), std::string::npos) << unknown.err;
  EXPECT_TRUE(Counts().empty()) << "nothing queued";

  {
    std::ofstream csv(dir_ + "/ok.csv");
    csv << "電話番号,氏名\n090-1111-2222,日南 花子\n080-3333-4444,日南 次郎\n";
  }
  auto made = Cli({"campaign", "send", "--tenant", kTenant, "--name", "x", "--csv", dir_ + "/ok.csv", "--text", "{氏名}様"});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  const std::string id = std::to_string(nlohmann::json::parse(made.out)["id"].get<int64_t>());
  auto paused = Cli({"campaign", "pause", "--tenant", kTenant, "--id", id});
  ASSERT_EQ(paused.exit_code, 0) << paused.err;
  EXPECT_EQ(nlohmann::json::parse(paused.out)["state"], "paused");
  worker_ = StartWorker("worker");
  std::this_thread::sleep_for(std::chrono::seconds(2));
  EXPECT_EQ(Counts()["queued"], 2) << "a paused campaign's messages wait";
  auto resumed = Cli({"campaign", "resume", "--tenant", kTenant, "--id", id});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_TRUE(WaitFor([&] { return Counts()["delivered"] == 2; }, 20)) << nlohmann::json(Counts()).dump();
  auto status = Cli({"campaign", "status", "--tenant", kTenant, "--id", id});
  EXPECT_EQ(nlohmann::json::parse(status.out)["state"], "done");
  EXPECT_EQ(nlohmann::json::parse(status.out)["messages"]["delivered"], 2);
  auto again = Cli({"campaign", "cancel", "--tenant", kTenant, "--id", id});
  EXPECT_EQ(again.exit_code, 1) << "a finished campaign cannot be cancelled";
  EXPECT_NE(again.err.find("campaign_"), std::string::npos) << again.err;
}

}  // namespace
}  // namespace madoguchi::testing
