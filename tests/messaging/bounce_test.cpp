// Email bounces (issue #12 §3): the envelope sender names the message under a tag only the server
// can make, and a delivery status notification fails, notes or delivers it by its Action and Status.
#include "messaging/bounce.hpp"

#include <gtest/gtest.h>

#include "support/status_matchers.hpp"

namespace madoguchi::messaging {
namespace {

using testing::StatusIsOn;
using Kind = BounceEffect::Kind;

const std::string kKey = BounceKey("the server's secret");

TEST(BounceTest, AnAddressNamesItsMessageOnlyUnderItsOwnKeyAndTag) {
  const std::string a = BounceAddress(123, kKey, "bounce.city.example.jp");
  EXPECT_EQ(a.rfind("bounce+123-", 0), 0U) << a;
  EXPECT_EQ(a.substr(a.find('@')), "@bounce.city.example.jp");
  EXPECT_EQ(BouncedMessage({a}, kKey), 123);
  // As mail servers write it back: in brackets, in upper case, after other addresses.
  std::string upper;
  for (char c : a) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(BouncedMessage({"postmaster@city.example.jp", "<" + upper + ">"}, kKey), 123);
  EXPECT_EQ(BouncedMessage({a}, BounceKey("another server")), std::nullopt);
  // Another message's number with this one's tag, a tag cut short, no number at all.
  std::string other = a;
  other.replace(other.find("123"), 3, "124");
  EXPECT_EQ(BouncedMessage({other}, kKey), std::nullopt);
  std::string cut = a;
  cut.erase(cut.find('@') - 1, 1);
  EXPECT_EQ(BouncedMessage({cut}, kKey), std::nullopt);
  EXPECT_EQ(BouncedMessage({"bounce+-" + a.substr(a.find('-') + 1)}, kKey), std::nullopt);
  EXPECT_EQ(BouncedMessage({"taro@example.jp", ""}, kKey), std::nullopt);
}

TEST(BounceTest, ABounceDomainIsADomainName) {
  EXPECT_EQ(*NormalBounceDomain("Bounce.City.Example.JP"), "bounce.city.example.jp");
  EXPECT_THAT(NormalBounceDomain("localhost").status(), StatusIsOn(StatusCode::kInvalidArgument, "bad_bounce_domain", "bounce-domain"));
  EXPECT_THAT(NormalBounceDomain("bounce..example.jp").status(),
              StatusIsOn(StatusCode::kInvalidArgument, "bad_bounce_domain", "bounce-domain"));
  EXPECT_THAT(NormalBounceDomain("-x.example.jp").status(), StatusIsOn(StatusCode::kInvalidArgument, "bad_bounce_domain", "bounce-domain"));
  EXPECT_THAT(NormalBounceDomain("bounce@example.jp").status(),
              StatusIsOn(StatusCode::kInvalidArgument, "bad_bounce_domain", "bounce-domain"));
  EXPECT_THAT(NormalBounceDomain("").status(), StatusIsOn(StatusCode::kInvalidArgument, "bad_bounce_domain", "bounce-domain"));
}

TEST(BounceTest, NoSuchMailboxFailsTheMessageAndSuppressesTheAddress) {
  const BounceEffect e = ClassifyBounce({{"failed", "5.1.1"}});
  EXPECT_EQ(e.kind, Kind::kFailed);
  EXPECT_EQ(e.error, "email_bounced: 5.1.1");
  EXPECT_TRUE(e.suppress);
  EXPECT_TRUE(ClassifyBounce({{"Failed", "5.1.10"}}).suppress);  // a domain with a null MX
  EXPECT_TRUE(ClassifyBounce({{"failed", "5.2.1"}}).suppress);   // the mailbox is disabled
}

TEST(BounceTest, AFullMailboxOrARefusedMessageFailsThisMessageOnly) {
  for (const char* status : {"5.2.2", "5.7.1", "4.4.7", "5.3.4"}) {
    const BounceEffect e = ClassifyBounce({{"failed", status}});
    EXPECT_EQ(e.kind, Kind::kFailed) << status;
    EXPECT_EQ(e.error, std::string("email_bounced: ") + status);
    EXPECT_FALSE(e.suppress) << status;
  }
  // A status that is not class.subject.detail is not guessed at: failed, nothing suppressed.
  const BounceEffect odd = ClassifyBounce({{"failed", "550 user unknown"}});
  EXPECT_EQ(odd.error, "email_bounced: 5.0.0");
  EXPECT_FALSE(odd.suppress);
}

TEST(BounceTest, ADelayIsNotedAndADeliveryReportDelivers) {
  const BounceEffect d = ClassifyBounce({{"delayed", "4.4.1"}});
  EXPECT_EQ(d.kind, Kind::kDelayed);
  EXPECT_EQ(d.error, "email_delayed: 4.4.1");
  EXPECT_EQ(ClassifyBounce({{"delayed", ""}}).error, "email_delayed: 4.0.0");
  EXPECT_EQ(ClassifyBounce({{"delivered", "2.0.0"}}).kind, Kind::kDelivered);
  // Relayed or expanded says nothing of whether it arrived; the first telling recipient decides.
  EXPECT_EQ(ClassifyBounce({{"relayed", "2.0.0"}}).kind, Kind::kNone);
  EXPECT_EQ(ClassifyBounce({{"expanded", "2.0.0"}, {"failed", "5.1.1"}}).kind, Kind::kFailed);
  EXPECT_EQ(ClassifyBounce({}).kind, Kind::kNone);
}

TEST(BounceTest, ANotificationChangesOnlyAMessageThatWentOutByEmailAndIsNotSettled) {
  const BounceEffect failed = ClassifyBounce({{"failed", "5.1.1"}});
  for (MessageState s : {MessageState::kSending, MessageState::kSent, MessageState::kDelivered}) {
    EXPECT_EQ(StateAfterBounce(failed, s).state, MessageState::kFailed);
    EXPECT_TRUE(StateAfterBounce(failed, s).changed);
  }
  for (MessageState s : {MessageState::kQueued, MessageState::kFailed, MessageState::kCancelled, MessageState::kSuppressed}) {
    EXPECT_FALSE(StateAfterBounce(failed, s).changed) << MessageStateName(s);
  }
  const BounceEffect delayed = ClassifyBounce({{"delayed", "4.4.1"}});
  EXPECT_TRUE(StateAfterBounce(delayed, MessageState::kSent).changed);
  EXPECT_EQ(StateAfterBounce(delayed, MessageState::kSent).state, MessageState::kSent);
  EXPECT_FALSE(StateAfterBounce(delayed, MessageState::kFailed).changed);
  const BounceEffect delivered = ClassifyBounce({{"delivered", "2.0.0"}});
  EXPECT_EQ(StateAfterBounce(delivered, MessageState::kSent).state, MessageState::kDelivered);
  EXPECT_FALSE(StateAfterBounce(delivered, MessageState::kFailed).changed);  // a later success does not undo a failure
  EXPECT_FALSE(StateAfterBounce(BounceEffect{}, MessageState::kSent).changed);
}

}  // namespace
}  // namespace madoguchi::messaging
