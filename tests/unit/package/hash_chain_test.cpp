#include "biometrics/package/hash_chain.h"

#include <gtest/gtest.h>

namespace rekam::pkg {
namespace {

std::vector<std::uint8_t> bytes(const std::string& s) { return {s.begin(), s.end()}; }

TEST(HashChain, StartsAtSha256OfEmptyString) {
    EXPECT_EQ(HashChain::initial_hex(),
              "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(HashChain().head_hex(), HashChain::initial_hex());
}

TEST(HashChain, LinkIsHashOfPreviousLinkAndRecordHash) {
    const auto record = bytes("abc");
    HashChain chain;
    const auto link = chain.append(record);
    // Recompute by hand: SHA-256(SHA-256("") || SHA-256("abc")), raw digests.
    std::vector<std::uint8_t> joined;
    const auto empty = sha256({});
    const auto abc = sha256(record);
    EXPECT_EQ(to_hex(abc), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    joined.insert(joined.end(), empty.begin(), empty.end());
    joined.insert(joined.end(), abc.begin(), abc.end());
    EXPECT_EQ(link, sha256(joined));
}

TEST(HashChain, VerifyDetectsReorderReplaceAndRemoval) {
    const auto a = bytes("first"), b = bytes("second"), c = bytes("third");
    HashChain chain;
    std::vector<std::string> links;
    for (const auto* r : {&a, &b, &c}) links.push_back(to_hex(chain.append(*r)));
    const auto head = chain.head_hex();
    EXPECT_TRUE(HashChain::verify({a, b, c}, links, head));
    EXPECT_FALSE(HashChain::verify({b, a, c}, links, head));
    EXPECT_FALSE(HashChain::verify({a, a, c}, links, head));
    EXPECT_FALSE(HashChain::verify({a, c}, {links[0], links[2]}, head));
}

TEST(Hex, RoundTripsLowerCaseOnly) {
    const auto d = sha256(bytes("x"));
    EXPECT_EQ(digest_from_hex(to_hex(d)), d);
    std::string upper = to_hex(d);
    for (auto& ch : upper) ch = static_cast<char>(std::toupper(ch));
    EXPECT_FALSE(digest_from_hex(upper).has_value() && upper != to_hex(d));
    EXPECT_FALSE(digest_from_hex("abc").has_value());
}

}  // namespace
}  // namespace rekam::pkg
