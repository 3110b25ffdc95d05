// src/common/name_table.hpp — an enum's stored names as a fixed table of (value, name) pairs, and
// the two lookups every reader and writer of stored codes needs. Header only.
//
//   constexpr std::array<std::pair<Sex, std::string_view>, 2> kSexNames = {{{Sex::kFemale, "female"}, …}};
//   NameOf(kSexNames, Sex::kFemale)  → "female"
//   ValueOf(kSexNames, "female")     → Sex::kFemale; nullopt for a name not in the table
#pragma once

#include <array>
#include <optional>
#include <string_view>
#include <utility>

namespace madoguchi {

// The value's name; `missing` when the table lacks it (a table that misses a value is a bug).
template <typename E, size_t N>
std::string_view NameOf(const std::array<std::pair<E, std::string_view>, N>& names, E value, std::string_view missing = "") {
  for (const auto& [e, n] : names) {
    if (e == value) return n;
  }
  return missing;
}

template <typename E, size_t N>
std::optional<E> ValueOf(const std::array<std::pair<E, std::string_view>, N>& names, std::string_view name) {
  for (const auto& [e, n] : names) {
    if (n == name) return e;
  }
  return std::nullopt;
}

}  // namespace madoguchi
