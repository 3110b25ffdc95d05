#include "common/tenant_code.hpp"

#include <string>

namespace madoguchi {

int TenantCheckDigit(std::string_view code) {
  int sum = 0;
  for (int i = 0; i < 5; ++i) sum += (6 - i) * (code[i] - '0');
  return (11 - sum % 11) % 10;
}

Status ValidateTenantCode(std::string_view code, std::string_view field) {
  if (code.size() != 6) {
    return InvalidArgumentError(std::string(field), "a local-government code has 6 digits", "invalid_tenant_code");
  }
  for (char c : code) {
    if (c < '0' || c > '9') {
      return InvalidArgumentError(std::string(field), "a local-government code has digits only", "invalid_tenant_code");
    }
  }
  if (TenantCheckDigit(code) != code[5] - '0') {
    return InvalidArgumentError(std::string(field),
                                "check digit does not match (expected " + std::to_string(TenantCheckDigit(code)) + " as the 6th digit)",
                                "invalid_tenant_code");
  }
  return Status::Ok();
}

bool IsValidTenantCode(std::string_view code) { return ValidateTenantCode(code).ok(); }

}  // namespace madoguchi
