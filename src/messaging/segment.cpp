// src/messaging/segment.cpp — see segment.hpp.
#include "messaging/segment.hpp"

#include "messaging/phone.hpp"

namespace madoguchi::messaging {

Result<Segment> ParseSegment(std::string_view spec, std::string_view field) {
  constexpr std::string_view kBookedOn = "booked_on:";
  Segment s;
  if (spec == "not_booked") {
    s.kind = Segment::Kind::kNotBooked;
    return s;
  }
  if (spec.substr(0, kBookedOn.size()) == kBookedOn) {
    if (auto day = ParseIsoDate(spec.substr(kBookedOn.size()))) {
      s.kind = Segment::Kind::kBookedOn;
      s.day = *day;
      return s;
    }
  }
  return InvalidArgumentError(std::string(field), "must be booked_on:YYYY-MM-DD or not_booked", "unknown_segment");
}

std::string SegmentSpec(const Segment& s) {
  return s.kind == Segment::Kind::kNotBooked ? "not_booked" : "booked_on:" + FormatIsoDate(s.day);
}

std::string SegmentLabel(const Segment& s) {
  if (s.kind == Segment::Kind::kNotBooked) return "まだ予約していない方";
  return FormatMonthDayJa(s.day) + "に予約のある方";
}

std::vector<std::string> SegmentColumns(const Segment& s) {
  if (s.kind == Segment::Kind::kNotBooked) return {"電話番号", "メールアドレス", "氏名"};
  return {"電話番号", "メールアドレス", "氏名", "日時", "会場"};
}

std::optional<std::vector<std::string>> SegmentCells(const Segment& s, const SegmentMember& m) {
  const bool mobile = MobileE164(m.phone).ok();
  if (!mobile && m.email.empty()) return std::nullopt;
  std::vector<std::string> cells = {mobile ? m.phone : "", m.email, m.name};
  if (s.kind == Segment::Kind::kBookedOn) {
    cells.push_back(FormatMonthDayJa(JapanDay(m.starts_at_ms)) + " " + FormatTokyoHourMinute(m.starts_at_ms));
    cells.push_back(m.venue);
  }
  return cells;
}

}  // namespace madoguchi::messaging
