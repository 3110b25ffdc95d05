// The worker's side of the outbox on both backends: claims under a lease (two workers never hold
// the same message; a dead worker's claims come back), outcomes recorded only by the holder,
// delivery reports (idempotent, and kept when they beat the worker's own record), suppression
// and the tenant's sending settings.
#include "store/outbox/delivery.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <thread>

#include "store/accounts/accounts.hpp"
#include "store/outbox/campaigns.hpp"
#include "store/outbox/links.hpp"
#include "support/status_matchers.hpp"
#include "support/test_db.hpp"

namespace madoguchi::store {
namespace {

using messaging::Delivery;
using messaging::Message;
using messaging::MessageState;
using testing::IsOk;
using testing::StatusIs;
using testing::StatusIsOn;
using testing::TestDatabase;
using Kind = AttemptOutcome::Kind;

constexpr char kTenant[] = "452041";
constexpr int64_t kNow = 1'800'000'000'000;

Message To(const std::string& phone, const std::string& key, messaging::Purpose purpose = messaging::Purpose::kBooking,
           int64_t due = kNow) {
  Message m;
  m.tenant = kTenant;
  m.address = phone;
  m.channels = {Delivery::kSms};
  m.template_key = "waitlist_offer";
  m.variables = {{"venue", std::string("市民会館")}, {"starts_at_ms", kNow + 86'400'000}};
  m.purpose = purpose;
  m.due_at_ms = due;
  m.dedupe_key = key;
  return m;
}

class DeliveryStoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    tdb_ = std::make_unique<TestDatabase>(GetParam());
    MADOGUCHI_REQUIRE_DB(*tdb_);
    db_ = tdb_->Open(true);
    ASSERT_NE(db_, nullptr);
    ASSERT_THAT(InTransaction(*db_, [](Connection& c) { return InsertTenant(c, {kTenant, "日南市", kNow}); }), IsOk());
  }
  void Enqueue(const std::vector<Message>& m) {
    ASSERT_THAT(InTransaction(*db_, [&](Connection& c) { return EnqueueMessages(c, m, kNow); }), IsOk());
  }
  std::vector<ClaimedMessage> Claim(const std::string& worker, int64_t now, int limit = 100, int64_t lease = 60'000) {
    std::vector<ClaimedMessage> out;
    EXPECT_THAT(InTransaction(*db_,
                              [&](Connection& c) -> Status {
                                MADOGUCHI_ASSIGN_OR_RETURN(out, ClaimMessages(c, worker, now, lease, limit));
                                return Status::Ok();
                              }),
                IsOk());
    return out;
  }
  int64_t Record(const std::string& worker, const std::vector<AttemptOutcome>& o) {
    int64_t lost = -1;
    EXPECT_THAT(InTransaction(*db_,
                              [&](Connection& c) -> Status {
                                MADOGUCHI_ASSIGN_OR_RETURN(lost, RecordOutcomes(c, worker, o, kNow));
                                return Status::Ok();
                              }),
                IsOk());
    return lost;
  }
  DeliveryRecord Get(int64_t id) {
    DeliveryRecord d;
    EXPECT_THAT(WithConnection(*db_,
                               [&](Connection& c) -> Status {
                                 MADOGUCHI_ASSIGN_OR_RETURN(d, GetDelivery(c, id));
                                 return Status::Ok();
                               }),
                IsOk());
    return d;
  }
  Result<bool> Report(int64_t id, int part, int parts, messaging::PartReport r) {
    bool changed = false;
    Status s = InTransaction(*db_, [&](Connection& c) -> Status {
      MADOGUCHI_ASSIGN_OR_RETURN(changed, RecordPartReport(c, id, part, parts, r, kNow));
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return changed;
  }
  static AttemptOutcome Sent(int64_t id, int parts) {
    AttemptOutcome o;
    o.id = id;
    o.kind = Kind::kSent;
    o.channel = Delivery::kSms;
    o.address_used = "+819012345678";
    o.parts = parts;
    o.cost_sen = parts * 300;
    return o;
  }

  std::unique_ptr<TestDatabase> tdb_;
  std::unique_ptr<Database> db_;
};

TEST_P(DeliveryStoreTest, ClaimsTakeDueMessagesUrgentFirstThenBookingsThenCampaigns) {
  Message urgent = To("09011112222", "u", messaging::Purpose::kTriage);
  urgent.urgency = messaging::Urgency::kUrgent;
  Enqueue({To("09011112222", "campaign", messaging::Purpose::kCampaign, kNow - 5000), To("09011112222", "booking"), urgent,
           To("09011112222", "later", messaging::Purpose::kBooking, kNow + 60'000)});
  const auto claimed = Claim("w1", kNow);
  ASSERT_EQ(claimed.size(), 3u) << "the one due later is not taken";
  EXPECT_EQ(claimed[0].stored.message.dedupe_key, "u");
  EXPECT_EQ(claimed[1].stored.message.dedupe_key, "booking");
  EXPECT_EQ(claimed[2].stored.message.dedupe_key, "campaign") << "campaign traffic waits behind notices, even when older";
  EXPECT_EQ(claimed[0].reach.phone, "09011112222") << "a message to an address is sent there";
  EXPECT_EQ(claimed[0].context.tenant_name, "日南市");
  EXPECT_EQ(Get(claimed[0].stored.id).state, MessageState::kSending);
  EXPECT_TRUE(Claim("w2", kNow).empty()) << "held messages are not claimed twice";
}

TEST_P(DeliveryStoreTest, TwoWorkersClaimingAtOnceNeverHoldTheSameMessage) {
  std::vector<Message> many;
  for (int i = 0; i < 400; ++i) many.push_back(To("09011112222", "m" + std::to_string(i)));
  Enqueue(many);
  std::vector<std::vector<int64_t>> held(4);
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&, w] {
      for (;;) {
        std::vector<ClaimedMessage> got;
        Status s = InTransaction(*db_, [&](Connection& c) -> Status {
          MADOGUCHI_ASSIGN_OR_RETURN(got, ClaimMessages(c, "w" + std::to_string(w), kNow, 60'000, 25));
          return Status::Ok();
        });
        if (!s.ok() || got.empty()) return;
        for (const auto& g : got) held[w].push_back(g.stored.id);
      }
    });
  }
  for (auto& t : workers) t.join();
  std::set<int64_t> all;
  size_t total = 0;
  for (const auto& h : held) {
    total += h.size();
    all.insert(h.begin(), h.end());
  }
  EXPECT_EQ(total, 400u);
  EXPECT_EQ(all.size(), 400u) << "no message held by two workers";
}

TEST_P(DeliveryStoreTest, ADeadWorkersClaimsComeBackWhenTheLeaseRunsOutAndItsLateOutcomeChangesNothing) {
  Enqueue({To("09011112222", "a")});
  const auto first = Claim("dead", kNow, 10, 30'000);
  ASSERT_EQ(first.size(), 1u);
  int64_t back = -1;
  ASSERT_THAT(InTransaction(*db_,
                            [&](Connection& c) -> Status {
                              MADOGUCHI_ASSIGN_OR_RETURN(back, ReclaimExpiredLeases(c, kNow + 10'000));
                              return Status::Ok();
                            }),
              IsOk());
  EXPECT_EQ(back, 0) << "the lease still holds";
  ASSERT_THAT(InTransaction(*db_,
                            [&](Connection& c) -> Status {
                              MADOGUCHI_ASSIGN_OR_RETURN(back, ReclaimExpiredLeases(c, kNow + 31'000));
                              return Status::Ok();
                            }),
              IsOk());
  EXPECT_EQ(back, 1);
  const auto again = Claim("alive", kNow + 31'000);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(Record("dead", {Sent(first[0].stored.id, 1)}), 1) << "the dead worker's outcome is counted as lost";
  EXPECT_EQ(Get(first[0].stored.id).state, MessageState::kSending) << "and changes nothing";
  EXPECT_EQ(Record("alive", {Sent(first[0].stored.id, 1)}), 0);
  const DeliveryRecord d = Get(first[0].stored.id);
  EXPECT_EQ(d.state, MessageState::kSent);
  EXPECT_EQ(d.attempts, 1);
  EXPECT_EQ(d.address_used, "+819012345678");
  EXPECT_EQ(d.cost_sen, 300);
}

TEST_P(DeliveryStoreTest, ABatchOfSentMessagesIsRecordedTogetherEachAsItsOwn) {
  // One batch (recorded in one statement): one message whose lease another worker took, one whose
  // delivery report beat the worker's record, one sent in three parts, one by email, and a
  // retry among them.
  Enqueue({To("09011110001", "taken"), To("09011110002", "reported"), To("09011110003", "long"), To("09011110004", "mail"),
           To("09011110005", "retry")});
  const auto c = Claim("w", kNow, 10, 30'000);
  ASSERT_EQ(c.size(), 5u);
  std::map<std::string, int64_t> id;
  for (const ClaimedMessage& m : c) id[m.stored.message.dedupe_key] = m.stored.id;
  ASSERT_THAT(InTransaction(*db_, [&](Connection& conn) { return ReclaimExpiredLeases(conn, kNow + 31'000).status(); }), IsOk());
  ASSERT_EQ(Claim("other", kNow + 31'000, 10).size(), 5u) << "every lease ran out; another worker holds them now";
  // Give the first worker back all but "taken": as if only that one had been lost.
  ASSERT_THAT(InTransaction(*db_,
                            [&](Connection& conn) {
                              return conn.Query("UPDATE messages SET lease_owner = 'w' WHERE id <> ?", {id["taken"]}).status();
                            }),
              IsOk());
  ASSERT_THAT(Report(id["reported"], 0, 1, messaging::PartReport::kDelivered), IsOk());
  AttemptOutcome mail = Sent(id["mail"], 1);
  mail.channel = Delivery::kEmail;
  mail.address_used = "hanako@example.jp";
  mail.provider_id = "<m-4@madoguchi>";
  mail.cost_sen = 0;
  AttemptOutcome retry{id["retry"], Kind::kRetry, "sms_gateway_unavailable", kNow + 60'000};
  EXPECT_EQ(Record("w", {Sent(id["long"], 3), retry, Sent(id["taken"], 1), mail, Sent(id["reported"], 1)}), 1)
      << "the one another worker holds is counted as lost";
  EXPECT_EQ(Get(id["taken"]).state, MessageState::kSending) << "and left to that worker";
  EXPECT_EQ(Get(id["reported"]).state, MessageState::kDelivered) << "the report that came first is kept";
  EXPECT_EQ(Get(id["reported"]).attempts, 1);
  const DeliveryRecord long_one = Get(id["long"]);
  EXPECT_EQ(long_one.state, MessageState::kSent);
  EXPECT_EQ(long_one.parts, 3);
  EXPECT_EQ(long_one.cost_sen, 900);
  const DeliveryRecord by_mail = Get(id["mail"]);
  EXPECT_EQ(by_mail.state, MessageState::kSent);
  EXPECT_EQ(by_mail.address_used, "hanako@example.jp");
  EXPECT_EQ(by_mail.cost_sen, 0);
  EXPECT_EQ(Get(id["retry"]).state, MessageState::kQueued);
}

TEST_P(DeliveryStoreTest, RetriesDeferralsAndFailuresAsTheWorkerRecordsThem) {
  Enqueue({To("09011112222", "retry"), To("09011112222", "night"), To("09011112222", "fail")});
  const auto c = Claim("w", kNow);
  ASSERT_EQ(c.size(), 3u);
  AttemptOutcome retry{c[0].stored.id, Kind::kRetry, "sms_gateway_unavailable", kNow + 30'000};
  AttemptOutcome night{c[1].stored.id, Kind::kDeferred, "", kNow + 8 * 3'600'000};
  AttemptOutcome fail{c[2].stored.id, Kind::kFailed, "no channel reaches the recipient (sms: not_mobile)"};
  EXPECT_EQ(Record("w", {retry, night, fail}), 0);
  EXPECT_EQ(Get(retry.id).state, MessageState::kQueued);
  EXPECT_EQ(Get(retry.id).attempts, 1);
  EXPECT_EQ(Get(retry.id).last_error, "sms_gateway_unavailable");
  EXPECT_EQ(Get(night.id).attempts, 0) << "waiting for the morning is not an attempt";
  EXPECT_EQ(Get(fail.id).state, MessageState::kFailed);
  EXPECT_TRUE(Claim("w", kNow + 29'000).empty()) << "not before its next attempt";
  ASSERT_EQ(Claim("w", kNow + 30'000).size(), 1u);
}

TEST_P(DeliveryStoreTest, ReportsDeliverEveryPartOnceAndAReportBeforeTheWorkersRecordIsKept) {
  Enqueue({To("09011112222", "two"), To("09011112222", "fast")});
  const auto c = Claim("w", kNow);
  ASSERT_EQ(c.size(), 2u);
  const int64_t two = c[0].stored.id, fast = c[1].stored.id;
  // "fast": the handset's report arrives before the worker has recorded the send.
  EXPECT_THAT(Report(fast, 0, 1, messaging::PartReport::kDelivered), IsOk());
  EXPECT_EQ(Get(fast).state, MessageState::kDelivered);
  EXPECT_EQ(Record("w", {Sent(two, 2), Sent(fast, 1)}), 0);
  EXPECT_EQ(Get(fast).state, MessageState::kDelivered) << "the earlier report is not undone";
  EXPECT_EQ(Get(fast).parts, 1);
  EXPECT_EQ(*Report(two, 1, 2, messaging::PartReport::kDelivered), true);
  EXPECT_EQ(Get(two).state, MessageState::kSent) << "one part of two";
  EXPECT_EQ(*Report(two, 1, 2, messaging::PartReport::kDelivered), false) << "a repeated report";
  EXPECT_EQ(*Report(two, 0, 2, messaging::PartReport::kDelivered), true);
  EXPECT_EQ(Get(two).state, MessageState::kDelivered);
  EXPECT_TRUE(Get(two).delivered_at_ms.has_value());
  EXPECT_THAT(Report(999999, 0, 1, messaging::PartReport::kDelivered), StatusIs(StatusCode::kNotFound, "unknown_message"));
}

// Email bounces (issue #12 §3): a report that the mailbox does not exist fails the email and
// suppresses the address; a repeat changes nothing; a bounce naming an SMS or no message is refused.
TEST_P(DeliveryStoreTest, ABounceFailsTheEmailAndSuppressesAnAddressThatDoesNotExist) {
  Enqueue({To("09011112222", "mail"), To("09011112222", "full"), To("09011112222", "sms"), To("09011112222", "early")});
  const auto c = Claim("w", kNow);
  ASSERT_EQ(c.size(), 4u);
  auto by_email = [](int64_t id, const std::string& to) {
    AttemptOutcome o = Sent(id, 0);
    o.channel = Delivery::kEmail;
    o.address_used = to;
    o.cost_sen = 0;
    return o;
  };
  const int64_t mail = c[0].stored.id, full = c[1].stored.id, sms = c[2].stored.id, early = c[3].stored.id;
  auto bounce = [&](int64_t id, const std::string& action, const std::string& status) -> Result<BounceRecorded> {
    BounceRecorded r;
    Status st = InTransaction(*db_, [&](Connection& conn) -> Status {
      MADOGUCHI_ASSIGN_OR_RETURN(r, RecordEmailBounce(conn, id, messaging::ClassifyBounce({{action, status}}), kNow));
      return Status::Ok();
    });
    if (!st.ok()) return st;
    return r;
  };
  // "early": the relay's report comes before the worker has recorded the send; it is kept.
  ASSERT_THAT(bounce(early, "failed", "5.2.2").status(), IsOk());
  EXPECT_EQ(Record("w", {by_email(mail, "taro@example.jp"), by_email(full, "hanako@example.jp"), Sent(sms, 1),
                         by_email(early, "jiro@example.jp")}),
            0);
  EXPECT_EQ(Get(early).state, MessageState::kFailed);
  EXPECT_EQ(Get(early).last_error, "email_bounced: 5.2.2") << "the reason outlives the worker's record";

  Result<BounceRecorded> r = bounce(mail, "failed", "5.1.1");
  ASSERT_THAT(r.status(), IsOk());
  EXPECT_TRUE(r->changed);
  EXPECT_TRUE(r->suppressed);
  EXPECT_EQ(Get(mail).state, MessageState::kFailed);
  EXPECT_EQ(Get(mail).last_error, "email_bounced: 5.1.1");
  r = bounce(mail, "failed", "5.1.1");
  ASSERT_THAT(r.status(), IsOk());
  EXPECT_FALSE(r->changed) << "the same report again";

  ASSERT_THAT(bounce(full, "delayed", "4.2.2").status(), IsOk());
  EXPECT_EQ(Get(full).state, MessageState::kSent) << "a delay leaves it sent";
  EXPECT_EQ(Get(full).last_error, "email_delayed: 4.2.2");
  r = bounce(full, "failed", "5.2.2");
  ASSERT_THAT(r.status(), IsOk());
  EXPECT_FALSE(r->suppressed) << "a full mailbox may take the next one";
  EXPECT_EQ(Get(full).state, MessageState::kFailed);

  EXPECT_THAT(bounce(sms, "failed", "5.1.1").status(), StatusIs(StatusCode::kNotFound, "unknown_message"));
  EXPECT_EQ(Get(sms).state, MessageState::kSent) << "an SMS is not failed by an email's report";
  EXPECT_THAT(bounce(999999, "failed", "5.1.1").status(), StatusIs(StatusCode::kNotFound, "unknown_message"));

  std::set<std::string> hit;
  ASSERT_THAT(
      WithConnection(
          *db_,
          [&](Connection& conn) -> Status {
            MADOGUCHI_ASSIGN_OR_RETURN(hit, SuppressedAmong(conn, kTenant, {"taro@example.jp", "hanako@example.jp", "jiro@example.jp"}));
            return Status::Ok();
          }),
      IsOk());
  EXPECT_EQ(hit, std::set<std::string>{"taro@example.jp"});
}

TEST_P(DeliveryStoreTest, SuppressionAndSettings) {
  ASSERT_THAT(InTransaction(*db_, [](Connection& c) { return Suppress(c, kTenant, "+819011112222", "reply_stop", std::nullopt, kNow); }),
              IsOk());
  ASSERT_THAT(InTransaction(*db_, [](Connection& c) { return Suppress(c, kTenant, "+819011112222", "staff", 3, kNow); }), IsOk())
      << "again: no change, no error";
  std::set<std::string> hit;
  ASSERT_THAT(WithConnection(*db_,
                             [&](Connection& c) -> Status {
                               MADOGUCHI_ASSIGN_OR_RETURN(hit, SuppressedAmong(c, kTenant, {"+819011112222", "+819033334444"}));
                               return Status::Ok();
                             }),
              IsOk());
  EXPECT_EQ(hit, std::set<std::string>{"+819011112222"});
  messaging::SendingSettings s;
  s.max_sms_parts = 0;
  EXPECT_THAT(InTransaction(*db_, [&](Connection& c) { return SaveSendingSettings(c, kTenant, s, kNow); }),
              StatusIsOn(StatusCode::kInvalidArgument, "invalid_argument", "max_sms_parts"));
  s.max_sms_parts = 2;
  s.quiet_start_min = 22 * 60;
  ASSERT_THAT(InTransaction(*db_, [&](Connection& c) { return SaveSendingSettings(c, kTenant, s, kNow); }), IsOk());
  messaging::SendingSettings back;
  ASSERT_THAT(WithConnection(*db_,
                             [&](Connection& c) -> Status {
                               MADOGUCHI_ASSIGN_OR_RETURN(back, GetSendingSettings(c, kTenant));
                               return Status::Ok();
                             }),
              IsOk());
  EXPECT_EQ(back.max_sms_parts, 2);
  EXPECT_EQ(back.quiet_start_min, 22 * 60);
}

TEST_P(DeliveryStoreTest, ACampaignIsWrittenWholePausedItIsPassedOverCancelledItIsWithdrawn) {
  auto plan = messaging::PlanCampaign("{氏名}様", {"電話番号", "氏名"}, {{"090-1111-2222", "花子"}, {"080-3333-4444", "次郎"}}, {});
  ASSERT_TRUE(plan.ok());
  int64_t id = 0;
  ASSERT_THAT(
      InTransaction(*db_,
                    [&](Connection& c) -> Status {
                      MADOGUCHI_ASSIGN_OR_RETURN(id, CreateCampaign(c, {kTenant, "案内", "{氏名}様", kNow, std::nullopt, &*plan}, kNow));
                      return Status::Ok();
                    }),
      IsOk());
  Enqueue({To("09055556666", "booking")});
  CampaignRecord rec;
  auto get = [&] {
    EXPECT_THAT(WithConnection(*db_,
                               [&](Connection& c) -> Status {
                                 MADOGUCHI_ASSIGN_OR_RETURN(rec, GetCampaign(c, kTenant, id));
                                 return Status::Ok();
                               }),
                IsOk());
  };
  get();
  EXPECT_EQ(rec.recipients, 2);
  EXPECT_EQ(rec.cost_sen, 600);
  EXPECT_EQ(rec.Shown(kNow), messaging::CampaignState::kSending);
  auto change = [&](const std::string& action) {
    Result<messaging::CampaignState> out = InternalError("not run");
    Status s = InTransaction(*db_, [&](Connection& c) -> Status {
      out = ChangeCampaign(c, kTenant, id, action, kNow);
      return out.status();
    });
    (void)s;  // the same as out's
    return out;
  };
  ASSERT_THAT(change("pause"), IsOk());
  auto claimed = Claim("w", kNow);
  ASSERT_EQ(claimed.size(), 1u) << "the paused campaign's messages are passed over";
  EXPECT_EQ(claimed[0].stored.message.dedupe_key, "booking");
  ASSERT_THAT(change("cancel"), IsOk());
  get();
  EXPECT_EQ(rec.Shown(kNow), messaging::CampaignState::kCancelled);
  ASSERT_EQ(rec.by_state.size(), 1u);
  EXPECT_EQ(rec.by_state[0], (std::pair<std::string, int64_t>{"cancelled", 2}));
  EXPECT_THAT(change("resume"), StatusIs(StatusCode::kFailedPrecondition, "campaign_cancelled"));
  EXPECT_THAT(WithConnection(*db_, [&](Connection& c) { return GetCampaign(c, "131016", id).status(); }),
              StatusIs(StatusCode::kNotFound, "unknown_campaign"))
      << "another tenant's campaign is not found";
  // A draft cancelled keeps no recipient list.
  int64_t draft = 0;
  ASSERT_THAT(InTransaction(*db_,
                            [&](Connection& c) -> Status {
                              MADOGUCHI_ASSIGN_OR_RETURN(draft,
                                                         SaveCampaignDraft(c, {kTenant, "下書き", "{氏名}様", kNow, std::nullopt, &*plan},
                                                                           "電話番号,氏名\n090-1111-2222,花子\n", kNow));
                              return ChangeCampaign(c, kTenant, draft, "cancel", kNow).status();
                            }),
              IsOk());
  ASSERT_THAT(WithConnection(*db_,
                             [&](Connection& c) -> Status {
                               MADOGUCHI_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT recipients_csv FROM campaigns WHERE id = ?", {draft}));
                               EXPECT_EQ(rows.at(0).Text(0), "");
                               return Status::Ok();
                             }),
              IsOk());
  messaging::CampaignPlan bad = *plan;
  bad.problems.push_back({2, "電話番号", "not_mobile", "x"});
  EXPECT_THAT(InTransaction(*db_,
                            [&](Connection& c) {
                              return CreateCampaign(c, {kTenant, "x", "x", kNow, std::nullopt, &bad}, kNow).status();
                            }),
              StatusIsOn(StatusCode::kInvalidArgument, "campaign_has_problems", "file"));
}

// Issue #12: a message keeps its short link when it is sent again; a code another message has is
// not written (the worker draws again); each open is counted, the first one's time kept.
TEST_P(DeliveryStoreTest, AMessageKeepsItsShortLinkAndAClashingCodeIsNotWritten) {
  Enqueue({To("+819011112222", "l:1"), To("+819033334444", "l:2")});
  const std::vector<ClaimedMessage> claimed = Claim("w", kNow);
  ASSERT_EQ(claimed.size(), 2u);
  const int64_t a = claimed[0].stored.id, b = claimed[1].stored.id;
  const messaging::LinkTarget target{"/r/452041", kNow + 86'400'000};
  auto links = [&](const std::vector<NewShortLink>& l) {
    std::map<int64_t, std::string> out;
    EXPECT_THAT(InTransaction(*db_,
                              [&](Connection& c) -> Status {
                                MADOGUCHI_ASSIGN_OR_RETURN(out, LinksForMessages(c, l, kNow));
                                return Status::Ok();
                              }),
                IsOk());
    return out;
  };
  auto first = links({{a, kTenant, target, "AAAAAA11"}});
  EXPECT_EQ(first, (std::map<int64_t, std::string>{{a, "AAAAAA11"}}));
  auto again = links({{a, kTenant, target, "BBBBBB22"}, {b, kTenant, target, "AAAAAA11"}});
  EXPECT_EQ(again, (std::map<int64_t, std::string>{{a, "AAAAAA11"}})) << "a keeps its code; b's clashes and is left out";
  EXPECT_EQ(links({{b, kTenant, target, "CCCCCC33"}}), (std::map<int64_t, std::string>{{b, "CCCCCC33"}}));

  ASSERT_THAT(InTransaction(*db_,
                            [&](Connection& c) -> Status {
                              MADOGUCHI_RETURN_IF_ERROR(CountLinkOpen(c, "AAAAAA11", kNow + 5));
                              return CountLinkOpen(c, "AAAAAA11", kNow + 9);
                            }),
              IsOk());
  std::optional<ShortLink> found, missing;
  ASSERT_THAT(WithConnection(*db_,
                             [&](Connection& c) -> Status {
                               MADOGUCHI_ASSIGN_OR_RETURN(found, FindShortLink(c, "AAAAAA11"));
                               MADOGUCHI_ASSIGN_OR_RETURN(missing, FindShortLink(c, "ZZZZZZ99"));
                               return Status::Ok();
                             }),
              IsOk());
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->opens, 2);
  EXPECT_EQ(found->first_opened_at_ms, kNow + 5);
  EXPECT_EQ(found->target, "/r/452041");
  EXPECT_EQ(found->message_id, a);
  EXPECT_FALSE(missing.has_value());
}

INSTANTIATE_TEST_SUITE_P(Backends, DeliveryStoreTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace madoguchi::store
