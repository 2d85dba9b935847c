#include "daemon/population_ids.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <ctime>
#include <string>

namespace rekam {
namespace {

using ::testing::HasSubstr;

// A fixed "today" so that the century decisions do not depend on the test machine's clock.
constexpr Date kToday{2024, 6, 15};

// Kota Bandung (32 73), Kecamatan 01, the given DDMMYY and serial 0001.
std::string nik_born(const std::string& ddmmyy) { return "327301" + ddmmyy + "0001"; }

struct Parsed {
    std::optional<NikInfo> info;
    std::string why;
};

Parsed parse(const std::string& nik, const Date& today = kToday) {
    Parsed p;
    p.info = parse_nik(nik, today, p.why);
    return p;
}

void expect_date(const Date& d, int year, int month, int day) {
    EXPECT_EQ(d.year, year);
    EXPECT_EQ(d.month, month);
    EXPECT_EQ(d.day, day);
}

// --- valid NIKs -----------------------------------------------------------------------------

TEST(ParseNik, FemaleNikFromTheDocsDecodesSexAndBirthDate) {
    const auto p = parse("3273014507900001");
    ASSERT_TRUE(p.info) << p.why;
    EXPECT_EQ(p.info->sex, Sex::Female);
    expect_date(p.info->birth_date, 1990, 7, 5);
    EXPECT_EQ(p.info->province, "32");
    EXPECT_EQ(p.info->regency, "73");
    EXPECT_EQ(p.info->district, "01");
    EXPECT_EQ(p.info->serial, "0001");
}

TEST(ParseNik, MaleNikDecodesSexAndBirthDate) {
    const auto p = parse("3578101512850042");
    ASSERT_TRUE(p.info) << p.why;
    EXPECT_EQ(p.info->sex, Sex::Male);
    expect_date(p.info->birth_date, 1985, 12, 15);
    EXPECT_EQ(p.info->province, "35");
    EXPECT_EQ(p.info->regency, "78");
    EXPECT_EQ(p.info->district, "10");
    EXPECT_EQ(p.info->serial, "0042");
}

TEST(ParseNik, ChildBornThisCenturyGetsA20xxYear) {
    const auto p = parse(nik_born("010118"));
    ASSERT_TRUE(p.info) << p.why;
    expect_date(p.info->birth_date, 2018, 1, 1);
}

TEST(ParseNik, EveryOfficialProvinceCodeIsAccepted) {
    for (const char* code :
         {"11", "12", "13", "14", "15", "16", "17", "18", "19", "21", "31", "32", "33",
          "34", "35", "36", "51", "52", "53", "61", "62", "63", "64", "65", "71", "72",
          "73", "74", "75", "76", "81", "82", "91", "92", "93", "94", "95", "96"}) {
        const auto p = parse(std::string(code) + "0101" + "150790" + "0001");
        ASSERT_TRUE(p.info) << code << ": " << p.why;
        EXPECT_EQ(p.info->province, code);
    }
}

// --- the +40 rule ----------------------------------------------------------------------------

TEST(ParseNik, Day01And31AreMen) {
    auto p = parse(nik_born("010190"));
    ASSERT_TRUE(p.info) << p.why;
    EXPECT_EQ(p.info->sex, Sex::Male);
    EXPECT_EQ(p.info->birth_date.day, 1);

    p = parse(nik_born("310190"));
    ASSERT_TRUE(p.info) << p.why;
    EXPECT_EQ(p.info->sex, Sex::Male);
    expect_date(p.info->birth_date, 1990, 1, 31);
}

TEST(ParseNik, Day41IsAWomanBornOnTheFirst) {
    const auto p = parse(nik_born("410190"));
    ASSERT_TRUE(p.info) << p.why;
    EXPECT_EQ(p.info->sex, Sex::Female);
    expect_date(p.info->birth_date, 1990, 1, 1);
}

TEST(ParseNik, Day71IsAWomanBornOnTheThirtyFirst) {
    const auto p = parse(nik_born("710190"));
    ASSERT_TRUE(p.info) << p.why;
    EXPECT_EQ(p.info->sex, Sex::Female);
    expect_date(p.info->birth_date, 1990, 1, 31);
}

TEST(ParseNik, DaysOutsideBothRangesAreRefusedNamingDigits7To8) {
    // 00 and 32 are outside 01-31; 40 is neither a man's day nor a woman's (41-71); 72 = 32 + 40.
    for (const char* dd : {"00", "32", "39", "40", "72", "99"}) {
        const auto p = parse(nik_born(std::string(dd) + "0190"));
        EXPECT_FALSE(p.info) << dd;
        EXPECT_THAT(p.why, HasSubstr("digits 7-8")) << dd;
        EXPECT_THAT(p.why, HasSubstr("are " + std::string(dd))) << dd;
        EXPECT_THAT(p.why, HasSubstr("41-71")) << dd;
    }
}

TEST(ParseNik, Day31OrWomansDay71InAThirtyDayMonthDoesNotExist) {
    for (const char* ddmmyy : {"310490", "710490"}) {
        const auto p = parse(nik_born(ddmmyy));
        EXPECT_FALSE(p.info) << ddmmyy;
        EXPECT_THAT(p.why, HasSubstr("digits 7-12")) << ddmmyy;
        EXPECT_THAT(p.why, HasSubstr("31-4-1990")) << ddmmyy;
        EXPECT_THAT(p.why, HasSubstr("does not exist")) << ddmmyy;
    }
}

// --- month -----------------------------------------------------------------------------------

TEST(ParseNik, Month00And13AreRefusedNamingDigits9To10) {
    for (const char* mm : {"00", "13", "99"}) {
        const auto p = parse(nik_born("15" + std::string(mm) + "90"));
        EXPECT_FALSE(p.info) << mm;
        EXPECT_THAT(p.why, HasSubstr("digits 9-10")) << mm;
        EXPECT_THAT(p.why, HasSubstr("are " + std::string(mm))) << mm;
        EXPECT_THAT(p.why, HasSubstr("01-12")) << mm;
    }
}

TEST(ParseNik, Months01And12AreAccepted) {
    EXPECT_TRUE(parse(nik_born("150190")).info);
    EXPECT_TRUE(parse(nik_born("151290")).info);
}

// --- 29 February -----------------------------------------------------------------------------

TEST(ParseNik, TwentyNinthOfFebruaryInALeapYearForMenAndWomen) {
    auto p = parse(nik_born("290288"));
    ASSERT_TRUE(p.info) << p.why;
    EXPECT_EQ(p.info->sex, Sex::Male);
    expect_date(p.info->birth_date, 1988, 2, 29);

    p = parse(nik_born("690288"));
    ASSERT_TRUE(p.info) << p.why;
    EXPECT_EQ(p.info->sex, Sex::Female);
    expect_date(p.info->birth_date, 1988, 2, 29);

    p = parse(nik_born("290200"));  // 2000 is a leap year (divisible by 400)
    ASSERT_TRUE(p.info) << p.why;
    expect_date(p.info->birth_date, 2000, 2, 29);
}

TEST(ParseNik, TwentyNinthOfFebruaryInANonLeapYearForMenAndWomen) {
    for (const char* ddmmyy : {"290289", "690289"}) {
        const auto p = parse(nik_born(ddmmyy));
        EXPECT_FALSE(p.info) << ddmmyy;
        EXPECT_THAT(p.why, HasSubstr("digits 7-12")) << ddmmyy;
        EXPECT_THAT(p.why, HasSubstr("29-2-1989")) << ddmmyy;
    }
}

TEST(ParseNik, ThirtiethOfFebruaryNeverExists) {
    const auto p = parse(nik_born("300288"));
    EXPECT_FALSE(p.info);
    EXPECT_THAT(p.why, HasSubstr("digits 7-12"));
}

TEST(ParseNik, TheCenturyDecidesWhetherFebruary29ExistsIn00) {
    // Seen from January 2000, "29 02 00" lies in the future, so it is 1900, not a leap year.
    const auto p = parse(nik_born("290200"), Date{2000, 1, 10});
    EXPECT_FALSE(p.info);
    EXPECT_THAT(p.why, HasSubstr("29-2-1900"));
}

TEST(ParseNik, FutureLeapDayOfThisYearFallsBackToTheLeapYearACenturyEarlier) {
    const auto p = parse(nik_born("690224"), Date{2024, 1, 10});
    ASSERT_TRUE(p.info) << p.why;
    expect_date(p.info->birth_date, 1924, 2, 29);
}

// --- century pivot around today --------------------------------------------------------------

TEST(ParseNik, BornTodayIsThisCentury) {
    auto p = parse(nik_born("150624"));
    ASSERT_TRUE(p.info) << p.why;
    expect_date(p.info->birth_date, 2024, 6, 15);

    p = parse(nik_born("550624"));  // the same day for a girl
    ASSERT_TRUE(p.info) << p.why;
    EXPECT_EQ(p.info->sex, Sex::Female);
    expect_date(p.info->birth_date, 2024, 6, 15);
}

TEST(ParseNik, YesterdayIsThisCentury) {
    const auto p = parse(nik_born("140624"));
    ASSERT_TRUE(p.info) << p.why;
    EXPECT_EQ(p.info->birth_date.year, 2024);
}

TEST(ParseNik, OneDayAfterTodayIsThePreviousCentury) {
    auto p = parse(nik_born("160624"));
    ASSERT_TRUE(p.info) << p.why;
    expect_date(p.info->birth_date, 1924, 6, 16);

    p = parse(nik_born("560624"));
    ASSERT_TRUE(p.info) << p.why;
    expect_date(p.info->birth_date, 1924, 6, 16);
}

TEST(ParseNik, LaterMonthOfTodaysYearAndNextYearAreThePreviousCentury) {
    auto p = parse(nik_born("010724"));
    ASSERT_TRUE(p.info) << p.why;
    EXPECT_EQ(p.info->birth_date.year, 1924);

    p = parse(nik_born("010125"));
    ASSERT_TRUE(p.info) << p.why;
    EXPECT_EQ(p.info->birth_date.year, 1925);

    p = parse(nik_born("311299"));
    ASSERT_TRUE(p.info) << p.why;
    EXPECT_EQ(p.info->birth_date.year, 1999);
}

TEST(ParseNik, PivotAtTheTurnOfTheYear) {
    auto p = parse(nik_born("311224"), Date{2024, 12, 31});
    ASSERT_TRUE(p.info) << p.why;
    EXPECT_EQ(p.info->birth_date.year, 2024);

    p = parse(nik_born("010125"), Date{2025, 1, 1});
    ASSERT_TRUE(p.info) << p.why;
    EXPECT_EQ(p.info->birth_date.year, 2025);

    p = parse(nik_born("020125"), Date{2025, 1, 1});
    ASSERT_TRUE(p.info) << p.why;
    EXPECT_EQ(p.info->birth_date.year, 1925);
}

// --- structure ------------------------------------------------------------------------------

TEST(ParseNik, NonDigitIsRefusedNamingItsPosition) {
    auto p = parse("32730145079000a1");
    EXPECT_FALSE(p.info);
    EXPECT_THAT(p.why, HasSubstr("character 15 is not a digit"));

    p = parse("3273-14507900001");
    EXPECT_FALSE(p.info);
    EXPECT_THAT(p.why, HasSubstr("character 5 is not a digit"));

    p = parse(" 273014507900001");
    EXPECT_FALSE(p.info);
    EXPECT_THAT(p.why, HasSubstr("character 1 is not a digit"));
}

TEST(ParseNik, WrongLengthIsRefusedWithTheCount) {
    auto p = parse("327301450790001");
    EXPECT_FALSE(p.info);
    EXPECT_THAT(p.why, HasSubstr("16 digits"));
    EXPECT_THAT(p.why, HasSubstr("has 15 characters"));

    p = parse("32730145079000011");
    EXPECT_FALSE(p.info);
    EXPECT_THAT(p.why, HasSubstr("has 17 characters"));

    p = parse("");
    EXPECT_FALSE(p.info);
    EXPECT_THAT(p.why, HasSubstr("has 0 characters"));
}

TEST(ParseNik, UnknownProvinceIsRefusedNamingDigits1To2) {
    for (const char* code : {"20", "99", "00", "10", "37", "54", "83", "97"}) {
        const auto p = parse(std::string(code) + "7301" + "450790" + "0001");
        EXPECT_FALSE(p.info) << code;
        EXPECT_THAT(p.why, HasSubstr("digits 1-2")) << code;
        EXPECT_THAT(p.why, HasSubstr("are " + std::string(code))) << code;
    }
}

TEST(ParseNik, ZeroRegencyIsRefusedNamingDigits3To4) {
    const auto p = parse("3200014507900001");
    EXPECT_FALSE(p.info);
    EXPECT_THAT(p.why, HasSubstr("digits 3-4"));
    EXPECT_THAT(p.why, HasSubstr("00"));
}

TEST(ParseNik, ZeroDistrictIsRefusedNamingDigits5To6) {
    const auto p = parse("3273004507900001");
    EXPECT_FALSE(p.info);
    EXPECT_THAT(p.why, HasSubstr("digits 5-6"));
}

TEST(ParseNik, ZeroSerialIsRefusedNamingDigits13To16) {
    const auto p = parse("3273014507900000");
    EXPECT_FALSE(p.info);
    EXPECT_THAT(p.why, HasSubstr("digits 13-16"));
    EXPECT_THAT(p.why, HasSubstr("0000"));
}

TEST(ParseNik, MessagesSayItIsTheNik) {
    const auto p = parse("3273014507900000");
    EXPECT_THAT(p.why, ::testing::StartsWith("NIK"));
}

// --- KK numbers ------------------------------------------------------------------------------

struct KkResult {
    bool ok;
    std::string why;
};

KkResult kk(const std::string& number, const Date& today = kToday) {
    KkResult r;
    r.ok = validate_kk(number, today, r.why);
    return r;
}

TEST(ValidateKk, ValidNumberIsAccepted) {
    const auto r = kk("3273011507120003");
    EXPECT_TRUE(r.ok) << r.why;
}

TEST(ValidateKk, LeapDayIssueDateIsAccepted) {
    const auto r = kk("3273012902200003");
    EXPECT_TRUE(r.ok) << r.why;
}

TEST(ValidateKk, BadIssueDatesAreRefusedNamingDigits7To12) {
    // The +40 rule is for women's NIKs only: a KK issue date has no day 45.
    for (const char* ddmmyy : {"450712", "000712", "150012", "151312", "310412", "290219"}) {
        const auto r = kk("327301" + std::string(ddmmyy) + "0003");
        EXPECT_FALSE(r.ok) << ddmmyy;
        EXPECT_THAT(r.why, HasSubstr("KK number")) << ddmmyy;
        EXPECT_THAT(r.why, HasSubstr("digits 7-12")) << ddmmyy;
        EXPECT_THAT(r.why, HasSubstr(ddmmyy)) << ddmmyy;
    }
}

TEST(ValidateKk, StructureErrorsNameTheDigits) {
    const struct {
        const char* number;
        const char* expected;
    } cases[] = {
        {"327301150712003", "has 15 characters"},
        {"32730115071200031", "has 17 characters"},
        {"3273011507120O03", "character 14 is not a digit"},
        {"2073011507120003", "digits 1-2"},
        {"9973011507120003", "digits 1-2"},
        {"3200011507120003", "digits 3-4"},
        {"3273001507120003", "digits 5-6"},
        {"3273011507120000", "digits 13-16"},
    };
    for (const auto& c : cases) {
        const auto r = kk(c.number);
        EXPECT_FALSE(r.ok) << c.number;
        EXPECT_THAT(r.why, HasSubstr("KK number")) << c.number;
        EXPECT_THAT(r.why, HasSubstr(c.expected)) << c.number;
    }
}

// --- dates ---------------------------------------------------------------------------------

TEST(IsValidDate, MonthLengthsAndLeapYears) {
    EXPECT_TRUE(is_valid_date({2023, 1, 31}));
    EXPECT_FALSE(is_valid_date({2023, 4, 31}));
    EXPECT_FALSE(is_valid_date({2023, 2, 29}));
    EXPECT_TRUE(is_valid_date({2024, 2, 29}));
    EXPECT_TRUE(is_valid_date({2000, 2, 29}));
    EXPECT_FALSE(is_valid_date({1900, 2, 29}));
    EXPECT_FALSE(is_valid_date({2024, 0, 1}));
    EXPECT_FALSE(is_valid_date({2024, 13, 1}));
    EXPECT_FALSE(is_valid_date({2024, 1, 0}));
}

TEST(TodayUtc, MatchesTheSystemClock) {
    auto utc_now = [] {
        std::time_t now = std::time(nullptr);
        std::tm tm{};
        gmtime_r(&now, &tm);
        return Date{tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
    };
    const Date before = utc_now();
    const Date today = today_utc();
    const Date after = utc_now();
    auto same = [](const Date& a, const Date& b) {
        return a.year == b.year && a.month == b.month && a.day == b.day;
    };
    EXPECT_TRUE(is_valid_date(today));
    // Either read may straddle midnight UTC, but today lies between them.
    EXPECT_TRUE(same(today, before) || same(today, after))
        << today.year << "-" << today.month << "-" << today.day;
}

}  // namespace
}  // namespace rekam
