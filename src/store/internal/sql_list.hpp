// src/store/internal/sql_list.hpp — the `IN (...)` and multi-row `VALUES` lists the store's
// statements build: `n` copies of `one`, comma-separated ("?, ?, ?"; "(?, ?), (?, ?)").
#pragma once

#include <string>
#include <string_view>

namespace madoguchi::store::internal {

inline std::string SqlList(size_t n, std::string_view one = "?") {
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    if (i) out += ", ";
    out += one;
  }
  return out;
}

}  // namespace madoguchi::store::internal
