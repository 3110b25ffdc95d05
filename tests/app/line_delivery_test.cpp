// Black-box: `madoguchi worker` delivering in LINE against a local stand-in of the Messaging API.
// One tenant's messages with the same text go out in one multicast (issue #12 §3: up to 500
// users a call, with X-Line-Retry-Key), a message alone is a push, and when LINE refuses a
// multicast (an id it does not know refuses the whole call) each is pushed alone, so only the
// unknown one fails.
#include <gtest/gtest.h>
#include <httplib.h>

#include <map>
#include <mutex>
#include <nlohmann/json.hpp>

#include "app/process.hpp"
#include "store/line/line.hpp"
#include "store/outbox/delivery.hpp"
#include "store/outbox/messages.hpp"
#include "support/test_db.hpp"

namespace madoguchi::testing {
namespace {

constexpr char kTenant[] = "452041";
constexpr char kUnknown[] = "U00000000000000000000000000000bad";

std::string User(int i) {
  std::string hex = std::to_string(i);
  return "U" + std::string(32 - hex.size(), 'a') + hex;
}

struct Call {
  std::string path, retry_key;
  std::vector<std::string> to;
  nlohmann::json body;
};

class LineDeliveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tdb_ = std::make_unique<TestDatabase>("sqlite");
    MADOGUCHI_REQUIRE_DB(*tdb_);
    dir_ = MakeTempDir();
    ASSERT_EQ(RunMadoguchi({"migrate"}, tdb_->url(), dir_).exit_code, 0);
    ASSERT_EQ(RunMadoguchi({"tenant", "add", "--code", kTenant, "--name", "日南市"}, tdb_->url(), dir_).exit_code, 0);
    db_ = tdb_->Open(false);
    // The stand-in: 200 for every call, but a push to, or a multicast naming, an unknown user is 400.
    auto record = [this](const httplib::Request& req, httplib::Response& res) {
      const auto body = nlohmann::json::parse(req.body, nullptr, false);
      Call c{req.path, req.get_header_value("X-Line-Retry-Key"), {}, body};
      if (body.is_object() && body.contains("to")) {
        if (body["to"].is_array()) {
          for (const auto& u : body["to"]) c.to.push_back(u);
        } else {
          c.to.push_back(body["to"]);
        }
      }
      const bool unknown = std::find(c.to.begin(), c.to.end(), kUnknown) != c.to.end();
      {
        std::lock_guard lock(mu_);
        calls_.push_back(c);
      }
      res.status = unknown ? 400 : 200;
      res.set_content(unknown ? R"({"message":"The property, 'to', in the request body is invalid"})" : "{}", "application/json");
    };
    line_.Post("/v2/bot/message/push", record);
    line_.Post("/v2/bot/message/multicast", record);
    line_port_ = line_.bind_to_any_port("127.0.0.1");
    line_thread_ = std::thread([this] { line_.listen_after_bind(); });
  }
  void TearDown() override {
    if (worker_ > 0) {
      kill(worker_, SIGTERM);
      WaitExit(worker_, std::chrono::seconds(10));
    }
    line_.stop();
    if (line_thread_.joinable()) line_thread_.join();
  }
  void StartWorker() {
    worker_ = Spawn({MADOGUCHI_BINARY,
                     "worker",
                     "--db",
                     tdb_->url(),
                     "--callback-url",
                     "http://127.0.0.1:9",
                     "--kannel-url",
                     "http://127.0.0.1:9/cgi-bin/sendsms",
                     "--kannel-user",
                     "unused",
                     "--kannel-pass",
                     "unused",
                     "--line-api-base",
                     "http://127.0.0.1:" + std::to_string(line_port_),
                     "--senders",
                     "1",
                     "--batch",
                     "50",
                     "--job-threads",
                     "0"},
                    "", dir_ + "/worker.out", dir_ + "/worker.err");
  }
  std::vector<Call> Calls() {
    std::lock_guard lock(mu_);
    return calls_;
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

  std::unique_ptr<TestDatabase> tdb_;
  std::unique_ptr<store::Database> db_;
  std::string dir_;
  httplib::Server line_;
  int line_port_ = 0;
  std::thread line_thread_;
  std::mutex mu_;
  std::vector<Call> calls_;
  pid_t worker_ = -1;
};

TEST_F(LineDeliveryTest, OneTextToManyIsOneMulticastAndARefusedOneIsPushedOneByOne) {
  const int64_t now = 1'796'000'000'000;
  ASSERT_TRUE(store::InTransaction(*db_, [&](store::Connection& c) -> Status {
                messaging::SendingSettings none;  // no quiet hours (LINE has none anyway)
                none.quiet_start_min = none.quiet_end_min = 0;
                MADOGUCHI_RETURN_IF_ERROR(store::SaveSendingSettings(c, kTenant, none, 0));
                MADOGUCHI_RETURN_IF_ERROR(store::SaveLineChannel(c, kTenant, {"8c3b6f1e2d4a5b6c7d8e9f0a1b2c3d4e", "token"}, now));
                std::vector<messaging::Message> list;
                auto to = [&](const std::string& user, const std::string& text, int n) {
                  messaging::Message m;
                  m.tenant = kTenant;
                  m.address = user;
                  m.channels = {messaging::Delivery::kLine};
                  m.template_key = "campaign_text";
                  m.variables = {{"text", text}};
                  m.purpose = messaging::Purpose::kCampaign;
                  m.due_at_ms = now;
                  m.dedupe_key = "test:" + std::to_string(n);
                  list.push_back(m);
                };
                to(User(1), "明日は接種の日です。", 1);
                to(User(2), "明日は接種の日です。", 2);
                to(User(3), "明日は接種の日です。", 3);
                to(User(4), "予約が取り消されました。", 4);
                to(User(1), "会場が変わりました。", 5);
                to(kUnknown, "会場が変わりました。", 6);
                return store::EnqueueMessages(c, list, now);
              }).ok());
  StartWorker();
  ASSERT_TRUE(WaitUntil([&] { return Counts()["sent"] == 5 && Counts()["failed"] == 1; }, 30))
      << ReadFile(dir_ + "/worker.err") << "\nsent " << Counts()["sent"];

  std::vector<Call> multicasts, pushes;
  for (const Call& c : Calls()) (c.path == "/v2/bot/message/multicast" ? multicasts : pushes).push_back(c);
  ASSERT_EQ(multicasts.size(), 2u);
  EXPECT_EQ(multicasts[0].to, (std::vector<std::string>{User(1), User(2), User(3)})) << "one call for the same text";
  EXPECT_EQ(multicasts[0].retry_key.size(), 36u) << "a UUID";
  EXPECT_EQ(multicasts[1].to, (std::vector<std::string>{User(1), kUnknown})) << "refused as a whole";
  ASSERT_EQ(pushes.size(), 3u);
  EXPECT_EQ(pushes[0].to, std::vector<std::string>{User(4)}) << "a message alone is a push";
  EXPECT_EQ(pushes[1].to, std::vector<std::string>{User(1)}) << "then each of the refused multicast alone";
  EXPECT_EQ(pushes[2].to, std::vector<std::string>{kUnknown});
  EXPECT_NE(pushes[1].retry_key, multicasts[1].retry_key);
}

// A home-care patient linked in LINE gets the day's check-in with the three numbers as buttons
// under it (each sends its number back, as typing it would); other messages have none.
TEST_F(LineDeliveryTest, TheCheckInOffersTheThreeNumbersAsButtons) {
  const int64_t now = 1'796'000'000'000;
  ASSERT_TRUE(store::InTransaction(*db_, [&](store::Connection& c) -> Status {
                messaging::SendingSettings none;
                none.quiet_start_min = none.quiet_end_min = 0;
                MADOGUCHI_RETURN_IF_ERROR(store::SaveSendingSettings(c, kTenant, none, 0));
                MADOGUCHI_RETURN_IF_ERROR(store::SaveLineChannel(c, kTenant, {"8c3b6f1e2d4a5b6c7d8e9f0a1b2c3d4e", "token"}, now));
                messaging::Message m;
                m.tenant = kTenant;
                m.address = User(1);
                m.channels = {messaging::Delivery::kLine};
                m.template_key = "care_check_in";
                m.variables = {{"check_in_id", int64_t{7}}, {"episode_id", int64_t{3}}};
                m.purpose = messaging::Purpose::kFollowUp;
                m.due_at_ms = now;
                m.dedupe_key = "care_ci:7";
                messaging::Message other = m;
                other.address = User(2);
                other.template_key = "campaign_text";
                other.variables = {{"text", std::string("明日は接種の日です。")}};
                other.purpose = messaging::Purpose::kCampaign;
                other.dedupe_key = "test:1";
                return store::EnqueueMessages(c, {m, other}, now);
              }).ok());
  StartWorker();
  ASSERT_TRUE(WaitUntil([&] { return Counts()["sent"] == 2; }, 30)) << ReadFile(dir_ + "/worker.err");
  std::map<std::string, nlohmann::json> by_user;
  for (const Call& c : Calls()) by_user[c.to.at(0)] = c.body["messages"][0];
  const nlohmann::json& check_in = by_user[User(1)];
  EXPECT_NE(check_in["text"].get<std::string>().find("今日の健康観察です"), std::string::npos) << check_in.dump();
  ASSERT_TRUE(check_in.contains("quickReply")) << check_in.dump();
  const auto& items = check_in["quickReply"]["items"];
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0]["action"]["type"], "message");
  EXPECT_EQ(items[0]["action"]["label"], "1 変わりなし");
  EXPECT_EQ(items[0]["action"]["text"], "1");
  EXPECT_EQ(items[2]["action"]["label"], "3 電話がほしい");
  EXPECT_EQ(items[2]["action"]["text"], "3");
  EXPECT_FALSE(by_user[User(2)].contains("quickReply")) << "a campaign's text has no buttons";
}

}  // namespace
}  // namespace madoguchi::testing
