// src/formats/care_rules.cpp — see care_rules.hpp.
#include "formats/care_rules.hpp"

#include <nlohmann/json.hpp>

#include "care/eligibility.hpp"
#include "common/text.hpp"
#include "formats/internal/json_support.hpp"

namespace madoguchi::formats {

using nlohmann::json;

namespace {

Status Whole(const json& obj, const std::string& key, const std::string& where, int& out) {
  if (!obj.contains(key)) return Status::Ok();
  const json& v = obj[key];
  if (!v.is_number_integer() || v.get<int64_t>() < -100000 || v.get<int64_t>() > 100000) {
    return InvalidArgumentError(where + key, "must be a whole number");
  }
  out = static_cast<int>(v.get<int64_t>());
  return Status::Ok();
}

Status Flag(const json& obj, const std::string& key, const std::string& where, bool& out) {
  if (!obj.contains(key)) return Status::Ok();
  if (!obj[key].is_boolean()) return InvalidArgumentError(where + key, "must be true or false");
  out = obj[key].get<bool>();
  return Status::Ok();
}

// An optional rule: a number, or null for "not asked".
template <typename T>
Status Optional(const json& obj, const std::string& key, const std::string& where, std::optional<T>& out) {
  if (!obj.contains(key)) return Status::Ok();
  const json& v = obj[key];
  if (v.is_null()) {
    out.reset();
    return Status::Ok();
  }
  if constexpr (std::is_integral_v<T>) {
    if (!v.is_number_integer()) return InvalidArgumentError(where + key, "must be a whole number, or null when not asked");
    out = static_cast<T>(v.get<int64_t>());
  } else {
    if (!v.is_number()) return InvalidArgumentError(where + key, "must be a number, or null when not asked");
    out = v.get<T>();
  }
  return Status::Ok();
}

Status ReadEligibility(const json& e, care::EligibilityRules& r) {
  const std::string at = "eligibility.";
  if (!e.is_object()) return InvalidArgumentError("eligibility", "must be an object of rules");
  MADOGUCHI_RETURN_IF_ERROR(internal::OnlyKeys(e,
                                               {"max_age", "max_days_since_test", "refuse_risk_factors", "refuse_pregnant",
                                                "require_mild_symptoms", "min_vaccinations", "refuse_smokers", "max_bmi", "kits"},
                                               "eligibility"));
  MADOGUCHI_RETURN_IF_ERROR(Whole(e, "max_age", at, r.max_age));
  MADOGUCHI_RETURN_IF_ERROR(Whole(e, "max_days_since_test", at, r.max_days_since_test));
  MADOGUCHI_RETURN_IF_ERROR(Flag(e, "refuse_risk_factors", at, r.refuse_risk_factors));
  MADOGUCHI_RETURN_IF_ERROR(Flag(e, "refuse_pregnant", at, r.refuse_pregnant));
  MADOGUCHI_RETURN_IF_ERROR(Flag(e, "require_mild_symptoms", at, r.require_mild_symptoms));
  MADOGUCHI_RETURN_IF_ERROR(Flag(e, "refuse_smokers", at, r.refuse_smokers));
  MADOGUCHI_RETURN_IF_ERROR(Optional(e, "min_vaccinations", at, r.min_vaccinations));
  MADOGUCHI_RETURN_IF_ERROR(Optional(e, "max_bmi", at, r.max_bmi));
  if (e.contains("kits")) {
    const json& kits = e["kits"];
    if (!kits.is_array()) return InvalidArgumentError("eligibility.kits", "must be a list of kits {\"name\", \"approved\"}");
    r.kits.clear();
    for (size_t i = 0; i < kits.size(); ++i) {
      const std::string where = "eligibility.kits[" + std::to_string(i) + "]";
      const json& k = kits[i];
      if (!k.is_object()) return InvalidArgumentError(where, "must be an object {\"name\", \"approved\"}");
      MADOGUCHI_RETURN_IF_ERROR(internal::OnlyKeys(k, {"name", "approved"}, where));
      care::TestKit kit;
      if (!k.contains("name") || !k["name"].is_string())
        return InvalidArgumentError(where + ".name", "must be the kit's name as on the box");
      kit.name = k["name"].get<std::string>();
      if (!text::IsValidUtf8(kit.name) || text::HasControlChars(kit.name)) {
        return InvalidArgumentError(where + ".name", "must be one line of text");
      }
      MADOGUCHI_RETURN_IF_ERROR(Flag(k, "approved", where + ".", kit.approved));
      r.kits.push_back(std::move(kit));
    }
  }
  Status valid = care::ValidateEligibilityRules(r);
  if (!valid.ok()) return Status(valid.code(), valid.key(), valid.message(), "eligibility." + valid.field());
  return valid;
}

Status ReadEpisode(const json& e, care::EpisodeRules& r) {
  const std::string at = "episode.";
  if (!e.is_object()) return InvalidArgumentError("episode", "must be an object of rules");
  MADOGUCHI_RETURN_IF_ERROR(internal::OnlyKeys(e, {"days_after_onset", "kit_photo_retention_days", "id_photo_retention_days"}, "episode"));
  MADOGUCHI_RETURN_IF_ERROR(Whole(e, "days_after_onset", at, r.days_after_onset));
  MADOGUCHI_RETURN_IF_ERROR(Whole(e, "kit_photo_retention_days", at, r.kit_photo_retention_days));
  MADOGUCHI_RETURN_IF_ERROR(Whole(e, "id_photo_retention_days", at, r.id_photo_retention_days));
  Status valid = care::ValidateEpisodeRules(r);
  if (!valid.ok()) return Status(valid.code(), valid.key(), valid.message(), "episode." + valid.field());
  return valid;
}

}  // namespace

Result<care::CareSettings> ParseCareRules(std::string_view text, const care::CareSettings& base) {
  MADOGUCHI_ASSIGN_OR_RETURN(json j, internal::ParseObject(text, "care rules"));
  MADOGUCHI_RETURN_IF_ERROR(internal::OnlyKeys(j, {"eligibility", "episode", "clinic_info"}, ""));
  care::CareSettings s = base;
  if (j.contains("eligibility")) MADOGUCHI_RETURN_IF_ERROR(ReadEligibility(j["eligibility"], s.eligibility));
  if (j.contains("episode")) MADOGUCHI_RETURN_IF_ERROR(ReadEpisode(j["episode"], s.episode));
  if (j.contains("clinic_info")) {
    const json& c = j["clinic_info"];
    if (!c.is_string()) return InvalidArgumentError("clinic_info", "must be text");
    std::string info = c.get<std::string>();
    std::string flat = info;
    for (char& ch : flat) {
      if (ch == '\n' || ch == '\r') ch = ' ';
    }
    if (info.size() > 2000 || !text::IsValidUtf8(info) || text::HasControlChars(flat)) {
      return InvalidArgumentError("clinic_info", "must be text of at most 2000 bytes (lines allowed)");
    }
    s.clinic_info = std::move(info);
  }
  return s;
}

std::string CareRulesJson(const care::CareSettings& s) {
  const care::EligibilityRules& e = s.eligibility;
  json kits = json::array();
  for (const care::TestKit& k : e.kits) kits.push_back({{"name", k.name}, {"approved", k.approved}});
  json el = {{"max_age", e.max_age},
             {"max_days_since_test", e.max_days_since_test},
             {"refuse_risk_factors", e.refuse_risk_factors},
             {"refuse_pregnant", e.refuse_pregnant},
             {"require_mild_symptoms", e.require_mild_symptoms},
             {"min_vaccinations", e.min_vaccinations ? json(*e.min_vaccinations) : json(nullptr)},
             {"refuse_smokers", e.refuse_smokers},
             {"max_bmi", e.max_bmi ? json(*e.max_bmi) : json(nullptr)},
             {"kits", kits}};
  json ep = {{"days_after_onset", s.episode.days_after_onset},
             {"kit_photo_retention_days", s.episode.kit_photo_retention_days},
             {"id_photo_retention_days", s.episode.id_photo_retention_days}};
  return json{{"eligibility", el}, {"episode", ep}, {"clinic_info", s.clinic_info}}.dump();
}

}  // namespace madoguchi::formats
