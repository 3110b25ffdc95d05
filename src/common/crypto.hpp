// src/common/crypto.hpp — the few cryptographic primitives the system needs, from libsodium.
//
// All functions are thread-safe once InitCrypto() has returned (call it once at start; it is
// idempotent). Nothing here does I/O beyond the OS random source.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.hpp"

namespace madoguchi::crypto {

// Initializes libsodium. Returns false only if the library cannot start (no randomness).
bool InitCrypto();

// `bytes` random bytes from the OS, encoded as URL-safe Base64 without padding.
std::string RandomToken(size_t bytes = 32);
// A random number from the OS (for codes a guess must not find: not a seeded generator's).
uint64_t RandomU64();

// Lower-case hex SHA-256 of `data`. Used to store session and API tokens (never the token).
std::string Sha256Hex(std::string_view data);

// Raw 32-byte HMAC-SHA256 of `data` under `key` (any key length).
std::string HmacSha256(std::string_view key, std::string_view data);
// The first `bytes` bytes of that HMAC as lower-case hex (for signed cookies and tickets).
std::string HmacSha256Hex(std::string_view key, std::string_view data, size_t bytes = 32);

// The one signed-token primitive (cookies, waiting-room numbers, and the links messages will
// carry): "<field>.<field>…<expiry ms>.<mac>", the MAC an HMAC-SHA256 under `secret` of the
// `purpose` and the rest, so a token made for one purpose is refused for another. Fields must not
// contain '.'. VerifyToken returns the fields when the MAC is right, the purpose matches and the
// expiry has not passed at `now_ms`; nullopt otherwise (a token over `max_size` bytes included).
std::string SignToken(std::string_view secret, std::string_view purpose, const std::vector<std::string>& fields, int64_t expires_at_ms);
std::optional<std::vector<std::string>> VerifyToken(std::string_view secret, std::string_view purpose, std::string_view token,
                                                    int64_t now_ms, size_t max_size = 256);

// A token naming one record of one tenant (a resident's status link, a check-in link), and its
// reading back: the record's id when the token is good and the tenant's; nullopt otherwise.
std::string SignTenantRecord(std::string_view secret, std::string_view purpose, const std::string& tenant, int64_t id,
                             int64_t expires_at_ms);
std::optional<int64_t> VerifyTenantRecord(std::string_view secret, std::string_view purpose, const std::string& tenant,
                                          std::string_view token, int64_t now_ms);

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
