// Private to src/formats: what every JSON file reader here needs to name its errors.
#pragma once

#include <nlohmann/json.hpp>

#include <set>
#include <string>
#include <string_view>

#include "common/status.hpp"

namespace madoguchi::formats::internal {

// "line L, column C" of byte `offset` in `text`.
std::string Position(std::string_view text, size_t offset);

// Parses `text` as one JSON object; kMalformed naming the line and column otherwise.
Result<nlohmann::json> ParseObject(std::string_view text, const char* what);

// kInvalidArgument naming the first key of `obj` not in `allowed` ("where.key is not a known
// setting"): a typo must not be silently ignored.
Status OnlyKeys(const nlohmann::json& obj, const std::set<std::string>& allowed, const std::string& where);

}  // namespace madoguchi::formats::internal
