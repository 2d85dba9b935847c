#include "biometrics/package/manifest.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "fixtures.h"

namespace rekam::pkg {
namespace {

TEST(Manifest, JsonRoundTripAndCanonicalBytes) {
    const auto m = testing::make_small_package_input().manifest;
    const auto text = serialize_manifest(m);
    EXPECT_EQ(parse_manifest(text), m);
    EXPECT_EQ(serialize_manifest(parse_manifest(text)), text);
    EXPECT_EQ(text.back(), '\n');
    // Keys are sorted: "application" comes before "chain" before "created_at" ...
    EXPECT_LT(text.find("\"application\""), text.find("\"chain\""));
    EXPECT_LT(text.find("\"chain\""), text.find("\"created_at\""));
    EXPECT_NE(text.find("\"operator\": \"operator-7\""), std::string::npos);
    EXPECT_NE(text.find("\"format\": \"rekam-enroll/1\""), std::string::npos);
}

TEST(Manifest, ParserIsStrict) {
    const auto text = serialize_manifest(testing::make_small_package_input().manifest);
    auto j = nlohmann::json::parse(text);
    j["surprise"] = 1;
    EXPECT_THROW(parse_manifest(j.dump()), ManifestError);
    j = nlohmann::json::parse(text);
    j.erase("station_id");
    EXPECT_THROW(parse_manifest(j.dump()), ManifestError);
    j = nlohmann::json::parse(text);
    j["samples"][0]["attempts"] = "three";
    EXPECT_THROW(parse_manifest(j.dump()), ManifestError);
    j = nlohmann::json::parse(text);
    j["samples"][0]["quality"]["extra"] = true;
    try {
        parse_manifest(j.dump());
        FAIL();
    } catch (const ManifestError& e) {
        EXPECT_NE(std::string(e.what()).find("manifest.samples[0].quality.extra"),
                  std::string::npos)
            << e.what();
    }
    EXPECT_THROW(parse_manifest("{not json"), ManifestError);
}

// Found by the package_manifest fuzzer: an unknown key of a sample itself (not of a nested
// object) was reported from a destructor after the sample was returned, which leaked it.
TEST(Manifest, UnknownKeyOfASampleIsRefusedNamingItsPath) {
    const auto text = serialize_manifest(testing::make_small_package_input().manifest);
    for (const char* object : {"sample", "exception", "application", "chain", "manifest"}) {
        SCOPED_TRACE(object);
        auto j = nlohmann::json::parse(text);
        const std::string o = object;
        auto& target = o == "sample"        ? j["samples"][0]
                       : o == "exception"   ? j["exceptions"][0]
                       : o == "application" ? j["application"]
                       : o == "chain"       ? j["chain"]
                                            : j;
        target["surprise"] = 1;
        try {
            parse_manifest(j.dump());
            ADD_FAILURE() << "accepted";
        } catch (const ManifestError& e) {
            EXPECT_NE(std::string(e.what()).find(".surprise: unknown key"), std::string::npos)
                << e.what();
        }
    }
}

// Found by the package_manifest fuzzer's check that an accepted manifest keeps every value:
// integers outside int wrapped (a score of 4294967356 read as 60).
TEST(Manifest, IntegersOutsideIntAreRefused) {
    const auto text = serialize_manifest(testing::make_small_package_input().manifest);
    for (const auto& value : {nlohmann::json(4294967356u), nlohmann::json(-2147483649LL),
                              nlohmann::json(18446744073709551615u)}) {
        SCOPED_TRACE(value.dump());
        auto j = nlohmann::json::parse(text);
        j["samples"][0]["quality"]["score"] = value;
        try {
            parse_manifest(j.dump());
            ADD_FAILURE() << "accepted";
        } catch (const ManifestError& e) {
            EXPECT_STREQ(e.what(), "manifest.samples[0].quality.score: out of range");
        }
    }
    auto j = nlohmann::json::parse(text);
    j["samples"][0]["attempts"] = 2147483647;
    j["samples"][1]["attempts"] = -2147483648LL;
    const auto m = parse_manifest(j.dump());
    EXPECT_EQ(m.samples[0].attempts, 2147483647);
    EXPECT_EQ(m.samples[1].attempts, -2147483647 - 1);
}

TEST(Manifest, RefusesInvalidUtf8) {
    auto m = testing::make_small_package_input().manifest;
    m.operator_id = "\xff\xfe";
    EXPECT_THROW(serialize_manifest(m), ManifestError);
}

TEST(Uuid, IsVersion4AndUnique) {
    const std::regex re("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
    std::set<std::string> seen;
    for (int i = 0; i < 200; ++i) {
        const auto id = new_uuid_v4();
        EXPECT_TRUE(std::regex_match(id, re)) << id;
        seen.insert(id);
    }
    EXPECT_EQ(seen.size(), 200u);
}

TEST(UtcTime, FormatsAndParsesIso8601Z) {
    using namespace std::chrono;
    const auto t =
        sys_days{year{2024} / 5 / 1} + hours{10} + minutes{20} + seconds{30} + milliseconds{45};
    EXPECT_EQ(format_utc(t), "2024-05-01T10:20:30Z");
    EXPECT_EQ(format_utc(t, true), "2024-05-01T10:20:30.045Z");
    EXPECT_EQ(parse_utc("2024-05-01T10:20:30.045Z"), std::optional(system_clock::time_point(t)));
    EXPECT_FALSE(parse_utc("2024-02-31T10:20:30Z"));
    EXPECT_FALSE(parse_utc("2024-05-01 10:20:30Z"));
    EXPECT_FALSE(parse_utc("2024-05-01T10:20:30+07:00"));
}

// Found by the package_verify fuzzer: finalized_at in the year 0163 overflowed the nanosecond
// clock (undefined behaviour, UBSan). The clock's range is 1677-09-21 to 2262-04-11.
TEST(UtcTime, TimesOutsideTheClocksRangeAreRefused) {
    using namespace std::chrono;
    EXPECT_FALSE(parse_utc("0163-05-01T10:20:30Z"));
    EXPECT_FALSE(parse_utc("1677-01-01T00:00:00Z"));
    EXPECT_FALSE(parse_utc("2263-01-01T00:00:00.000Z"));
    EXPECT_FALSE(parse_utc("9999-12-31T23:59:59Z"));
    EXPECT_EQ(parse_utc("1678-01-01T00:00:00Z"), sys_days{year{1678} / 1 / 1});
    EXPECT_EQ(parse_utc("2261-12-31T23:59:59Z"),
              sys_days{year{2261} / 12 / 31} + hours{23} + minutes{59} + seconds{59});
}

}  // namespace
}  // namespace rekam::pkg
