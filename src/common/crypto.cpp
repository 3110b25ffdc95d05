#include "common/crypto.hpp"

#include <sodium.h>
#include <charconv>

#include <vector>

namespace madoguchi::crypto {

bool InitCrypto() { return sodium_init() >= 0; }

uint64_t RandomU64() {
  uint64_t v = 0;
  randombytes_buf(&v, sizeof v);
  return v;
}

std::string RandomToken(size_t bytes) {
  std::vector<unsigned char> raw(bytes);
  randombytes_buf(raw.data(), raw.size());
  std::string out(sodium_base64_ENCODED_LEN(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), raw.data(), raw.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::char_traits<char>::length(out.c_str()));
  return out;
}

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof(hex), digest, sizeof(digest));
  return std::string(hex);
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_final(&state, mac);
  return std::string(reinterpret_cast<const char*>(mac), sizeof(mac));
}

std::string SignToken(std::string_view secret, std::string_view purpose, const std::vector<std::string>& fields, int64_t expires_at_ms) {
  std::string body;
  for (const std::string& f : fields) body += f + ".";
  body += std::to_string(expires_at_ms);
  return body + "." + HmacSha256Hex(secret, std::string(purpose) + ":" + body, 16);
}

std::optional<std::vector<std::string>> VerifyToken(std::string_view secret, std::string_view purpose, std::string_view token,
                                                    int64_t now_ms, size_t max_size) {
  const size_t mac_at = token.rfind('.');
  if (token.size() > max_size || mac_at == std::string_view::npos) return std::nullopt;
  const std::string_view body = token.substr(0, mac_at);
  if (!ConstantTimeEquals(token.substr(mac_at + 1), HmacSha256Hex(secret, std::string(purpose) + ":" + std::string(body), 16))) {
    return std::nullopt;
  }
  std::vector<std::string> fields;
  for (size_t start = 0;;) {
    const size_t end = body.find('.', start);
    fields.emplace_back(body.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  int64_t expires = 0;
  const std::string& last = fields.back();
  auto [end, ec] = std::from_chars(last.data(), last.data() + last.size(), expires);
  if (ec != std::errc() || end != last.data() + last.size() || expires < now_ms) return std::nullopt;
  fields.pop_back();
  return fields;
}

std::string HmacSha256Hex(std::string_view key, std::string_view data, size_t bytes) {
  const std::string raw = HmacSha256(key, data);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (size_t k = 0; k < bytes && k < raw.size(); ++k) {
    out += hex[(static_cast<unsigned char>(raw[k]) >> 4) & 0xF];
    out += hex[static_cast<unsigned char>(raw[k]) & 0xF];
  }
  return out;
}

std::string Base64Encode(std::string_view data) {
  std::string out(sodium_base64_ENCODED_LEN(data.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(data.data()), data.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::char_traits<char>::length(out.c_str()));
  return out;
}

std::optional<std::string> Base64Decode(std::string_view text) {
  std::string out(text.size(), '\0');
  size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), nullptr, &len, &end,
                        sodium_base64_VARIANT_ORIGINAL) != 0 ||
      end != text.data() + text.size()) {
    return std::nullopt;
  }
  out.resize(len);
  return out;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

Result<std::string> HashPassword(std::string_view password, PasswordCost cost) {
  const bool interactive = cost == PasswordCost::kInteractive;
  const unsigned long long ops = interactive ? crypto_pwhash_OPSLIMIT_INTERACTIVE : crypto_pwhash_OPSLIMIT_MIN;
  const size_t mem = interactive ? crypto_pwhash_MEMLIMIT_INTERACTIVE : crypto_pwhash_MEMLIMIT_MIN;
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), ops, mem, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return ResourceExhaustedError("not enough memory to hash a password", "hash_failed");
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view encoded_hash, std::string_view password) {
  std::string hash(encoded_hash);  // libsodium wants a NUL-terminated string
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string SignTenantRecord(std::string_view secret, std::string_view purpose, const std::string& tenant, int64_t id,
                             int64_t expires_at_ms) {
  return SignToken(secret, purpose, {tenant, std::to_string(id)}, expires_at_ms);
}

std::optional<int64_t> VerifyTenantRecord(std::string_view secret, std::string_view purpose, const std::string& tenant,
                                          std::string_view token, int64_t now_ms) {
  auto fields = VerifyToken(secret, purpose, token, now_ms);
  if (!fields || fields->size() != 2 || (*fields)[0] != tenant) return std::nullopt;
  int64_t id = 0;
  const std::string& s = (*fields)[1];
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
  if (ec != std::errc() || end != s.data() + s.size() || id <= 0) return std::nullopt;
  return id;
}

}  // namespace madoguchi::crypto
