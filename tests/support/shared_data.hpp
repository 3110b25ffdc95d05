// tests/support/shared_data.hpp — the real data in ../shared/data (call series, kit photos),
// which CI has. A test that needs it fails under `make test` (scripts/test.sh sets
// MADOGUCHI_REQUIRE_SHARED_DATA=1) when it is missing, and is skipped in a bare ctest run.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace madoguchi::testing {

// ../shared/data/<name>, beside the checkout.
inline std::filesystem::path SharedData(const std::string& name) {
  return std::filesystem::path(MADOGUCHI_SOURCE_DIR) / ".." / "shared" / "data" / name;
}

inline bool SharedDataRequired() {
  const char* v = std::getenv("MADOGUCHI_REQUIRE_SHARED_DATA");
  return v != nullptr && std::string(v) == "1";
}

}  // namespace madoguchi::testing

// At the top of a test: fails (under make test) or skips when ../shared/data/<name> is missing.
#define MADOGUCHI_REQUIRE_SHARED_DATA(name)                                                                 \
  do {                                                                                                      \
    if (!std::filesystem::exists(::madoguchi::testing::SharedData(name))) {                                 \
      if (::madoguchi::testing::SharedDataRequired()) FAIL() << "../shared/data/" << name << " is missing"; \
      GTEST_SKIP() << "../shared/data/" << name << " is not here";                                          \
    }                                                                                                       \
  } while (0)
