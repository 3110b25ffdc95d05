// `madoguchi mail bounce` (issue #12 §3): delivery status notifications for our emails, piped one
// at a time by the mail server or read from a Maildir. A bounce for an email we sent fails it and
// suppresses an address that does not exist; a repeat, a forged tag, an auto-reply or bytes that
// are no message change nothing; a database that cannot be reached exits 75 so the mail server
// keeps the message and tries again.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "app/process.hpp"
#include "common/clock.hpp"
#include "common/crypto.hpp"
#include "messaging/bounce.hpp"
#include "store/accounts/accounts.hpp"
#include "store/outbox/delivery.hpp"
#include "support/test_db.hpp"
#include "web/web_app.hpp"

namespace madoguchi::testing {
namespace {

namespace fs = std::filesystem;
constexpr char kTenant[] = "452041";

std::string Dsn(const std::string& to, const std::string& action, const std::string& status) {
  return "Delivered-To: " + to + "\r\nFrom: MAILER-DAEMON@relay.example.jp (Mail Delivery System)\r\nTo: " + to +
         "\r\nSubject: Undelivered Mail Returned to Sender\r\nMIME-Version: 1.0\r\n"
         "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\r\n\r\n"
         "--b1\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
         "--b1\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; relay.example.jp\r\n\r\n"
         "Final-Recipient: rfc822; taro@example.jp\r\nAction: " +
         action + "\r\nStatus: " + status + "\r\n\r\n--b1--\r\n";
}

class MailBounceCliTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    tdb_ = std::make_unique<TestDatabase>(GetParam());
    MADOGUCHI_REQUIRE_DB(*tdb_);
    dir_ = MakeTempDir();
    ASSERT_EQ(Mdg({"migrate"}).exit_code, 0);
    ASSERT_EQ(Mdg({"tenant", "add", "--code", kTenant, "--name", "日南市"}).exit_code, 0);
    db_ = tdb_->Open(false);
    ASSERT_TRUE(crypto::InitCrypto());
    auto secret = web::LoadSigningSecret(*db_, SystemClock());
    ASSERT_TRUE(secret.ok()) << secret.status().ToString();
    key_ = messaging::BounceKey(*secret);
    // One email, sent.
    messaging::Message m;
    m.tenant = kTenant;
    m.address = "taro@example.jp";
    m.channels = {messaging::Delivery::kEmail};
    m.template_key = "waitlist_offer";
    m.variables = {{"venue", std::string("市民会館")}, {"starts_at_ms", int64_t{1'800'086'400'000}}};
    m.due_at_ms = 1'800'000'000'000;
    m.dedupe_key = "mail";
    ASSERT_TRUE(store::InTransaction(*db_, [&](store::Connection& c) -> Status {
                  MADOGUCHI_RETURN_IF_ERROR(store::EnqueueMessages(c, {m}, 1'800'000'000'000));
                  MADOGUCHI_ASSIGN_OR_RETURN(auto claimed, store::ClaimMessages(c, "w", 1'800'000'000'000, 60'000, 10));
                  if (claimed.size() != 1) return InternalError("claimed " + std::to_string(claimed.size()));
                  id_ = claimed[0].stored.id;
                  store::AttemptOutcome o;
                  o.id = id_;
                  o.kind = store::AttemptOutcome::Kind::kSent;
                  o.channel = messaging::Delivery::kEmail;
                  o.address_used = "taro@example.jp";
                  return store::RecordOutcomes(c, "w", {o}, 1'800'000'000'000).status();
                }).ok());
  }
  ProcessResult Mdg(std::vector<std::string> args, const std::string& stdin_text = "") {
    args.insert(args.begin(), MADOGUCHI_BINARY);
    args.push_back("--db");
    args.push_back(tdb_->url());
    return RunProcess(args, dir_, stdin_text);
  }
  nlohmann::json Counts(const ProcessResult& r) { return nlohmann::json::parse(r.out, nullptr, false); }
  store::DeliveryRecord Get() {
    store::DeliveryRecord d;
    EXPECT_TRUE(store::WithConnection(*db_, [&](store::Connection& c) -> Status {
                  MADOGUCHI_ASSIGN_OR_RETURN(d, store::GetDelivery(c, id_));
                  return Status::Ok();
                }).ok());
    return d;
  }
  std::unique_ptr<TestDatabase> tdb_;
  std::unique_ptr<store::Database> db_;
  std::string dir_, key_;
  int64_t id_ = 0;
};

TEST_P(MailBounceCliTest, ABouncePipedInFailsTheEmailOnceAndWhatIsNotOursChangesNothing) {
  const std::string ours = messaging::BounceAddress(id_, key_, "bounce.example.jp");
  std::string forged = messaging::BounceAddress(id_, messaging::BounceKey("another secret"), "bounce.example.jp");
  auto r = Mdg({"mail", "bounce"}, Dsn(forged, "failed", "5.1.1"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Counts(r)["unmatched"], 1) << r.out;
  EXPECT_EQ(Get().state, messaging::MessageState::kSent) << "a tag not made by this server changes nothing";
  r = Mdg({"mail", "bounce"}, "From: taro@example.jp\r\nTo: " + ours + "\r\nSubject: out of office\r\n\r\nback on Monday\r\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Counts(r)["not_reports"], 1) << r.out;
  r = Mdg({"mail", "bounce"}, "");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Counts(r)["not_reports"], 1) << "nothing on stdin is read, not an error: " << r.out;

  r = Mdg({"mail", "bounce"}, Dsn(ours, "failed", "5.1.1"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Counts(r)["failed"], 1) << r.out;
  EXPECT_EQ(Counts(r)["suppressed"], 1) << r.out;
  EXPECT_EQ(Get().state, messaging::MessageState::kFailed);
  EXPECT_EQ(Get().last_error, "email_bounced: 5.1.1");
  r = Mdg({"mail", "bounce"}, Dsn(ours, "failed", "5.1.1"));
  EXPECT_EQ(Counts(r)["unchanged"], 1) << "the same report again: " << r.out;
}

TEST_P(MailBounceCliTest, AMaildirIsReadWhatWasUsedIsDeletedAndWhatWasNotIsFiledForThePostmaster) {
  const fs::path md = dir_ + "/bounces";
  for (const char* sub : {"new", "cur", "tmp"}) fs::create_directories(md / sub);
  std::ofstream(md / "new" / "1.a") << Dsn(messaging::BounceAddress(id_, key_, "bounce.example.jp"), "delayed", "4.4.7");
  std::ofstream(md / "new" / "2.b") << "From: spam@example.com\r\nTo: postmaster@bounce.example.jp\r\n\r\nbuy now\r\n";
  auto r = Mdg({"mail", "bounce", "--maildir", md.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Counts(r)["read"], 2) << r.out;
  EXPECT_EQ(Counts(r)["delayed"], 1) << r.out;
  EXPECT_EQ(Counts(r)["unmatched"], 1) << r.out;
  EXPECT_EQ(Get().state, messaging::MessageState::kSent) << "a delay leaves the email sent";
  EXPECT_EQ(Get().last_error, "email_delayed: 4.4.7");
  EXPECT_TRUE(fs::is_empty(md / "new"));
  EXPECT_TRUE(fs::exists(md / "cur" / "2.b:2,S")) << "what was not ours is kept for a person";
  EXPECT_FALSE(fs::exists(md / "cur" / "1.a:2,S")) << "what was used is not kept";

  r = Mdg({"mail", "bounce", "--maildir", dir_ + "/nowhere"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, ::testing::HasSubstr("--maildir"));
}

TEST(MailBounceCliFaultTest, ADatabaseThatCannotBeReachedExitsSeventyFiveSoTheMailServerKeepsTheMessage) {
  const std::string dir = MakeTempDir();
  auto r =
      RunProcess({MADOGUCHI_BINARY, "mail", "bounce", "--db", "postgresql://nobody@127.0.0.1:1/none"}, dir, "To: x@y.jp\r\n\r\nhi\r\n");
  EXPECT_EQ(r.exit_code, 75) << r.err;
}

INSTANTIATE_TEST_SUITE_P(Backends, MailBounceCliTest, ::testing::ValuesIn(Backends()),
                         [](const ::testing::TestParamInfo<std::string>& i) { return i.param; });

}  // namespace
}  // namespace madoguchi::testing
