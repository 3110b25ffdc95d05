// src/messaging/segment.hpp — saved segments: a campaign's recipients chosen by what the system
// knows of the residents when the campaign is previewed and again when it is sent, instead of a
// file. Each is read as a recipient list with the columns a campaign's text may name.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.hpp"
#include "common/time_format.hpp"

namespace madoguchi::messaging {

struct Segment {
  enum class Kind {
    // Residents with a booking (booked or checked in) for a time on `day`, in Japan: a reminder, a
    // change of venue, a typhoon's closure.
    kBookedOn,
    // Residents on the list with no booking that holds a seat (booked, checked in, vaccinated) and
    // no vaccination on record: those still to be reached.
    kNotBooked,
  };
  Kind kind = Kind::kBookedOn;
  Day day{};  // kBookedOn
};

// "booked_on:2026-12-03" or "not_booked". Errors: kInvalidArgument "unknown_segment" on `field`.
Result<Segment> ParseSegment(std::string_view spec, std::string_view field = "segment");
std::string SegmentSpec(const Segment& s);
// What a supervisor reads: 「12月3日（木）に予約のある方」, 「まだ予約していない方」.
std::string SegmentLabel(const Segment& s);

// The columns of a segment's list: 電話番号 and メールアドレス (the addresses), 氏名, and for
// kBookedOn 日時 (「12月3日 10:00」) and 会場 — the names a campaign's text may use as {氏名} ….
std::vector<std::string> SegmentColumns(const Segment& s);

// One resident of a segment as the store reads them.
struct SegmentMember {
  std::string phone;  // as on the list
  std::string email;  // as given; empty: none
  std::string name;
  int64_t starts_at_ms = 0;  // kBookedOn: the booking's time
  std::string venue;         // kBookedOn
};
// The member's row in SegmentColumns' order (a phone that is not a mobile left empty), or nullopt
// when neither a mobile number nor an email reaches them (counted, not listed).
std::optional<std::vector<std::string>> SegmentCells(const Segment& s, const SegmentMember& m);

}  // namespace madoguchi::messaging
