#include "daemon/population_ids.h"

#include <algorithm>
#include <array>
#include <ctime>
#include <tuple>

namespace rekam {
namespace {

// Province codes of Kemendagri (Permendagri 72/2019 and the 2022 Papua provinces 93-96).
constexpr std::array kProvinces = {11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33,
                                   34, 35, 36, 51, 52, 53, 61, 62, 63, 64, 65, 71, 72,
                                   73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96};

int two(std::string_view s, std::size_t at) { return (s[at] - '0') * 10 + (s[at + 1] - '0'); }

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

bool before(const Date& a, const Date& b) {
    return std::tie(a.year, a.month, a.day) < std::tie(b.year, b.month, b.day);
}

// Shared structure of NIK and KK: 16 digits, a real region, a non-zero serial.
bool check_common(std::string_view what, std::string_view id, std::string& why) {
    if (id.size() != 16) {
        why = std::string(what) + " must have 16 digits, it has " + std::to_string(id.size()) +
              " characters";
        return false;
    }
    for (std::size_t i = 0; i < id.size(); ++i) {
        if (id[i] < '0' || id[i] > '9') {
            why = std::string(what) + ": character " + std::to_string(i + 1) + " is not a digit";
            return false;
        }
    }
    const int province = two(id, 0);
    if (std::find(kProvinces.begin(), kProvinces.end(), province) == kProvinces.end()) {
        why = std::string(what) + ": digits 1-2 (province) are " + std::string(id.substr(0, 2)) +
              ", which is no Indonesian province code";
        return false;
    }
    if (two(id, 2) == 0) {
        why = std::string(what) + ": digits 3-4 (regency or city) must not be 00";
        return false;
    }
    if (two(id, 4) == 0) {
        why = std::string(what) + ": digits 5-6 (district) must not be 00";
        return false;
    }
    if (id.substr(12) == "0000") {
        why = std::string(what) + ": digits 13-16 (serial) must not be 0000";
        return false;
    }
    return true;
}

// A two-digit year in a date that cannot lie in the future.
int full_year(int yy, int month, int day, const Date& today) {
    int year = 2000 + yy;
    if (before(today, Date{year, month, day})) year -= 100;
    return year;
}

}  // namespace

bool is_valid_date(const Date& d) {
    static constexpr std::array kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (d.month < 1 || d.month > 12 || d.day < 1) return false;
    const int max = kDays[d.month - 1] + (d.month == 2 && is_leap(d.year) ? 1 : 0);
    return d.day <= max;
}

Date today_utc() {
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    return Date{tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

std::optional<NikInfo> parse_nik(std::string_view nik, const Date& today, std::string& why) {
    if (!check_common("NIK", nik, why)) return std::nullopt;
    NikInfo info;
    info.province = std::string(nik.substr(0, 2));
    info.regency = std::string(nik.substr(2, 2));
    info.district = std::string(nik.substr(4, 2));
    info.serial = std::string(nik.substr(12, 4));
    int day = two(nik, 6);
    const int month = two(nik, 8);
    const int yy = two(nik, 10);
    if (day > 40) {
        info.sex = Sex::Female;
        day -= 40;
    }
    if (day < 1 || day > 31) {
        why = "NIK: digits 7-8 (day of birth) are " + std::string(nik.substr(6, 2)) +
              ": must be 01-31, or 41-71 for women (day + 40)";
        return std::nullopt;
    }
    if (month < 1 || month > 12) {
        why = "NIK: digits 9-10 (month of birth) are " + std::string(nik.substr(8, 2)) +
              ": must be 01-12";
        return std::nullopt;
    }
    info.birth_date = Date{full_year(yy, month, day, today), month, day};
    if (!is_valid_date(info.birth_date)) {
        why = "NIK: digits 7-12 give the birth date " + std::to_string(info.birth_date.day) + "-" +
              std::to_string(month) + "-" + std::to_string(info.birth_date.year) +
              ", which does not exist";
        return std::nullopt;
    }
    return info;
}

bool validate_kk(std::string_view kk, const Date& today, std::string& why) {
    if (!check_common("KK number", kk, why)) return false;
    const int day = two(kk, 6);
    const int month = two(kk, 8);
    const Date issued{full_year(two(kk, 10), month, day, today), month, day};
    if (!is_valid_date(issued)) {
        why = "KK number: digits 7-12 (issue date DDMMYY) are " + std::string(kk.substr(6, 6)) +
              ", which is no valid date";
        return false;
    }
    return true;
}

}  // namespace rekam
