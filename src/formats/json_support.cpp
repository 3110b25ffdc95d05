#include "formats/internal/json_support.hpp"

namespace madoguchi::formats::internal {

std::string Position(std::string_view text, size_t offset) {
  size_t line = 1, col = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(col);
}

Result<nlohmann::json> ParseObject(std::string_view text, const char* what) {
  nlohmann::json root;
  try {
    root = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    return MalformedError(Position(text, e.byte > 0 ? e.byte - 1 : 0), "not valid JSON", "bad_json");
  }
  if (!root.is_object()) return MalformedError("line 1, column 1", std::string(what) + " must be a JSON object", "bad_json");
  return root;
}

Status OnlyKeys(const nlohmann::json& obj, const std::set<std::string>& allowed, const std::string& where) {
  for (const auto& [k, v] : obj.items()) {
    if (!allowed.count(k)) return InvalidArgumentError(where.empty() ? k : where + "." + k, "is not a known setting");
  }
  return Status::Ok();
}

}  // namespace madoguchi::formats::internal
