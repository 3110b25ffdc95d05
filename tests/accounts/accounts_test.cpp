#include "accounts/accounts.hpp"

#include <gtest/gtest.h>

#include "support/status_matchers.hpp"

namespace madoguchi::accounts {
namespace {

using ::madoguchi::testing::IsOkAndHolds;
using ::madoguchi::testing::StatusIsOn;

TEST(RolesTest, NamesRoundTrip) {
  for (Role r : kAllRoles) EXPECT_EQ(*ParseRole(RoleName(r)), r);
  auto bad = ParseRole("root", "--role");
  ASSERT_THAT(bad, StatusIsOn(StatusCode::kInvalidArgument, "invalid_role", "--role"));
  EXPECT_NE(bad.status().message().find("city_staff"), std::string::npos);
}

TEST(RolesTest, RoleSet) {
  RoleSet s{Role::kAdmin, Role::kDoctor};
  EXPECT_TRUE(s.Contains(Role::kAdmin));
  EXPECT_FALSE(s.Contains(Role::kOperator));
  EXPECT_EQ(s.ToString(), "admin,doctor");
  EXPECT_TRUE(RoleSet{}.empty());
  for (Role r : kAllRoles) EXPECT_TRUE(RoleSet::All().Contains(r));
}

// Issue #11, item 21: whom an admin of a municipality may change on the staff page and the API.
TEST(StaffTest, AnAdminManagesOthersOfTheirOwnMunicipalitiesOnly) {
  const std::vector<std::string> mine = {"131016", "452041"};
  EXPECT_TRUE(MayManage(1, mine, 2, {"452041"}, "452041").ok());
  EXPECT_THAT(MayManage(1, mine, 1, {"452041"}, "452041"), ::madoguchi::testing::StatusIs(StatusCode::kFailedPrecondition, "self"));
  EXPECT_THAT(MayManage(1, mine, 2, {}, "452041"), ::madoguchi::testing::StatusIs(StatusCode::kNotFound, "unknown_user")) << "no such user";
  EXPECT_THAT(MayManage(1, mine, 2, {"131016"}, "452041"), ::madoguchi::testing::StatusIs(StatusCode::kNotFound, "unknown_user"));
  EXPECT_THAT(MayManage(1, mine, 2, {"452041", "012025"}, "452041"),
              ::madoguchi::testing::StatusIs(StatusCode::kPermissionDenied, "foreign_tenant"));
}

TEST(ValidationTest, Logins) {
  for (const char* ok : {"abc", "demo-admin", "yamada.taro", "op_01", "9lives"}) {
    EXPECT_TRUE(ValidateLogin(ok).ok()) << ok;
  }
  for (const char* bad : {"", "ab", "Admin", "山田", "a b", "-abc", "a/b", "x\n"}) {
    EXPECT_THAT(ValidateLogin(bad), StatusIsOn(StatusCode::kInvalidArgument, "invalid_argument", "login")) << bad;
  }
  EXPECT_THAT(ValidateLogin(std::string(65, 'a')), StatusIsOn(StatusCode::kInvalidArgument, "invalid_argument", "login"));
}

TEST(ValidationTest, Passwords) {
  EXPECT_TRUE(ValidatePassword("ten chars!").ok());
  EXPECT_TRUE(ValidatePassword("日本語のパスワード").ok());
  EXPECT_EQ(ValidatePassword("short").key(), "weak_password");
  EXPECT_THAT(ValidatePassword("tab\tinside pw"), StatusIsOn(StatusCode::kInvalidArgument, "invalid_argument", "password"));
  EXPECT_THAT(ValidatePassword("bad utf8 \xff\xfe pw"), StatusIsOn(StatusCode::kInvalidArgument, "invalid_argument", "password"));
  EXPECT_THAT(ValidatePassword(std::string(257, 'x')), StatusIsOn(StatusCode::kInvalidArgument, "invalid_argument", "password"));
}

TEST(RolesTest, OnlyOperatorsSupervisorsAndAdminsActForCallers) {
  EXPECT_TRUE(MayActForCallers(Role::kOperator));
  EXPECT_TRUE(MayActForCallers(Role::kSupervisor));
  EXPECT_TRUE(MayActForCallers(Role::kAdmin));
  EXPECT_FALSE(MayActForCallers(Role::kDoctor));
  EXPECT_FALSE(MayActForCallers(Role::kCityStaff));
}

TEST(ValidationTest, NewPasswordsLeaveTheLoginOut) {
  EXPECT_TRUE(ValidateNewPassword("ten chars!", "sato").ok());
  EXPECT_EQ(ValidateNewPassword("Sato-secret-1", "sato").key(), "password_has_login");
  EXPECT_EQ(ValidateNewPassword("short", "sato").key(), "weak_password");
}

TEST(ValidationTest, Utf8) {
  EXPECT_TRUE(IsValidUtf8("窓口 abc"));
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xe7\xaa"));          // truncated
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // > U+10FFFF
}

TEST(ValidationTest, TenantLists) {
  EXPECT_THAT(ParseTenantList("452041, 131016,452041"), IsOkAndHolds(std::vector<std::string>{"452041", "131016"}));
  EXPECT_EQ(ParseTenantList("452042").status().field(), "tenant");
  EXPECT_THAT(ParseTenantList(" , "), StatusIsOn(StatusCode::kInvalidArgument, "invalid_argument", "tenant"));
}

TEST(PolicyTest, SessionExpiresAtTheEarlierOfIdleAndAbsolute) {
  SessionPolicy p;  // 120 min idle, 720 min absolute
  const int64_t min = 60'000;
  EXPECT_EQ(SessionExpiresAtMs(p, 0, 0), 120 * min);
  EXPECT_EQ(SessionExpiresAtMs(p, 0, 700 * min), 720 * min);
}

TEST(PolicyTest, ThrottleLocksTheSubjectButOnlySlowsTheSource) {
  ThrottlePolicy p;  // 5 per subject; 30 free per source, then one per 10 s
  const int64_t now = 1'000'000;
  EXPECT_FALSE(Throttle(p, {4, 29, now}, now).has_value());
  auto subject = Throttle(p, {5, 0, 0}, now);
  ASSERT_TRUE(subject.has_value());
  EXPECT_EQ(subject->reason, "subject");
  EXPECT_EQ(subject->retry_after_s, 900);
  // A busy source waits ten seconds after its last failure, no more.
  auto source = Throttle(p, {0, 30, now - 4'000}, now);
  ASSERT_TRUE(source.has_value());
  EXPECT_EQ(source->reason, "source");
  EXPECT_EQ(source->retry_after_s, 6);
  EXPECT_FALSE(Throttle(p, {0, 500, now - 10'000}, now).has_value());
}

}  // namespace
}  // namespace madoguchi::accounts
