// tests/support/status_matchers.hpp — gMock matchers for Status and Result<T>, so a test says
// which error it expects and a failure prints the one it got:
//   EXPECT_THAT(service.Book(port, c), StatusIs(StatusCode::kFailedPrecondition, "slot_full"));
//   EXPECT_THAT(Parse("x"), IsOk());
//   EXPECT_THAT(ParseId("12"), IsOkAndHolds(12));
//   EXPECT_THAT(NextDose(prior), ...) for plain values as usual.
#pragma once

#include <gmock/gmock.h>

#include <ostream>
#include <string>

#include "common/status.hpp"

namespace madoguchi {

// How gtest prints a Status or a Result when an expectation fails (not its bytes).
inline void PrintTo(const Status& s, std::ostream* os) { *os << (s.ok() ? std::string("OK") : s.ToString() + " [key " + s.key() + "]"); }
template <typename T>
void PrintTo(const Result<T>& r, std::ostream* os) {
  if (r.ok()) *os << "a value";
  else PrintTo(r.status(), os);
}

}  // namespace madoguchi

namespace madoguchi::testing {

inline const Status& StatusOf(const Status& s) { return s; }
template <typename T>
const Status& StatusOf(const Result<T>& r) {
  return r.status();
}

MATCHER(IsOk, "is OK") {
  const Status& s = ::madoguchi::testing::StatusOf(arg);
  if (!s.ok()) *result_listener << "the error is " << s.ToString() << " [key " << s.key() << "]";
  return s.ok();
}

// OK, with a value that `inner` matches: EXPECT_THAT(NextDose(prior), IsOkAndHolds(2)).
MATCHER_P(IsOkAndHolds, inner, "is OK and holds a value that matches") {
  if (!arg.ok()) {
    *result_listener << "the error is " << arg.status().ToString() << " [key " << arg.status().key() << "]";
    return false;
  }
  return ::testing::ExplainMatchResult(inner, *arg, result_listener);
}

// The code and the machine key; the key is what clients and pages switch on.
MATCHER_P2(StatusIs, code, key, std::string("is ") + StatusCodeName(code) + " \"" + key + "\"") {
  const Status& s = ::madoguchi::testing::StatusOf(arg);
  *result_listener << "the status is " << (s.ok() ? std::string("OK") : s.ToString() + " [key " + s.key() + "]");
  return s.code() == code && s.key() == key;
}

// As StatusIs, and the field the error names.
MATCHER_P3(StatusIsOn, code, key, field, std::string("is ") + StatusCodeName(code) + " \"" + key + "\" on \"" + field + "\"") {
  const Status& s = ::madoguchi::testing::StatusOf(arg);
  *result_listener << "the status is " << (s.ok() ? std::string("OK") : s.ToString() + " [key " + s.key() + "]");
  return s.code() == code && s.key() == key && s.field() == field;
}

}  // namespace madoguchi::testing
