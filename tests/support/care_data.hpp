// Helpers for the home-care tests: files from ../shared/data/kits and the answers of one resident
// who may register online (熊本 花子, 40, 090-1234-5678, tested 2026-12-01), as the form posts them.
#pragma once

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "care/application.hpp"

namespace madoguchi::testing {

inline std::string Slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The eligibility screen's answers of someone who may register: 40 years old, tested 2026-12-01.
inline care::FormFields CareScreen() {
  return {{"birth_date", "1986-05-01"},
          {"tested_on", "2026-12-01"},
          {"kit", care::DefaultCareSettings().eligibility.kits[0].name},
          {"pregnant", "no"},
          {"mild", "yes"}};
}

// The screen's and the form's answers, without the photos.
inline care::FormFields CareAnswers() {
  care::FormFields f = CareScreen();
  f.insert({{"family_name", "熊本"},
            {"given_name", "花子"},
            {"family_kana", "クマモト"},
            {"given_kana", "ハナコ"},
            {"sex", "female"},
            {"phone", "090-1234-5678"},
            {"postal_code", "862-8570"},
            {"address", "熊本県熊本市中央区水前寺6-18-1"},
            {"tested_time", "9:30"},
            {"onset_on", "2026-11-30"},
            {"symptom", "fever"},
            {"consent", "1"}});
  return f;
}

}  // namespace madoguchi::testing
