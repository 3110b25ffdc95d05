// src/web/http/client_address.hpp — who is on the other end: the peer's address, or, when the peer is
// a reverse proxy we were told to trust (`serve --trusted-proxy CIDR`), the address it forwarded.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.hpp"

namespace madoguchi::web {

// An IPv4 or IPv6 network ("10.0.0.0/8", "2001:db8::/32"; a bare address is a /32 or /128).
struct Cidr {
  bool v6 = false;
  std::array<unsigned char, 16> bytes{};
  int prefix = 0;
};

// kInvalidArgument naming `field` for anything that is not an address with an optional prefix.
Result<Cidr> ParseCidr(std::string_view text, std::string_view field = "trusted-proxy");

// True when `address` (as inet_ntop writes it) lies in one of `networks`.
bool InNetworks(std::string_view address, const std::vector<Cidr>& networks);

// The client's address. Only when `peer` is a trusted proxy is X-Forwarded-For believed: the
// right-most entry that is not itself a trusted proxy (entries to its left are whatever the
// client wrote). A malformed entry stops the walk and the peer is taken, so nothing unparsed
// is ever used as an address.
std::string ClientAddress(const std::string& peer, std::string_view forwarded_for, const std::vector<Cidr>& trusted);

}  // namespace madoguchi::web
