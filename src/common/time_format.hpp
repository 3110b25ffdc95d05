// src/common/time_format.hpp — formatting stored UTC milliseconds for people and files.
#pragma once

#include <cstdint>
#include <string>

namespace madoguchi {

// "2026-11-25T23:17:48.123Z"
std::string FormatUtcIso(int64_t unix_ms);

// "2026-11-26 08:17:48" in Asia/Tokyo (JST is UTC+9 all year; Japan has no daylight saving).
std::string FormatTokyo(int64_t unix_ms);

}  // namespace madoguchi
