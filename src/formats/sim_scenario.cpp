#include "formats/sim_scenario.hpp"

#include <nlohmann/json.hpp>

#include <set>

#include "formats/internal/json_support.hpp"

namespace madoguchi::formats {
namespace {

using internal::OnlyKeys;
using nlohmann::json;

// Line and column of byte `offset` in `text`, for error messages.

Result<double> Number(const json& obj, const std::string& key, const std::string& path) {
  const json& v = obj.at(key);
  if (!v.is_number()) return InvalidArgumentError(path, "must be a number");
  return v.get<double>();
}

Result<int> Integer(const json& obj, const std::string& key, const std::string& path) {
  const json& v = obj.at(key);
  if (!v.is_number_integer() && !(v.is_number_float() && v.get<double>() == static_cast<double>(static_cast<long long>(v.get<double>())))) {
    return InvalidArgumentError(path, "must be a whole number");
  }
  const double d = v.get<double>();
  if (d < -2e9 || d > 2e9) return InvalidArgumentError(path, "is out of range");
  return static_cast<int>(d);
}

// "exponential" | "lognormal" | "deterministic" | {"empirical": [...]}.
Result<sim::Distribution> ParseDistribution(const json& v, double mean, const std::string& path) {
  sim::Distribution d;
  d.mean_sec = mean;
  if (v.is_string()) {
    const std::string name = v.get<std::string>();
    if (name == "exponential") d.kind = sim::DistributionKind::kExponential;
    else if (name == "lognormal") d.kind = sim::DistributionKind::kLognormal;
    else if (name == "deterministic") d.kind = sim::DistributionKind::kDeterministic;
    else return InvalidArgumentError(path, "use exponential, lognormal, deterministic or {\"empirical\": [...]}");
    return d;
  }
  if (v.is_object() && v.size() == 1 && v.contains("empirical") && v["empirical"].is_array()) {
    d.kind = sim::DistributionKind::kEmpirical;
    const json& arr = v["empirical"];
    for (size_t i = 0; i < arr.size(); ++i) {
      if (!arr[i].is_number()) {
        return InvalidArgumentError(path + ".empirical[" + std::to_string(i) + "]", "must be a number of seconds");
      }
      d.samples_sec.push_back(arr[i].get<double>());
    }
    return d;
  }
  return InvalidArgumentError(path, "use exponential, lognormal, deterministic or {\"empirical\": [...]}");
}

}  // namespace

Result<sim::Scenario> ParseSimScenario(std::string_view text) {
  MADOGUCHI_ASSIGN_OR_RETURN(json root, internal::ParseObject(text, "the scenario"));
  MADOGUCHI_RETURN_IF_ERROR(
      OnlyKeys(root,
               {"interval_minutes", "answer_within_sec", "aht_sec", "service", "service_cv", "patience_sec", "patience", "lines", "redial",
                "initial_queue", "warmup_intervals", "intervals", "name", "description"},
               ""));
  sim::Scenario s;
  if (root.contains("interval_minutes")) {
    MADOGUCHI_ASSIGN_OR_RETURN(double minutes, Number(root, "interval_minutes", "interval_minutes"));
    s.interval_sec = minutes * 60;
  }
  if (root.contains("answer_within_sec")) {
    MADOGUCHI_ASSIGN_OR_RETURN(s.answer_within_sec, Number(root, "answer_within_sec", "answer_within_sec"));
  }
  if (!root.contains("aht_sec")) return InvalidArgumentError("aht_sec", "is required (mean handle time in seconds)");
  MADOGUCHI_ASSIGN_OR_RETURN(double aht, Number(root, "aht_sec", "aht_sec"));
  MADOGUCHI_ASSIGN_OR_RETURN(s.service, ParseDistribution(root.value("service", json("exponential")), aht, "service"));
  if (root.contains("service_cv")) {
    if (s.service.kind != sim::DistributionKind::kLognormal) {
      return InvalidArgumentError("service_cv", "applies only to \"service\": \"lognormal\"");
    }
    MADOGUCHI_ASSIGN_OR_RETURN(s.service.cv, Number(root, "service_cv", "service_cv"));
  }
  if (root.contains("patience_sec") || root.contains("patience")) {
    double patience = 0;
    if (root.contains("patience_sec")) {
      MADOGUCHI_ASSIGN_OR_RETURN(patience, Number(root, "patience_sec", "patience_sec"));
    }
    const json kind = root.value("patience", json("exponential"));
    if (!root.contains("patience_sec") && !(kind.is_object())) {
      return InvalidArgumentError("patience_sec", "is required with \"patience\" (mean patience in seconds)");
    }
    MADOGUCHI_ASSIGN_OR_RETURN(s.patience, ParseDistribution(kind, patience, "patience"));
  }
  if (root.contains("lines")) {
    MADOGUCHI_ASSIGN_OR_RETURN(s.lines, Integer(root, "lines", "lines"));
  }
  if (root.contains("redial")) {
    const json& r = root["redial"];
    if (!r.is_object()) return InvalidArgumentError("redial", "must be an object {\"probability\", \"mean_delay_sec\"}");
    MADOGUCHI_RETURN_IF_ERROR(OnlyKeys(r, {"probability", "mean_delay_sec"}, "redial"));
    if (!r.contains("probability")) return InvalidArgumentError("redial.probability", "is required");
    MADOGUCHI_ASSIGN_OR_RETURN(s.redial_probability, Number(r, "probability", "redial.probability"));
    if (r.contains("mean_delay_sec")) {
      MADOGUCHI_ASSIGN_OR_RETURN(s.redial_mean_delay_sec, Number(r, "mean_delay_sec", "redial.mean_delay_sec"));
    }
  }
  if (root.contains("initial_queue")) {
    MADOGUCHI_ASSIGN_OR_RETURN(s.initial_queue, Integer(root, "initial_queue", "initial_queue"));
  }
  if (root.contains("warmup_intervals")) {
    MADOGUCHI_ASSIGN_OR_RETURN(s.warmup_intervals, Integer(root, "warmup_intervals", "warmup_intervals"));
  }
  if (!root.contains("intervals") || !root["intervals"].is_array()) {
    return InvalidArgumentError("intervals", "is required: an array of {\"calls\", \"agents\"}");
  }
  const json& intervals = root["intervals"];
  for (size_t i = 0; i < intervals.size(); ++i) {
    const std::string at = "intervals[" + std::to_string(i) + "]";
    const json& iv = intervals[i];
    if (!iv.is_object()) return InvalidArgumentError(at, "must be an object {\"calls\", \"agents\"}");
    MADOGUCHI_RETURN_IF_ERROR(OnlyKeys(iv, {"calls", "agents"}, at));
    if (!iv.contains("calls")) return InvalidArgumentError(at + ".calls", "is required");
    if (!iv.contains("agents")) return InvalidArgumentError(at + ".agents", "is required");
    sim::IntervalPlan plan;
    MADOGUCHI_ASSIGN_OR_RETURN(plan.calls, Number(iv, "calls", at + ".calls"));
    MADOGUCHI_ASSIGN_OR_RETURN(plan.agents, Integer(iv, "agents", at + ".agents"));
    s.intervals.push_back(plan);
  }
  // Range checks live with the engine, which names fields the same way.
  Status valid = sim::ValidateScenario(s);
  if (!valid.ok()) {
    if (valid.field() == "service.mean_sec") return InvalidArgumentError("aht_sec", valid.message());
    if (valid.field() == "patience.mean_sec") return InvalidArgumentError("patience_sec", valid.message());
    if (valid.field() == "service.cv") return InvalidArgumentError("service_cv", valid.message());
    return valid;
  }
  return s;
}

}  // namespace madoguchi::formats
