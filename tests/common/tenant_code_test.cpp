#include "common/tenant_code.hpp"

#include <gtest/gtest.h>

namespace madoguchi {
namespace {

TEST(TenantCodeTest, AcceptsPublishedCodes) {
  for (const char* code : {"131016", "131041", "131130", "452041", "130001", "011002", "271004", "472018"}) {
    EXPECT_TRUE(ValidateTenantCode(code).ok()) << code;
  }
}

TEST(TenantCodeTest, RejectsWithAReasonNamingTheField) {
  struct Case {
    const char* code;
    const char* reason;
  };
  const Case cases[] = {{"452042", "check digit"}, {"131017", "check digit"}, {"45204", "6 digits"},       {"4520411", "6 digits"},
                        {"45204a", "digits only"}, {"", "6 digits"},          {"４５２０４１", "6 digits"}};
  for (const auto& c : cases) {
    Status s = ValidateTenantCode(c.code, "--code");
    ASSERT_FALSE(s.ok()) << c.code;
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(s.field(), "--code");
    EXPECT_NE(s.message().find(c.reason), std::string::npos) << c.code << ": " << s.message();
  }
}

TEST(TenantCodeTest, CheckDigitFormula) {
  // r = (6*4 + 5*5 + 4*2 + 3*0 + 2*4) mod 11 = 65 mod 11 = 10; (11 - 10) mod 10 = 1
  EXPECT_EQ(TenantCheckDigit("45204"), 1);
  // r = 0 gives (11 - 0) mod 10 = 1; r = 1 gives 0
  EXPECT_EQ(TenantCheckDigit("00000"), 1);
  EXPECT_EQ(TenantCheckDigit("00003"), 5);  // 2*3 = 6 -> 11-6 = 5
}

}  // namespace
}  // namespace madoguchi
