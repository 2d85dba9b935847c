// Indonesian population numbers: the NIK (Nomor Induk Kependudukan) on the e-KTP and the
// family card (KK) number. Both are 16 digits: PP KK CC DDMMYY SSSS = province, regency/city,
// district, a date and a serial. In a NIK the date is the birth date, with 40 added to the day
// for women; in a KK number it is the date the card was issued.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace rekam {

enum class Sex { Male, Female };

struct Date {
    int year = 0;
    int month = 0;
    int day = 0;
};

struct NikInfo {
    std::string province;  // 2 digits
    std::string regency;   // 2 digits
    std::string district;  // 2 digits
    Date birth_date;
    Sex sex = Sex::Male;
    std::string serial;  // 4 digits
};

// Each returns nullopt and sets `why` to a sentence naming exactly which digits are wrong.
// `today` decides the century of a two-digit year: a birth year cannot lie in the future.
std::optional<NikInfo> parse_nik(std::string_view nik, const Date& today, std::string& why);
bool validate_kk(std::string_view kk, const Date& today, std::string& why);

bool is_valid_date(const Date& date);
Date today_utc();

}  // namespace rekam
