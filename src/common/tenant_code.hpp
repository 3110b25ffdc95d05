// src/common/tenant_code.hpp — Japanese local-government codes (全国地方公共団体コード).
//
// A tenant is a municipality or prefecture, named by its 6-digit code: five digits plus a
// check digit computed as r = (6d1 + 5d2 + 4d3 + 3d4 + 2d5) mod 11, check = (11 - r) mod 10.
// Examples: 131016 (千代田区), 452041 (日南市), 130001 (東京都).
#pragma once

#include <string_view>

#include "common/status.hpp"

namespace madoguchi {

// The check digit for the first five digits of `code`. REQUIRES: code[0..4] are ASCII digits.
int TenantCheckDigit(std::string_view code);

// OK when `code` is exactly six ASCII digits with a correct check digit; otherwise
// kInvalidArgument naming `field` and saying which rule failed. Pure and thread-safe.
Status ValidateTenantCode(std::string_view code, std::string_view field = "code");

// True when ValidateTenantCode would return OK.
bool IsValidTenantCode(std::string_view code);

}  // namespace madoguchi
