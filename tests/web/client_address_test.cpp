// Who the client is: X-Forwarded-For is believed only from a trusted proxy (issue #9, item 8).
#include "web/http/client_address.hpp"

#include <gtest/gtest.h>

namespace madoguchi::web {
namespace {

std::vector<Cidr> Nets(std::initializer_list<const char*> list) {
  std::vector<Cidr> out;
  for (const char* s : list) {
    auto c = ParseCidr(s);
    EXPECT_TRUE(c.ok()) << s;
    if (c.ok()) out.push_back(*c);
  }
  return out;
}

TEST(ClientAddressTest, ParsesNetworksAndRefusesNonsense) {
  EXPECT_TRUE(ParseCidr("10.0.0.0/8").ok());
  EXPECT_TRUE(ParseCidr("192.0.2.7").ok());
  EXPECT_TRUE(ParseCidr("2001:db8::/32").ok());
  for (const char* bad : {"", "10.0.0.0/33", "10.0.0/8", "::1/129", "example.com", "10.0.0.0/", "10.0.0.0/8x"}) {
    auto c = ParseCidr(bad);
    ASSERT_FALSE(c.ok()) << bad;
    EXPECT_EQ(c.status().field(), "trusted-proxy");
  }
}

TEST(ClientAddressTest, ForwardedForIsIgnoredUnlessThePeerIsTrusted) {
  const auto trusted = Nets({"10.0.0.0/8", "::1"});
  EXPECT_EQ(ClientAddress("203.0.113.5", "198.51.100.1", trusted), "203.0.113.5") << "anyone can write the header";
  EXPECT_EQ(ClientAddress("10.1.2.3", "198.51.100.1", {}), "10.1.2.3") << "no proxy configured";
  EXPECT_EQ(ClientAddress("10.1.2.3", "", trusted), "10.1.2.3");
  EXPECT_EQ(ClientAddress("10.1.2.3", "198.51.100.1", trusted), "198.51.100.1");
  EXPECT_EQ(ClientAddress("::1", "2001:db8::5", trusted), "2001:db8::5");
}

TEST(ClientAddressTest, TheRightMostUntrustedEntryIsTheClient) {
  const auto trusted = Nets({"10.0.0.0/8"});
  // The client wrote "1.1.1.1" itself; the proxy appended the real address.
  EXPECT_EQ(ClientAddress("10.0.0.1", "1.1.1.1, 198.51.100.9", trusted), "198.51.100.9");
  // Two proxies of ours in a row.
  EXPECT_EQ(ClientAddress("10.0.0.1", "198.51.100.9, 10.0.0.2", trusted), "198.51.100.9");
  // A malformed entry stops the walk at what was already established.
  EXPECT_EQ(ClientAddress("10.0.0.1", "198.51.100.9, bogus", trusted), "10.0.0.1");
  EXPECT_EQ(ClientAddress("10.0.0.1", "bogus, 10.0.0.2", trusted), "10.0.0.2");
}

}  // namespace
}  // namespace madoguchi::web
