// Japanese mobile numbers as people write them, kept as E.164; what cannot receive SMS is
// refused with the reason.
#include "messaging/phone.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/status_matchers.hpp"

namespace madoguchi::messaging {
namespace {

using testing::StatusIsOn;

TEST(PhoneTest, TheUsualWrittenFormsOfAMobileNumber) {
  for (const char* typed :
       {"090-1234-5678", "09012345678", "０９０－１２３４－５６７８", "090 1234 5678", "(090)1234-5678", "+81 90-1234-5678",
        "+819012345678", "+81(0)90-1234-5678", "＋８１ ９０ １２３４ ５６７８", " 090-1234-5678 "}) {
    auto e = MobileE164(typed);
    ASSERT_TRUE(e.ok()) << typed << ": " << e.status().ToString();
    EXPECT_EQ(*e, "+819012345678") << typed;
  }
  EXPECT_EQ(*MobileE164("070-1111-2222"), "+817011112222");
  EXPECT_EQ(*MobileE164("080-3333-4444"), "+818033334444");
}

TEST(PhoneTest, LandlinesAndOtherServicesCannotReceiveSms) {
  for (const char* typed : {"0987-31-1111", "03-1234-5678", "0120-123-456", "050-1234-5678", "020-1234-5678"}) {
    EXPECT_THAT(MobileE164(typed), StatusIsOn(StatusCode::kInvalidArgument, "not_mobile", "phone")) << typed;
  }
}

TEST(PhoneTest, MalformedNumbersAreRefused) {
  for (const char* typed : {"", "090-1234-567", "090-1234-56789", "9012345678", "+1 415 555 0100", "090-1234-5678 内線2", "abc"}) {
    EXPECT_THAT(MobileE164(typed, "to"), StatusIsOn(StatusCode::kInvalidArgument, "bad_phone", "to")) << typed;
  }
}

TEST(PhoneTest, ANumberAsPeopleReadIt) {
  EXPECT_EQ(NationalFormat("+819012345678"), "090-1234-5678");
  EXPECT_EQ(NationalFormat("U123"), "U123");
}

}  // namespace
}  // namespace madoguchi::messaging
