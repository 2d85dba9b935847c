// bus::Arguments: the typed getters over an a{sv} whose errors name the offending key.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

#include "dbus/errors.h"
#include "dbus/message.h"

namespace rekam::bus {
namespace {

using ::testing::HasSubstr;

Arguments options(Dict d) { return Arguments("options", std::move(d)); }

// The InvalidArgument message that `fn` throws; fails the test on anything else.
template <typename F>
std::string invalid(F&& fn) {
    try {
        fn();
    } catch (const Error& e) {
        EXPECT_STREQ(e.name(), error::kInvalidArgument);
        return e.what();
    }
    ADD_FAILURE() << "expected an InvalidArgument error";
    return "";
}

// --- get_u32 --------------------------------------------------------------------------------

TEST(ArgumentsGetU32, AcceptsUnsigned) {
    EXPECT_EQ(options({{"n", u32(0)}}).get_u32("n"), 0u);
    EXPECT_EQ(options({{"n", u32(4294967295u)}}).get_u32("n"), 4294967295u);
}

TEST(ArgumentsGetU32, AcceptsNonNegativeSigned) {
    EXPECT_EQ(options({{"n", Value{std::int32_t{0}}}}).get_u32("n"), 0u);
    EXPECT_EQ(options({{"n", Value{std::int32_t{5000}}}}).get_u32("n"), 5000u);
    EXPECT_EQ(options({{"n", Value{std::numeric_limits<std::int32_t>::max()}}}).get_u32("n"),
              2147483647u);
    EXPECT_EQ(options({{"n", i64(20000)}}).get_u32("n"), 20000u);
    EXPECT_EQ(options({{"n", i64(4294967295LL)}}).get_u32("n"), 4294967295u);
}

TEST(ArgumentsGetU32, AcceptsUint64WithinRange) {
    EXPECT_EQ(options({{"n", Value{std::uint64_t{0}}}}).get_u32("n"), 0u);
    EXPECT_EQ(options({{"n", Value{std::uint64_t{4294967295u}}}}).get_u32("n"), 4294967295u);
}

TEST(ArgumentsGetU32, RefusesNegativeValues) {
    EXPECT_EQ(invalid([] {
                  options({{"timeout-ms", Value{std::int32_t{-1}}}}).get_u32("timeout-ms");
              }),
              "options: \"timeout-ms\" is out of range (-1)");
    EXPECT_EQ(invalid([] {
                  options({{"n", Value{std::numeric_limits<std::int32_t>::min()}}}).get_u32("n");
              }),
              "options: \"n\" is out of range (-2147483648)");
    EXPECT_EQ(invalid([] {
                  options({{"n", i64(-5)}}).get_u32("n");
              }),
              "options: \"n\" is out of range (-5)");
}

TEST(ArgumentsGetU32, RefusesTooLargeValues) {
    EXPECT_EQ(invalid([] {
                  options({{"n", i64(4294967296LL)}}).get_u32("n");
              }),
              "options: \"n\" is out of range (4294967296)");
    EXPECT_EQ(invalid([] {
                  options({{"n", i64(std::numeric_limits<std::int64_t>::max())}}).get_u32("n");
              }),
              "options: \"n\" is out of range (9223372036854775807)");
    EXPECT_THAT(invalid([] {
                    options({{"n", Value{std::uint64_t{4294967296u}}}}).get_u32("n");
                }),
                HasSubstr("options: \"n\" is out of range"));
    EXPECT_THAT(invalid([] {
                    options({{"n", Value{std::numeric_limits<std::uint64_t>::max()}}}).get_u32("n");
                }),
                HasSubstr("\"n\" is out of range"));
}

TEST(ArgumentsGetU32, RefusesOtherTypesNamingKeyAndType) {
    EXPECT_EQ(invalid([] {
                  options({{"max-attempts", str("3")}}).get_u32("max-attempts");
              }),
              "options: \"max-attempts\" must be of type u (unsigned integer), got s");
    EXPECT_EQ(invalid([] {
                  options({{"n", dbl(3.0)}}).get_u32("n");
              }),
              "options: \"n\" must be of type u (unsigned integer), got d");
    EXPECT_EQ(invalid([] {
                  options({{"n", boolean(true)}}).get_u32("n");
              }),
              "options: \"n\" must be of type u (unsigned integer), got b");
}

TEST(ArgumentsGetU32, MissingKey) {
    EXPECT_EQ(invalid([] { options({}).get_u32("timeout-ms"); }),
              "options: \"timeout-ms\" is missing");
}

// --- the other getters ----------------------------------------------------------------------

TEST(ArgumentsGetString, ValueMissingAndWrongType) {
    const auto args = options({{"device", str("fp0")}, {"n", u32(1)}});
    EXPECT_EQ(args.get_string("device"), "fp0");
    EXPECT_EQ(invalid([&] { args.get_string("position"); }), "options: \"position\" is missing");
    EXPECT_EQ(invalid([&] { args.get_string("n"); }),
              "options: \"n\" must be of type s (string), got u");
}

TEST(ArgumentsGetStrings, ValueMissingAndWrongType) {
    const auto args = options({{"docs", strv({"a", "b"})}, {"one", str("a")}});
    EXPECT_EQ(args.get_strings("docs"), (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(invalid([&] { args.get_strings("none"); }), "options: \"none\" is missing");
    EXPECT_EQ(invalid([&] { args.get_strings("one"); }),
              "options: \"one\" must be of type as (array of strings), got s");
}

TEST(ArgumentsGetBool, ValueMissingAndWrongType) {
    const auto args = options({{"force", boolean(true)}, {"n", i64(1)}});
    EXPECT_TRUE(args.get_bool("force"));
    EXPECT_EQ(invalid([&] { args.get_bool("other"); }), "options: \"other\" is missing");
    EXPECT_EQ(invalid([&] { args.get_bool("n"); }),
              "options: \"n\" must be of type b (boolean), got x");
}

TEST(ArgumentsGetObjectPath, AcceptsObjectPathAndString) {
    const auto args = options({{"o", path("/id/rekam/Rekam1/device/fp0")},
                               {"s", str("/id/rekam/Rekam1/device/iris0")},
                               {"d", dict({})}});
    EXPECT_EQ(args.get_object_path("o"), "/id/rekam/Rekam1/device/fp0");
    EXPECT_EQ(args.get_object_path("s"), "/id/rekam/Rekam1/device/iris0");
    EXPECT_EQ(invalid([&] { args.get_object_path("d"); }),
              "options: \"d\" must be of type o (object path), got a{sv}");
}

TEST(ArgumentsHas, PresentAndAbsent) {
    const auto args = options({{"a", u32(1)}});
    EXPECT_TRUE(args.has("a"));
    EXPECT_FALSE(args.has("b"));
    EXPECT_FALSE(args.has("A"));
}

// --- reject_unknown -------------------------------------------------------------------------

TEST(ArgumentsRejectUnknown, KnownKeysPass) {
    EXPECT_NO_THROW(
        options({{"timeout-ms", u32(1)}, {"device", str("x")}})
            .reject_unknown({"requested-score", "timeout-ms", "max-attempts", "device"}));
    EXPECT_NO_THROW(options({}).reject_unknown({}));
}

TEST(ArgumentsRejectUnknown, UnknownKeyIsNamedWithTheKnownOnes) {
    EXPECT_EQ(invalid([] {
                  options({{"timeout-ms", u32(1)}, {"timeout", u32(5)}})
                      .reject_unknown({"requested-score", "timeout-ms", "max-attempts"});
              }),
              "options: unknown key \"timeout\" (known: \"requested-score\", \"timeout-ms\", "
              "\"max-attempts\")");
}

TEST(ArgumentsRejectUnknown, NoKeysAccepted) {
    EXPECT_EQ(invalid([] {
                  options({{"x", u32(1)}}).reject_unknown({});
              }),
              "options: unknown key \"x\" (known: none)");
}

}  // namespace
}  // namespace rekam::bus
