#include "booking/vrs.hpp"

#include <algorithm>

#include "common/tenant_code.hpp"

namespace madoguchi::booking {
namespace {

const char* kFields[8] = {"登録日時", "接種日", "券番号", "接種自治体コード", "接種会場名", "接種医師名", "ワクチンメーカー", "ロット番号"};

const std::pair<const char*, const char*> kMakers[] = {{"pfizer", "ファイザー"},
                                                       {"moderna", "モデルナ"},
                                                       {"astrazeneca", "アストラゼネカ"},
                                                       {"novavax", "ノババックス"},
                                                       {"daiichisankyo", "第一三共"}};

std::string Pad(int64_t v, size_t w) {
  std::string s = std::to_string(v);
  return s.size() >= w ? s : std::string(w - s.size(), '0') + s;
}

std::string Compact(Day d) {
  const std::string iso = FormatIsoDate(d);
  return iso.substr(0, 4) + iso.substr(5, 2) + iso.substr(8, 2);
}

std::string Timestamp(int64_t ms) {
  const int64_t local = ms + kJapanOffsetMs;
  const Day d = JapanDay(ms);
  const int64_t in_day = ((local % 86'400'000) + 86'400'000) % 86'400'000 / 1000;
  return Compact(d) + Pad(in_day / 3600, 2) + Pad(in_day / 60 % 60, 2) + Pad(in_day % 60, 2);
}

bool Digits(const std::string& s, size_t n) {
  return s.size() == n && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<Day> ParseCompact(const std::string& s) {
  if (!Digits(s, 8)) return std::nullopt;
  return ParseIsoDate(s.substr(0, 4) + "-" + s.substr(4, 2) + "-" + s.substr(6, 2));
}

std::optional<int64_t> ParseTimestamp(const std::string& s) {
  if (!Digits(s, 14)) return std::nullopt;
  auto d = ParseCompact(s.substr(0, 8));
  const int h = std::stoi(s.substr(8, 2)), m = std::stoi(s.substr(10, 2)), sec = std::stoi(s.substr(12, 2));
  if (!d || h > 23 || m > 59 || sec > 59) return std::nullopt;
  return JapanMidnightMs(*d) + ((h * 60 + m) * 60 + sec) * 1000LL;
}

}  // namespace

std::vector<std::string> VrsHeader(int doses) {
  std::vector<std::string> h = {"個別宛名番号"};
  for (int d = 1; d <= doses; ++d) {
    for (const char* f : kFields) h.push_back(std::to_string(d) + "回目" + f);
  }
  return h;
}

std::vector<std::string> VrsRow(const VrsPerson& p, int doses) {
  std::vector<std::string> row = {p.address_number};
  for (int d = 1; d <= doses; ++d) {
    const auto it = std::find_if(p.doses.begin(), p.doses.end(), [&](const VrsDose& x) { return x.dose == d; });
    if (it == p.doses.end()) {
      row.insert(row.end(), 8, "");
      continue;
    }
    row.push_back(Timestamp(it->registered_at_ms));
    row.push_back(Compact(it->vaccinated_on));
    row.push_back(it->ticket_number);
    row.push_back(it->municipality_code);
    row.push_back(it->venue_name);
    row.push_back(it->doctor_name);
    row.push_back(VrsMakerName(it->vaccine));
    row.push_back(it->lot);
  }
  return row;
}

std::string VrsMakerName(const std::string& code) {
  for (const auto& [c, name] : kMakers) {
    if (code == c) return name;
  }
  return code;
}

std::string VaccineCodeOfMaker(const std::string& maker) {
  for (const auto& [c, name] : kMakers) {
    if (maker == name || maker.find(name) != std::string::npos) return c;
  }
  return maker;
}

VrsImport ParseVrs(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows, Day today) {
  VrsImport out;
  const int doses = static_cast<int>((header.size() - 1) / 8);
  if (header.size() < 9 || (header.size() - 1) % 8 != 0 || header != VrsHeader(doses)) {
    out.problems.push_back({0, "", "the header is not the 予防接種台帳向け出力 layout (個別宛名番号, then 8 columns per dose)"});
    return out;
  }
  std::map<std::string, int> seen;
  for (size_t i = 0; i < rows.size(); ++i) {
    const int row = static_cast<int>(i) + 1;
    const auto& cells = rows[i];
    const size_t before = out.problems.size();
    auto problem = [&](const std::string& field, const std::string& why) { out.problems.push_back({row, field, why}); };
    if (cells.size() != header.size()) {
      problem("", "has " + std::to_string(cells.size()) + " columns; the header has " + std::to_string(header.size()));
      continue;
    }
    VrsPerson p;
    p.address_number = cells[0];
    if (!std::all_of(p.address_number.begin(), p.address_number.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
        p.address_number.empty() || p.address_number.size() > 15) {
      problem("個別宛名番号", "must be 1 to 15 digits");
    } else if (auto [it, fresh] = seen.emplace(p.address_number, row); !fresh) {
      problem("個別宛名番号", "repeats row " + std::to_string(it->second));
    }
    for (int d = 1; d <= doses; ++d) {
      const size_t at = 1 + (d - 1) * 8;
      const bool any = std::any_of(cells.begin() + at, cells.begin() + at + 8, [](const std::string& c) { return !c.empty(); });
      if (!any) continue;
      const std::string n = std::to_string(d) + "回目";
      VrsDose x;
      x.dose = d;
      if (auto t = ParseTimestamp(cells[at])) x.registered_at_ms = *t;
      else problem(n + "登録日時", "must be YYYYMMDDHHMMSS");
      if (auto day = ParseCompact(cells[at + 1]); day && *day <= today) x.vaccinated_on = *day;
      else problem(n + "接種日", "must be a date YYYYMMDD, not in the future");
      x.ticket_number = cells[at + 2];
      if (Status s = ValidateTicketNumber(x.ticket_number); !s.ok()) problem(n + "券番号", s.message());
      x.municipality_code = cells[at + 3];
      if (Status s = ValidateTenantCode(x.municipality_code, "code"); !s.ok()) problem(n + "接種自治体コード", s.message());
      x.venue_name = cells[at + 4];
      if (x.venue_name.empty()) problem(n + "接種会場名", "must not be empty");
      x.doctor_name = cells[at + 5];
      x.vaccine = VaccineCodeOfMaker(cells[at + 6]);
      if (cells[at + 6].empty()) problem(n + "ワクチンメーカー", "must not be empty");
      x.lot = cells[at + 7];
      if (x.lot.empty()) problem(n + "ロット番号", "must not be empty");
      p.doses.push_back(std::move(x));
    }
    for (size_t k = 1; k < p.doses.size(); ++k) {
      if (p.doses[k].vaccinated_on < p.doses[k - 1].vaccinated_on) {
        problem(std::to_string(p.doses[k].dose) + "回目接種日", "is before the previous dose");
      }
    }
    if (out.problems.size() == before) out.people.push_back(std::move(p));
  }
  if (!out.problems.empty()) out.people.clear();
  return out;
}

}  // namespace madoguchi::booking
