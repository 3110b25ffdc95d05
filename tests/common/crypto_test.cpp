#include "common/crypto.hpp"

#include <gtest/gtest.h>

namespace madoguchi::crypto {
namespace {

class CryptoTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(InitCrypto()); }
};

std::string Hex(const std::string& raw) {
  static const char* k = "0123456789abcdef";
  std::string out;
  for (unsigned char c : raw) {
    out += k[c >> 4];
    out += k[c & 15];
  }
  return out;
}

TEST_F(CryptoTest, HmacSha256MatchesRfc4231) {
  // RFC 4231 test case 2.
  EXPECT_EQ(Hex(HmacSha256("Jefe", "what do ya want for nothing?")), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // Test case 6: a key longer than the block size.
  EXPECT_EQ(Hex(HmacSha256(std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST_F(CryptoTest, Sha256Hex) { EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"); }

TEST_F(CryptoTest, Base64RoundTripAndRejectsGarbage) {
  EXPECT_EQ(Base64Encode("窓口"), "56qT5Y+j");
  EXPECT_EQ(*Base64Decode("56qT5Y+j"), "窓口");
  EXPECT_FALSE(Base64Decode("not base64!").has_value());
}

TEST_F(CryptoTest, RandomTokensAreUrlSafeAndDistinct) {
  const std::string a = RandomToken(32), b = RandomToken(32);
  EXPECT_NE(a, b);
  EXPECT_EQ(a.size(), 43u);
  EXPECT_EQ(a.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"), std::string::npos);
}

TEST_F(CryptoTest, PasswordsHashWithArgon2idAndVerify) {
  auto hash = HashPassword("correct horse battery", PasswordCost::kMinimalForTest);
  ASSERT_TRUE(hash.ok());
  EXPECT_TRUE(hash->starts_with("$argon2id$"));
  EXPECT_TRUE(VerifyPassword(*hash, "correct horse battery"));
  EXPECT_FALSE(VerifyPassword(*hash, "correct horse batterY"));
  EXPECT_FALSE(VerifyPassword("garbage", "x"));
  auto interactive = HashPassword("pw", PasswordCost::kInteractive);
  ASSERT_TRUE(interactive.ok());
  EXPECT_NE(interactive->find("m=65536"), std::string::npos);  // 64 MiB
}

TEST_F(CryptoTest, ConstantTimeEquals) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
}

}  // namespace
}  // namespace madoguchi::crypto

namespace madoguchi::crypto {
namespace {

// The one signed-token primitive (issue #10 §2: there were two HMAC schemes).
TEST(SignedTokenTest, CarriesItsFieldsForOnePurposeUntilItsExpiry) {
  const std::string t = SignToken("secret", "admitted", {"452041", "7"}, 5000);
  auto fields = VerifyToken("secret", "admitted", t, 4000);
  ASSERT_TRUE(fields);
  EXPECT_EQ(*fields, (std::vector<std::string>{"452041", "7"}));
  EXPECT_TRUE(VerifyToken("secret", "admitted", t, 5000)) << "good until its expiry";
  EXPECT_FALSE(VerifyToken("secret", "admitted", t, 5001));
  EXPECT_FALSE(VerifyToken("secret", "queue", t, 4000)) << "made for another purpose";
  EXPECT_FALSE(VerifyToken("other", "admitted", t, 4000));
  EXPECT_FALSE(VerifyToken("secret", "admitted", "131000" + t.substr(6), 4000)) << "an edited field";
  EXPECT_FALSE(VerifyToken("secret", "admitted", t + "0", 4000));
  EXPECT_FALSE(VerifyToken("secret", "admitted", "", 4000));
  EXPECT_FALSE(VerifyToken("secret", "admitted", t, 4000, t.size() - 1)) << "over the size limit";
  auto none = VerifyToken("secret", "x", SignToken("secret", "x", {}, 9), 1);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
}

}  // namespace
}  // namespace madoguchi::crypto
