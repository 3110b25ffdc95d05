// Black-box: messages reach phones through a real Kannel (bearerbox, smsbox and fakesmsc as the
// SMSC, started by scripts/kannel-throwaway.sh on free loopback ports). A booking made through the
// API is confirmed and reminded by SMS: Japanese text goes as UCS-2 in as many parts as
// messaging::SplitSms says (fakesmsc's log is the witness), Kannel's delivery reports move the
// message to delivered, quiet hours hold a due message, and a report with a wrong key, for an
// unknown message or repeated changes nothing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>

#include <sstream>

#include "app/kannel.hpp"
#include "app/process.hpp"
#include "common/clock.hpp"
#include "common/time_format.hpp"
#include "messaging/sms.hpp"
#include "store/booking/bookings.hpp"
#include "store/line/line.hpp"
#include "store/outbox/delivery.hpp"
#include "store/outbox/replies.hpp"
#include "support/smtp_sink.hpp"
#include "support/test_db.hpp"

namespace madoguchi::testing {
namespace {

constexpr char kTenant[] = "452041";
constexpr char kPhone[] = "+819012345678";

class SmsDeliveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tdb_ = std::make_unique<TestDatabase>("sqlite");
    MADOGUCHI_REQUIRE_DB(*tdb_);
    dir_ = MakeTempDir();
    ASSERT_EQ(Cli({"migrate"}).exit_code, 0);
    ASSERT_EQ(Cli({"tenant", "add", "--code", kTenant, "--name", "日南市"}).exit_code, 0);
    ASSERT_EQ(Cli({"user", "add", "--login", "adm", "--role", "admin", "--tenant", kTenant}, "process test password\n").exit_code, 0);
    auto token = Cli({"token", "add", "--login", "adm", "--name", "t"});
    ASSERT_EQ(token.exit_code, 0);
    token_ = token.out.substr(token.out.rfind("mdg_"));
    token_ = token_.substr(0, token_.find_first_of("\r\n "));
    std::ofstream list(dir_ + "/list.csv");
    list << "宛名番号,券番号,氏名,氏名カナ,生年月日,住所,電話番号\n"
         << "50001,6000000001,日南 花子,ニチナン ハナコ,1940-04-01,日南市中央通1-1,090-1234-5678\n"
         << "50002,6000000002,日南 太郎,ニチナン タロウ,1941-05-02,日南市中央通1-2,0987-31-1111\n";
    list.close();
    auto imported = Cli({"residents", "import", "--tenant", kTenant, dir_ + "/list.csv"});
    ASSERT_EQ(imported.exit_code, 0) << imported.err;
    port_ = FreePort();
    auto hooks = Cli({"sms", "hooks", "--callback-url", "http://127.0.0.1:" + std::to_string(port_)});
    ASSERT_EQ(hooks.exit_code, 0) << hooks.err;
    dlr_url_ = nlohmann::json::parse(hooks.out)["dlr_url"];
    std::string output;
    kannel_ = Kannel::Start(nlohmann::json::parse(hooks.out)["mo_url"], &output);
    ASSERT_FALSE(kannel_.dir.empty()) << "Kannel did not start: " << output;
    kannel_dir_ = kannel_.dir;
    fakesmsc_log_ = kannel_.fakesmsc_log;
    mo_port_ = kannel_.mo_port;
    db_ = tdb_->Open(false);
  }
  void TearDown() override {
    if (server_ > 0) {
      kill(server_, SIGTERM);
      WaitExit(server_, std::chrono::seconds(10));
    }
    kannel_.Stop();
  }
  ProcessResult Cli(std::vector<std::string> args, const std::string& in = "") {
    return RunMadoguchi(std::move(args), tdb_->url(), dir_, in);
  }

  void Quiet(int start_min, int end_min) {
    messaging::SendingSettings s;
    s.quiet_start_min = start_min;
    s.quiet_end_min = end_min;
    ASSERT_TRUE(store::InTransaction(*db_, [&](store::Connection& c) { return store::SaveSendingSettings(c, kTenant, s, 0); }).ok());
  }

  void StartServer() {
    std::vector<std::string> args = {MADOGUCHI_BINARY, "serve",        "--db",
                                     tdb_->url(),      "--listen",     "127.0.0.1:" + std::to_string(port_),
                                     "--worker",       "--public-url", "https://yoyaku.example.jp"};
    for (const std::string& f : kannel_.WorkerFlags()) args.push_back(f);
    for (const std::string& f : extra_flags_) args.push_back(f);
    server_ = Spawn(args, "", dir_ + "/serve.out", dir_ + "/serve.err");
    httplib::Client c("127.0.0.1", port_);
    for (int i = 0; i < 400; ++i) {
      auto r = c.Get("/healthz");
      if (r && r->status == 200) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    FAIL() << "the server did not start: " << ReadFile(dir_ + "/serve.err");
  }

  // A venue and a slot `hours_ahead` from now (its reminder is due at once), and a booking for
  // the ticket through the API. Returns the booking's JSON.
  nlohmann::json Book(const std::string& ticket, const std::string& birth) {
    httplib::Client c("127.0.0.1", port_);
    httplib::Headers h = {{"Authorization", "Bearer " + token_}};
    auto v = c.Post("/api/v1/t/452041/venues", h, R"({"name":"市民会館","address":"日南市中央通1-1"})", "application/json");
    EXPECT_TRUE(v && v->status == 201) << (v ? v->body : "no answer");
    const int64_t now = SystemClock().NowMs();
    const int64_t start = (now / 1'800'000 + 10) * 1'800'000;  // five hours ahead, on the half hour
    const nlohmann::json slot = {{"venue_id", nlohmann::json::parse(v->body)["id"]},
                                 {"starts_at", FormatTokyoIso(start)},
                                 {"ends_at", FormatTokyoIso(start + 1'800'000)},
                                 {"capacity", 5},
                                 {"vaccine", "pfizer"},
                                 {"dose", 1}};
    auto s = c.Post("/api/v1/t/452041/slots", h, slot.dump(), "application/json");
    EXPECT_TRUE(s && s->status == 201) << (s ? s->body : "no answer");
    const nlohmann::json body = {{"ticket_number", ticket}, {"birth_date", birth}, {"slot_id", nlohmann::json::parse(s->body)["id"]}};
    auto b = c.Post("/api/v1/t/452041/bookings", {{"Idempotency-Key", "k" + ticket}}, body.dump(), "application/json");
    EXPECT_TRUE(b && b->status == 201) << (b ? b->body : "no answer");
    return b ? nlohmann::json::parse(b->body, nullptr, false) : nlohmann::json();
  }

  // A real SMTP server, the tenant's sender, no quiet hours, and the landline resident (券番号
  // 6000000002) who gave `address`.
  void StartEmail(const std::string& address, SmtpSink& sink) {
    std::string output;
    sink = SmtpSink::Start(&output);
    ASSERT_FALSE(sink.url.empty()) << "the SMTP sink did not start: " << output;
    messaging::SendingSettings s;
    s.quiet_start_min = s.quiet_end_min = 0;
    s.email_from = "yoyaku@city.nichinan.example.jp";
    s.email_from_name = "日南市 接種予約窓口";
    ASSERT_TRUE(store::InTransaction(*db_, [&](store::Connection& c) -> Status {
                  MADOGUCHI_RETURN_IF_ERROR(store::SaveSendingSettings(c, kTenant, s, 0));
                  MADOGUCHI_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT id FROM residents WHERE ticket_number = '6000000002'"));
                  return store::SetResidentEmail(c, kTenant, rows.at(0).Int(0), address, 0);
                }).ok());
  }

  std::vector<store::StoredMessage> Messages() {
    std::vector<store::StoredMessage> out;
    EXPECT_TRUE(store::WithConnection(*db_, [&](store::Connection& c) -> Status {
                  MADOGUCHI_ASSIGN_OR_RETURN(out, store::ListMessages(c, kTenant, 100));
                  return Status::Ok();
                }).ok());
    return out;
  }
  store::DeliveryRecord Delivery(int64_t id) {
    store::DeliveryRecord d;
    EXPECT_TRUE(store::WithConnection(*db_, [&](store::Connection& c) -> Status {
                  MADOGUCHI_ASSIGN_OR_RETURN(d, store::GetDelivery(c, id));
                  return Status::Ok();
                }).ok());
    return d;
  }
  // Delivered, and the worker's own record of the send written (the handset's report may come first).
  bool Settled(int64_t id) {
    const store::DeliveryRecord d = Delivery(id);
    return d.state == messaging::MessageState::kDelivered && d.parts > 0;
  }
  // Waits up to 20 s for `done`.
  template <typename F>
  bool WaitFor(F done) {
    return WaitUntil(done, 20);
  }

  std::unique_ptr<TestDatabase> tdb_;
  std::unique_ptr<store::Database> db_;
  Kannel kannel_;
  std::string dir_, token_, dlr_url_, kannel_dir_, fakesmsc_log_;
  std::string mo_port_;
  int port_ = 0;
  pid_t server_ = -1;
  std::vector<std::string> extra_flags_;  // more of serve's flags (the SMTP server)

  // A handset's reply, through Kannel's second fake SMSC: `text` as UCS-2.
  void Reply(const std::string& from, const std::string& text) {
    std::string ucs2;
    for (size_t i = 0; i < text.size();) {  // UTF-8 (BMP) → UTF-16BE, %-encoded
      const auto b = static_cast<unsigned char>(text[i]);
      char32_t cp = b;
      int len = 1;
      if (b >= 0xE0) {
        cp = ((b & 0x0F) << 12) | ((text[i + 1] & 0x3F) << 6) | (text[i + 2] & 0x3F);
        len = 3;
      } else if (b >= 0xC0) {
        cp = ((b & 0x1F) << 6) | (text[i + 1] & 0x3F);
        len = 2;
      }
      char hex[8];
      std::snprintf(hex, sizeof hex, "%%%02X%%%02X", static_cast<unsigned>(cp >> 8), static_cast<unsigned>(cp & 0xFF));
      ucs2 += hex;
      i += len;
    }
    const pid_t p = Spawn({"/usr/lib/kannel/test/fakesmsc", "-H", "127.0.0.1", "-r", mo_port_, "-m", "1", from + " 12345 ucs2 " + ucs2}, "",
                          dir_ + "/mo.out", dir_ + "/mo.err");
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    kill(p, SIGTERM);
    WaitExit(p, std::chrono::seconds(5));
  }
  std::vector<store::Reply> Replies() {
    std::vector<store::Reply> out;
    EXPECT_TRUE(store::WithConnection(*db_, [&](store::Connection& c) -> Status {
                  MADOGUCHI_ASSIGN_OR_RETURN(out, store::ListReplies(c, kTenant, 100));
                  return Status::Ok();
                }).ok());
    return out;
  }
};

TEST_F(SmsDeliveryTest, ABookingsConfirmationAndReminderReachThePhoneAsUcs2PartsAndAreDelivered) {
  Quiet(0, 0);  // no quiet hours: the test must not depend on the time of day
  StartServer();
  const nlohmann::json booking = Book("6000000001", "1940-04-01");
  ASSERT_TRUE(booking.contains("confirmation_code")) << booking.dump();

  std::vector<store::StoredMessage> messages;
  ASSERT_TRUE(WaitFor([&] {
    messages = Messages();
    if (messages.size() < 2) return false;
    for (const auto& m : messages) {
      if (!Settled(m.id)) return false;
    }
    return true;
  })) << "not all delivered; serve.err:\n"
      << ReadFile(dir_ + "/serve.err");

  // What the phone received: each message's parts, UCS-2, with a concatenation header when there
  // are several, reassembled into exactly the text (no character cut between parts).
  const std::vector<Received> got = ReceivedBy(fakesmsc_log_, kPhone);
  int expected_parts = 0;
  for (const auto& m : messages) {
    const store::DeliveryRecord d = Delivery(m.id);
    EXPECT_EQ(d.address_used, kPhone);
    EXPECT_EQ(d.channel_used, "sms");
    EXPECT_EQ(d.parts_delivered, (int64_t{1} << d.parts) - 1) << "every part reported delivered";
    EXPECT_EQ(d.cost_sen, d.parts * 300) << "¥3.00 a part by default";
    expected_parts += d.parts;
  }
  ASSERT_EQ(static_cast<int>(got.size()), expected_parts) << ReadFile(fakesmsc_log_);
  std::vector<std::string> texts;
  std::string assembling;
  for (const Received& r : got) {
    ASSERT_TRUE(r.type == "ucs-2" || r.type == "udh") << r.type;
    if (r.type == "ucs-2") {
      texts.push_back(r.text);
      continue;
    }
    ASSERT_EQ(r.udh.size(), 6u);
    const int total = r.udh[4], seq = r.udh[5];
    auto parts = messaging::SplitSms(r.text);
    ASSERT_TRUE(parts.ok());
    EXPECT_LE(parts->units, messaging::kPartUcs2Units) << "a part holds at most 67 UTF-16 units";
    assembling += r.text;
    if (seq == total) {
      texts.push_back(assembling);
      assembling.clear();
    }
  }
  const std::string code = booking["confirmation_code"];
  const std::string spoken = code.substr(0, 4) + "-" + code.substr(4);
  bool confirmation = false, reminder = false;
  for (const std::string& t : texts) {
    if (t.find("予約が確定しました") != std::string::npos) {
      confirmation = true;
      EXPECT_NE(t.find("【日南市】"), std::string::npos) << t;
      EXPECT_NE(t.find("市民会館"), std::string::npos) << t;
      EXPECT_NE(t.find(spoken), std::string::npos) << "the code as read aloud: " << t;
      // The page's short link (issue #12): a code of 8, which opens the resident's page and is counted.
      const size_t at = t.find("https://yoyaku.example.jp/s/");
      ASSERT_NE(at, std::string::npos) << t;
      const std::string code = t.substr(at + 28, 8);
      EXPECT_EQ(code.find_first_not_of("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"), std::string::npos) << t;
      EXPECT_EQ(t.find("/r/452041"), std::string::npos) << "the long address is not in the text: " << t;
      httplib::Client c("127.0.0.1", port_);
      auto opened = c.Get("/s/" + code);
      ASSERT_TRUE(opened);
      EXPECT_EQ(opened->status, 303);
      EXPECT_EQ(opened->get_header_value("Location"), "/r/452041/me");
      EXPECT_GT(messaging::SplitSms(t)->parts(), 1) << "this confirmation is long enough for two parts: " << t;
    }
    if (t.find("接種券・予診票・本人確認書類") != std::string::npos) reminder = true;
  }
  EXPECT_TRUE(confirmation) << ReadFile(fakesmsc_log_);
  EXPECT_TRUE(reminder) << ReadFile(fakesmsc_log_);
}

// Issue #12: the status page shows Kannel's own view (bearerbox's admin port): its state, what
// waits inside it, each link to the SMSC; and says so when Kannel does not answer.
TEST_F(SmsDeliveryTest, TheStatusPageShowsKannelsOwnViewAndSaysWhenKannelDoesNotAnswer) {
  Quiet(0, 0);
  extra_flags_ = {"--kannel-admin-url", kannel_.admin_url, "--kannel-admin-pass", kannel_.admin_password};
  ASSERT_FALSE(kannel_.admin_url.empty());
  StartServer();
  httplib::Client c("127.0.0.1", port_);
  httplib::Headers h = {{"Authorization", "Bearer " + token_}};
  auto up = c.Get(std::string("/t/") + kTenant + "/messaging", h);
  ASSERT_TRUE(up);
  ASSERT_EQ(up->status, 200) << up->body;
  EXPECT_NE(up->body.find("<dt>中継の状態</dt><dd>動いています（起動から"), std::string::npos) << up->body;
  EXPECT_NE(up->body.find("<td>mt</td><td>つながっています</td>"), std::string::npos) << up->body;
  // The test's second link takes replies only when a handset "sends" one: until then Kannel waits
  // for it. It is listed; with nothing waiting for it, it is no alarm.
  EXPECT_NE(up->body.find("<td>mo</td><td>つなごうとしています</td>"), std::string::npos) << up->body;
  EXPECT_EQ(up->body.find("本がつながっていません"), std::string::npos) << up->body;
  EXPECT_NE(up->body.find("送信は順調です。"), std::string::npos) << up->body;
  EXPECT_EQ(up->body.find("password"), std::string::npos) << "the admin password is never on the page";
  EXPECT_EQ(up->body.find(kannel_.admin_password), std::string::npos);
  // Kannel keeps its delivery reports waiting for a handset outside its own memory (Redis with an
  // append-only file, deploy/kannel): a restarted bearerbox still matches the reports.
  httplib::Client admin(kannel_.admin_url);
  auto xml = admin.Get("/status.xml?password=" + kannel_.admin_password);
  ASSERT_TRUE(xml);
  EXPECT_NE(xml->body.find("<storage>redis</storage>"), std::string::npos) << xml->body;

  kannel_.Stop();
  auto down = c.Get(std::string("/t/") + kTenant + "/messaging", h);
  ASSERT_TRUE(down);
  EXPECT_EQ(down->status, 200);
  EXPECT_NE(down->body.find("中継（Kannel）の管理の窓口が応答しません。"), std::string::npos) << down->body;
  EXPECT_EQ(down->body.find("送信は順調です。"), std::string::npos);
  EXPECT_EQ(ReadFile(dir_ + "/serve.err").find(kannel_.admin_password), std::string::npos) << "nor in the log";
}

TEST_F(SmsDeliveryTest, QuietHoursHoldADueMessageUntilTheyEnd) {
  // Quiet from an hour ago to an hour from now (Japan time).
  const int64_t now_min = ((SystemClock().NowMs() / 60'000) + 9 * 60) % 1440;
  Quiet(static_cast<int>((now_min + 1440 - 60) % 1440), static_cast<int>((now_min + 60) % 1440));
  StartServer();
  Book("6000000001", "1940-04-01");
  std::vector<store::StoredMessage> messages;
  ASSERT_TRUE(WaitFor([&] {
    messages = Messages();
    return messages.size() >= 2 && Delivery(messages[0].id).next_attempt_at_ms > SystemClock().NowMs() + 30 * 60'000;
  })) << ReadFile(dir_ + "/serve.err");
  std::this_thread::sleep_for(std::chrono::seconds(1));
  for (const auto& m : messages) {
    const store::DeliveryRecord d = Delivery(m.id);
    EXPECT_EQ(d.state, messaging::MessageState::kQueued);
    EXPECT_EQ(d.attempts, 0) << "waiting out the night is not a failed attempt";
    EXPECT_NEAR(d.next_attempt_at_ms, (SystemClock().NowMs() / 60'000 + 60) * 60'000, 120'000) << "due when the quiet hours end";
  }
  EXPECT_TRUE(ReceivedBy(fakesmsc_log_, kPhone).empty()) << ReadFile(fakesmsc_log_);
}

TEST_F(SmsDeliveryTest, ALandlineIsNeverSentToAndFailsWithTheReason) {
  Quiet(0, 0);
  StartServer();
  Book("6000000002", "1941-05-02");
  std::vector<store::StoredMessage> messages;
  ASSERT_TRUE(WaitFor([&] {
    messages = Messages();
    return !messages.empty() && Delivery(messages[0].id).state == messaging::MessageState::kFailed;
  })) << ReadFile(dir_ + "/serve.err");
  const store::DeliveryRecord d = Delivery(messages[0].id);
  EXPECT_NE(d.last_error.find("not_mobile"), std::string::npos) << d.last_error;
  EXPECT_EQ(d.attempts, 1);
  EXPECT_EQ(ReadFile(fakesmsc_log_).find("Got message"), std::string::npos) << "nothing reaches the SMSC";
}

TEST_F(SmsDeliveryTest, AReportWithAWrongKeyForAnUnknownMessageOrRepeatedChangesNothing) {
  Quiet(0, 0);
  StartServer();
  Book("6000000001", "1940-04-01");
  std::vector<store::StoredMessage> messages;
  ASSERT_TRUE(WaitFor([&] {
    messages = Messages();
    // Delivered, and the worker's own record of the send written (a report may come first).
    return !messages.empty() && Delivery(messages[0].id).state == messaging::MessageState::kDelivered && Delivery(messages[0].id).parts > 0;
  })) << ReadFile(dir_ + "/serve.err");
  const int64_t id = messages[0].id;
  const store::DeliveryRecord before = Delivery(id);
  httplib::Client c("127.0.0.1", port_);
  const std::string path = dlr_url_.substr(dlr_url_.find("/hooks"));
  const std::string wrong_key = "/hooks/sms/dlr?key=0123456789abcdef0123456789abcdef";
  auto bad = c.Get(wrong_key + "&id=" + std::to_string(id) + "&part=0&of=1&type=2");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 403);
  EXPECT_NE(bad->body.find("bad_key"), std::string::npos);
  auto unknown = c.Get(path + "&id=999999&part=0&of=1&type=1");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
  EXPECT_NE(unknown->body.find("unknown_message"), std::string::npos);
  auto replay = c.Get(path + "&id=" + std::to_string(id) + "&part=0&of=" + std::to_string(before.parts) + "&type=1");
  ASSERT_TRUE(replay);
  EXPECT_EQ(replay->status, 200);
  EXPECT_EQ(nlohmann::json::parse(replay->body)["changed"], false);
  auto late_failure = c.Get(path + "&id=" + std::to_string(id) + "&part=0&of=" + std::to_string(before.parts) + "&type=2");
  ASSERT_TRUE(late_failure);
  EXPECT_EQ(nlohmann::json::parse(late_failure->body)["changed"], false) << "a delivered message stays delivered";
  auto bad_part = c.Get(path + "&id=" + std::to_string(id) + "&part=3&of=2&type=1");
  ASSERT_TRUE(bad_part);
  EXPECT_EQ(bad_part->status, 422);
  EXPECT_NE(bad_part->body.find("\"part\""), std::string::npos) << bad_part->body;
  const store::DeliveryRecord after = Delivery(id);
  EXPECT_EQ(after.state, before.state);
  EXPECT_EQ(after.parts_delivered, before.parts_delivered);
}

}  // namespace
}  // namespace madoguchi::testing

namespace madoguchi::testing {
namespace {

TEST_F(SmsDeliveryTest, AReplyIsMatchedToTheMessageItAnswersAndStopSuppressesLaterMessages) {
  Quiet(0, 0);
  StartServer();
  const nlohmann::json booking = Book("6000000001", "1940-04-01");
  std::vector<store::StoredMessage> messages;
  ASSERT_TRUE(WaitFor([&] {
    messages = Messages();
    return messages.size() >= 2 && Settled(messages[0].id) && Settled(messages[1].id);
  })) << ReadFile(dir_ + "/serve.err");
  const size_t received_before = ReceivedBy(fakesmsc_log_, kPhone).size();

  Reply(kPhone, "停止");
  std::vector<store::Reply> replies;
  ASSERT_TRUE(WaitFor([&] {
    replies = Replies();
    return !replies.empty();
  })) << ReadFile(dir_ + "/serve.err")
      << ReadFile(kannel_dir_ + "/smsbox.log");
  ASSERT_EQ(replies.size(), 1u) << "Kannel's retries do not store a reply twice";
  EXPECT_EQ(replies[0].body, "停止");
  EXPECT_EQ(replies[0].from_address, kPhone);
  EXPECT_TRUE(replies[0].stop_request);
  EXPECT_EQ(replies[0].state, "unread");
  ASSERT_TRUE(replies[0].message_id.has_value());
  EXPECT_TRUE(*replies[0].message_id == messages[0].id || *replies[0].message_id == messages[1].id)
      << "the last message sent to the number";

  // A later message to the number (the booking is cancelled) is suppressed, not sent.
  httplib::Client c("127.0.0.1", port_);
  const nlohmann::json who = {{"ticket_number", "6000000001"}, {"birth_date", "1940-04-01"}};
  auto cancelled = c.Delete("/api/v1/t/452041/bookings/" + booking["confirmation_code"].get<std::string>(), who.dump(), "application/json");
  ASSERT_TRUE(cancelled && cancelled->status == 200) << (cancelled ? cancelled->body : "no answer");
  ASSERT_TRUE(WaitFor([&] {
    for (const auto& m : Messages()) {
      if (m.message.template_key == "booking_cancelled") return Delivery(m.id).state == messaging::MessageState::kSuppressed;
    }
    return false;
  })) << ReadFile(dir_ + "/serve.err");
  EXPECT_EQ(ReceivedBy(fakesmsc_log_, kPhone).size(), received_before) << "nothing more reached the phone";
}

}  // namespace
}  // namespace madoguchi::testing

namespace madoguchi::testing {
namespace {

TEST_F(SmsDeliveryTest, KannelDownTheMessagesWaitAndAreRetriedNothingIsLost) {
  Quiet(0, 0);
  StartServer();
  kannel_.Stop();  // the gateway goes away
  Book("6000000001", "1940-04-01");
  std::vector<store::StoredMessage> messages;
  ASSERT_TRUE(WaitFor([&] {
    messages = Messages();
    return messages.size() >= 2 && Delivery(messages[0].id).attempts >= 1 && Delivery(messages[1].id).attempts >= 1;
  })) << ReadFile(dir_ + "/serve.err");
  for (const auto& m : messages) {
    const store::DeliveryRecord d = Delivery(m.id);
    EXPECT_EQ(d.state, messaging::MessageState::kQueued) << "waiting to be tried again, not failed";
    EXPECT_EQ(d.last_error, "sms_gateway_unavailable");
    EXPECT_GT(d.next_attempt_at_ms, SystemClock().NowMs()) << "after a backoff";
  }
}

}  // namespace
}  // namespace madoguchi::testing

namespace madoguchi::testing {
namespace {

// A resident linked in LINE, of a tenant whose LINE channel is not stored: the message goes by SMS,
// the next channel of its preference (it failed with line_not_configured).
TEST_F(SmsDeliveryTest, ALineLinkedResidentOfATenantWithoutALineChannelIsReachedBySms) {
  Quiet(0, 0);
  int64_t resident = 0;
  ASSERT_TRUE(store::InTransaction(*db_, [&](store::Connection& c) -> Status {
                MADOGUCHI_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT id FROM residents WHERE ticket_number = '6000000001'"));
                resident = rows.at(0).Int(0);
                store::LineUser u;
                u.resident_id = resident;
                MADOGUCHI_RETURN_IF_ERROR(store::SaveLineUser(c, kTenant, "U0123456789abcdef0123456789abcdef", u, 0));
                messaging::Message m;
                m.tenant = kTenant;
                m.resident_id = resident;
                m.channels = {messaging::Delivery::kLine, messaging::Delivery::kSms};
                m.template_key = "reply_text";
                m.variables = {{"text", std::string("お知らせです。")}};
                m.purpose = messaging::Purpose::kReply;
                m.due_at_ms = SystemClock().NowMs();
                m.dedupe_key = "line-fallback:1";
                return store::EnqueueMessages(c, {m}, SystemClock().NowMs());
              }).ok());
  StartServer();
  std::vector<store::StoredMessage> messages;
  ASSERT_TRUE(WaitFor([&] {
    messages = Messages();
    return !messages.empty() && Delivery(messages[0].id).state != messaging::MessageState::kQueued &&
           Delivery(messages[0].id).state != messaging::MessageState::kSending;
  })) << ReadFile(dir_ + "/serve.err");
  ASSERT_TRUE(WaitFor([&] { return Settled(messages[0].id); })) << Delivery(messages[0].id).last_error;
  EXPECT_EQ(Delivery(messages[0].id).channel_used, "sms");
  EXPECT_EQ(Delivery(messages[0].id).address_used, kPhone);
}

// A resident with only a landline on the list who gave an email address is told by email: the
// confirmation and the reminder arrive at a real SMTP server (aiosmtpd) from the tenant's sender,
// in Japanese with a subject, and nothing reaches the SMSC.
TEST_F(SmsDeliveryTest, ALandlineResidentWhoGaveAnEmailGetsTheConfirmationAndReminderByEmail) {
  SmtpSink sink;
  ASSERT_NO_FATAL_FAILURE(StartEmail("taro@example.jp", sink));
  extra_flags_ = {"--smtp-url", sink.url};
  StartServer();
  const nlohmann::json booking = Book("6000000002", "1941-05-02");
  ASSERT_TRUE(booking.contains("confirmation_code")) << booking.dump();
  std::vector<store::StoredMessage> messages;
  ASSERT_TRUE(WaitFor([&] {
    messages = Messages();
    if (messages.size() < 2) return false;
    for (const auto& m : messages) {
      if (Delivery(m.id).state != messaging::MessageState::kSent) return false;
    }
    return true;
  })) << ReadFile(dir_ + "/serve.err");
  for (const auto& m : messages) {
    EXPECT_EQ(Delivery(m.id).channel_used, "email");
    EXPECT_EQ(Delivery(m.id).address_used, "taro@example.jp");
    EXPECT_EQ(Delivery(m.id).cost_sen, 0);
  }
  const auto got = sink.ReceivedBy("taro@example.jp");
  ASSERT_EQ(got.size(), 2u) << "the confirmation and the reminder";
  const std::string code = booking["confirmation_code"];
  bool confirmation = false, reminder = false;
  for (const auto& e : got) {
    EXPECT_EQ(e.from, "日南市 接種予約窓口 <yoyaku@city.nichinan.example.jp>");
    if (e.subject == "【日南市】接種の予約が確定しました") {
      confirmation = true;
      EXPECT_THAT(e.text, ::testing::HasSubstr("市民会館"));
      EXPECT_THAT(e.text, ::testing::HasSubstr(code.substr(0, 4) + "-" + code.substr(4)));
      EXPECT_THAT(e.html, ::testing::HasSubstr("<a href=\"https://yoyaku.example.jp/s/")) << "the short link, as a link";
    }
    if (e.subject.find("接種予約のお知らせ") != std::string::npos) {
      reminder = true;
      EXPECT_THAT(e.text, ::testing::HasSubstr("接種券・予診票・本人確認書類"));
    }
  }
  EXPECT_TRUE(confirmation);
  EXPECT_TRUE(reminder);
  EXPECT_EQ(ReadFile(fakesmsc_log_).find("Got message"), std::string::npos) << "nothing reaches the SMSC";
  sink.Stop();
}

// Issue #12 §3: an email the relay took but could not deliver comes back. The worker sends from
// bounce+ID-TAG@ its bounce domain; the relay (the sink, as Postfix would) writes its delivery
// status notification to the bounce mailbox; the worker reads it, fails both notices with the
// mail server's reason and puts the address on the suppression list, so the cancellation that
// follows is not sent into the same hole.
TEST_F(SmsDeliveryTest, AnEmailThatBouncesIsFailedWithTheReasonAndTheAddressIsNotWrittenToAgain) {
  SmtpSink sink;
  ASSERT_NO_FATAL_FAILURE(StartEmail("gone@example.jp", sink));
  extra_flags_ = {"--smtp-url", sink.url, "--bounce-domain", "Bounce.Nichinan.Example.JP", "--bounce-maildir", sink.maildir};
  StartServer();
  const nlohmann::json booking = Book("6000000002", "1941-05-02");
  ASSERT_TRUE(booking.contains("confirmation_code")) << booking.dump();
  std::vector<store::StoredMessage> messages;
  ASSERT_TRUE(WaitUntil(
      [&] {
        messages = Messages();
        if (messages.size() < 2) return false;
        for (const auto& m : messages) {
          if (Delivery(m.id).state != messaging::MessageState::kFailed) return false;
        }
        return true;
      },
      30))
      << ReadFile(dir_ + "/serve.err");
  for (const auto& m : messages) {
    EXPECT_EQ(Delivery(m.id).last_error, "email_bounced: 5.1.1");
    EXPECT_EQ(Delivery(m.id).address_used, "gone@example.jp");
  }
  // The notification came back to the envelope sender, which named the message; the log names it by id.
  const std::string raw = ReadFile(dir_ + "/serve.err");
  EXPECT_THAT(raw, ::testing::HasSubstr("msg=\"email report\""));
  EXPECT_EQ(raw.find("gone@example.jp"), std::string::npos) << "no address in the log";
  std::string suppressed;
  ASSERT_TRUE(store::WithConnection(*db_, [&](store::Connection& c) -> Status {
                MADOGUCHI_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT reason FROM suppressions WHERE address = 'gone@example.jp'"));
                if (!rows.empty()) suppressed = rows[0].Text(0);
                return Status::Ok();
              }).ok());
  EXPECT_EQ(suppressed, "invalid");

  httplib::Client c("127.0.0.1", port_);
  const nlohmann::json who = {{"ticket_number", "6000000002"}, {"birth_date", "1941-05-02"}};
  auto cancel = c.Delete("/api/v1/t/452041/bookings/" + booking["confirmation_code"].get<std::string>(), who.dump(), "application/json");
  ASSERT_TRUE(cancel && cancel->status == 200) << (cancel ? cancel->body : "no answer");
  ASSERT_TRUE(WaitFor([&] {
    for (const auto& m : Messages()) {
      if (m.message.template_key == "booking_cancelled") return Delivery(m.id).state == messaging::MessageState::kSuppressed;
    }
    return false;
  })) << ReadFile(dir_ + "/serve.err");
  sink.Stop();
}

// The production example (deploy/kannel/kannel.conf.example) did not start: its "# !" markers sat
// after values, which Kannel reads as part of them (dlr-storage 'spool # !' is not a storage), and
// nothing started it. Here it starts as a city would run it, every <…> filled in (ports free on
// loopback, paths in a temporary folder, an aggregator that does not answer): bearerbox and smsbox
// come up, keep reports in Redis, and take a message to send once the aggregator answers.
TEST(KannelExampleTest, TheProductionExampleStartsWithItsValuesFilledIn) {
  std::string conf = ReadFile(std::string(MADOGUCHI_SOURCE_DIR) + "/deploy/kannel/kannel.conf.example");
  ASSERT_FALSE(conf.empty());
  const std::vector<std::pair<std::string, std::string>> fill = {
      {"admin-port = 13000", "admin-port = @ADMIN_PORT@"},
      {"smsbox-port = 13001", "smsbox-port = @SMSBOX_PORT@"},
      {"bearerbox-port = 13001", "bearerbox-port = @SMSBOX_PORT@"},
      {"sendsms-port = 13013", "sendsms-port = @SENDSMS_PORT@"},
      {"port = 6379", "port = @REDIS_PORT@"},
      {"/var/log/kannel/", "@DIR@/"},
      {"/var/spool/kannel/", "@DIR@/"},
      {"admin-password = <a long random password>", "admin-password = @ADMIN_PASS@"},
      {"username = madoguchi", "username = @USER@"},
      {"password = <a long random password>", "password = @PASS@"},
      {"<aggregator host>", "127.0.0.1"},
      {"<aggregator port>", "@MT_PORT@"},
      {"<system id>", "madoguchi"},
      {"<password>", "secret"},
      {"<messages per second the account allows>", "100"},
      {"<the mo_url madoguchi sms hooks prints>", "@MO_URL@"},
  };
  for (const auto& [from, to] : fill) {
    const size_t at = conf.find(from);
    ASSERT_NE(at, std::string::npos) << "the example no longer has " << from;
    conf.replace(at, from.size(), to);
  }
  // Nothing left to fill in, outside the comments.
  std::istringstream lines(conf);
  for (std::string line; std::getline(lines, line);) {
    if (!line.starts_with("#")) {
      EXPECT_EQ(line.find('<'), std::string::npos) << "not filled in: " << line;
    }
  }
  const std::string dir = Sh("mktemp -d -t madoguchi-example.XXXXXX | tr -d '\\n'");
  ASSERT_FALSE(dir.empty());
  const std::string conf_in = dir + "/kannel.conf.in";
  std::ofstream(conf_in) << conf;

  std::string out;
  Kannel k = Kannel::Start("http://127.0.0.1:9/mo?from=%p&text=%a", &out, conf_in);
  ASSERT_FALSE(k.dir.empty()) << out;
  httplib::Client admin(k.admin_url);
  auto xml = admin.Get("/status.xml?password=" + k.admin_password);
  ASSERT_TRUE(xml) << out;
  EXPECT_NE(xml->body.find("<storage>redis</storage>"), std::string::npos) << xml->body;
  EXPECT_NE(xml->body.find("<id>mt</id>"), std::string::npos) << xml->body;
  // Taken for sending (kept in the store file until the aggregator answers).
  httplib::Client sendsms(k.sendsms_url.substr(0, k.sendsms_url.find("/cgi-bin")));
  auto sent = sendsms.Get("/cgi-bin/sendsms?username=mdg&password=" + k.password + "&from=madoguchi&to=%2B819012345678&text=test&smsc=mt");
  ASSERT_TRUE(sent);
  EXPECT_EQ(sent->status, 202) << sent->body;
  k.Stop();
  Sh("rm -rf '" + dir + "'");
}

}  // namespace
}  // namespace madoguchi::testing
