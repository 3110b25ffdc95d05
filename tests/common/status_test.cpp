#include "common/status.hpp"

#include <gtest/gtest.h>

namespace madoguchi {
namespace {

Result<int> Half(int n) {
  if (n % 2 != 0) return InvalidArgumentError("n", "must be even");
  return n / 2;
}

Result<int> Quarter(int n) {
  MADOGUCHI_ASSIGN_OR_RETURN(int half, Half(n));
  MADOGUCHI_ASSIGN_OR_RETURN(int quarter, Half(half));
  return quarter;
}

TEST(StatusTest, OkByDefault) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.ToString(), "ok");
}

TEST(StatusTest, ErrorsCarryKeyFieldAndMessage) {
  Status s = InvalidArgumentError("login", "must not be empty");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.ToString(), "invalid_argument(login): must not be empty");
}

TEST(StatusTest, ResultPropagates) {
  EXPECT_EQ(*Quarter(8), 2);
  auto r = Quarter(6);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().field(), "n");
}

}  // namespace
}  // namespace madoguchi
