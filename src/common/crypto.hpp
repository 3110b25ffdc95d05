// src/common/crypto.hpp — the few cryptographic primitives the system needs, from libsodium.
//
// All functions are thread-safe once InitCrypto() has returned (call it once at start; it is
// idempotent). Nothing here does I/O beyond the OS random source.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/status.hpp"

namespace madoguchi::crypto {

// Initializes libsodium. Returns false only if the library cannot start (no randomness).
bool InitCrypto();

// `bytes` random bytes from the OS, encoded as URL-safe Base64 without padding.
std::string RandomToken(size_t bytes = 32);

// Lower-case hex SHA-256 of `data`. Used to store session and API tokens (never the token).
std::string Sha256Hex(std::string_view data);

// Raw 32-byte HMAC-SHA256 of `data` under `key` (any key length).
std::string HmacSha256(std::string_view key, std::string_view data);
// The first `bytes` bytes of that HMAC as lower-case hex (for signed cookies and tickets).
std::string HmacSha256Hex(std::string_view key, std::string_view data, size_t bytes = 32);

// Standard Base64 (RFC 4648 §4, with padding) and its inverse; nullopt on malformed input.
std::string Base64Encode(std::string_view data);
std::optional<std::string> Base64Decode(std::string_view text);

// Compares without leaking where the inputs differ. Different lengths compare unequal.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// Argon2id cost. kInteractive is libsodium's INTERACTIVE (64 MiB, 2 passes, ~65 ms here);
// kMinimalForTest is the smallest allowed cost and exists only to keep test suites fast.
enum class PasswordCost { kInteractive, kMinimalForTest };

// An encoded Argon2id hash ("$argon2id$v=19$m=...") of `password`.
// Errors: kResourceExhausted when memory for the hash cannot be had.
Result<std::string> HashPassword(std::string_view password, PasswordCost cost = PasswordCost::kInteractive);

// True when `password` matches `encoded_hash`. A malformed hash verifies as false.
bool VerifyPassword(std::string_view encoded_hash, std::string_view password);

}  // namespace madoguchi::crypto
