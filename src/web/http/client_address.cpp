#include "web/http/client_address.hpp"

#include <arpa/inet.h>

#include <charconv>

#include "common/text.hpp"

namespace madoguchi::web {
namespace {

bool ParseAddress(std::string_view text, bool& v6, std::array<unsigned char, 16>& bytes) {
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return false;
  const std::string s(text);
  bytes.fill(0);
  if (inet_pton(AF_INET, s.c_str(), bytes.data()) == 1) {
    v6 = false;
    return true;
  }
  if (inet_pton(AF_INET6, s.c_str(), bytes.data()) == 1) {
    v6 = true;
    return true;
  }
  return false;
}

bool Contains(const Cidr& net, bool v6, const std::array<unsigned char, 16>& bytes) {
  if (net.v6 != v6) return false;
  int bits = net.prefix;
  for (size_t i = 0; bits > 0; ++i, bits -= 8) {
    const unsigned char mask = bits >= 8 ? 0xFF : static_cast<unsigned char>(0xFF << (8 - bits));
    if ((net.bytes[i] & mask) != (bytes[i] & mask)) return false;
  }
  return true;
}

}  // namespace

Result<Cidr> ParseCidr(std::string_view text, std::string_view field) {
  Cidr c;
  const size_t slash = text.find('/');
  if (!ParseAddress(text.substr(0, slash), c.v6, c.bytes)) {
    return InvalidArgumentError(std::string(field), "is not an IP address or network (e.g. 10.0.0.0/8)");
  }
  const int max = c.v6 ? 128 : 32;
  c.prefix = max;
  if (slash != std::string_view::npos) {
    const std::string_view p = text.substr(slash + 1);
    auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), c.prefix);
    if (p.empty() || ec != std::errc() || end != p.data() + p.size() || c.prefix < 0 || c.prefix > max) {
      return InvalidArgumentError(std::string(field), "has a prefix length that is not 0.." + std::to_string(max));
    }
  }
  return c;
}

bool InNetworks(std::string_view address, const std::vector<Cidr>& networks) {
  bool v6 = false;
  std::array<unsigned char, 16> bytes{};
  if (!ParseAddress(address, v6, bytes)) return false;
  for (const Cidr& n : networks) {
    if (Contains(n, v6, bytes)) return true;
  }
  return false;
}

std::string ClientAddress(const std::string& peer, std::string_view forwarded_for, const std::vector<Cidr>& trusted) {
  if (trusted.empty() || forwarded_for.empty() || !InNetworks(peer, trusted)) return peer;
  std::string client = peer;
  while (!forwarded_for.empty()) {
    const size_t comma = forwarded_for.rfind(',');
    const std::string entry = text::Trim(comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1));
    forwarded_for = comma == std::string_view::npos ? std::string_view() : forwarded_for.substr(0, comma);
    bool v6 = false;
    std::array<unsigned char, 16> bytes{};
    if (!ParseAddress(entry, v6, bytes)) return client;
    client = entry;
    if (!InNetworks(entry, trusted)) return client;
  }
  return client;
}

}  // namespace madoguchi::web
