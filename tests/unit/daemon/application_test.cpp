#include "daemon/application.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dbus/errors.h"
#include "dbus/message.h"

namespace rekam {
namespace {

using ::testing::HasSubstr;

constexpr Date kToday{2024, 6, 15};
const std::vector<std::string> kSop = {"kk-copy", "id-copy", "rt-letter"};

constexpr const char* kNik = "3273014507900001";  // female, 5 July 1990
constexpr const char* kKk = "3273011507120003";

bus::Dict valid_dict() {
    return bus::Dict{
        {"nik", bus::str(kNik)},
        {"kk", bus::str(kKk)},
        {"documents", bus::strv({"kk-copy", "id-copy", "rt-letter"})},
        {"operator", bus::str("op-siti")},
    };
}

bus::Dict with(bus::Dict d, const std::string& key, bus::Value value) {
    for (auto& [k, v] : d)
        if (k == key) {
            v = std::move(value);
            return d;
        }
    d.emplace_back(key, std::move(value));
    return d;
}

bus::Dict without(bus::Dict d, const std::string& key) {
    std::erase_if(d, [&](const auto& kv) { return kv.first == key; });
    return d;
}

Application check(const bus::Dict& d, const std::vector<std::string>& required = kSop) {
    return check_application(bus::Arguments("application", d), required, kToday);
}

struct Refusal {
    std::string name;
    std::string message;
};

Refusal refusal(const bus::Dict& d, const std::vector<std::string>& required = kSop) {
    try {
        check(d, required);
    } catch (const bus::Error& e) {
        return {e.name(), e.what()};
    }
    return {"(accepted)", ""};
}

// --- accepted ------------------------------------------------------------------------------

TEST(CheckApplication, ValidApplicationIsAcceptedAndDecoded) {
    const auto app = check(with(valid_dict(), "name", bus::str("Siti Nurhaliza")));
    EXPECT_EQ(app.nik, kNik);
    EXPECT_EQ(app.kk, kKk);
    EXPECT_EQ(app.operator_id, "op-siti");
    EXPECT_EQ(app.name, "Siti Nurhaliza");
    EXPECT_EQ(app.documents, (std::vector<std::string>{"kk-copy", "id-copy", "rt-letter"}));
    EXPECT_EQ(app.nik_info.sex, Sex::Female);
    EXPECT_EQ(app.nik_info.birth_date.year, 1990);
    EXPECT_EQ(app.nik_info.birth_date.month, 7);
    EXPECT_EQ(app.nik_info.birth_date.day, 5);
}

TEST(CheckApplication, NameIsOptional) { EXPECT_EQ(check(valid_dict()).name, ""); }

TEST(CheckApplication, DocumentsInAnyOrderAndExtraOnesAreAccepted) {
    const auto app =
        check(with(valid_dict(), "documents",
                   bus::strv({"rt-letter", "birth-certificate", "kk-copy", "id-copy"})));
    EXPECT_EQ(app.documents.size(), 4u);
}

TEST(CheckApplication, RequiredDocumentsComeFromTheConfiguration) {
    const auto d = with(valid_dict(), "documents", bus::strv({"kk-copy"}));
    EXPECT_NO_THROW(check(d, {"kk-copy"}));
    EXPECT_NO_THROW(check(without(valid_dict(), "documents"), {}));
    const auto r = refusal(d, {"kk-copy", "surat-pindah"});
    EXPECT_EQ(r.name, bus::error::kRequirementsIncomplete);
    EXPECT_THAT(r.message, ::testing::EndsWith("missing document(s): surat-pindah"));
}

TEST(CheckApplication, ToDictRoundTrips) {
    const auto app = check(with(valid_dict(), "name", bus::str("Siti")));
    const auto again = check(app.to_dict());
    EXPECT_EQ(again.nik, app.nik);
    EXPECT_EQ(again.kk, app.kk);
    EXPECT_EQ(again.documents, app.documents);
    EXPECT_EQ(again.operator_id, app.operator_id);
    EXPECT_EQ(again.name, app.name);
}

// --- missing documents: RequirementsIncomplete, naming exactly what is missing --------------

TEST(CheckApplication, EachMissingDocumentIsNamed) {
    for (const auto& missing : kSop) {
        std::vector<std::string> docs;
        for (const auto& d : kSop)
            if (d != missing) docs.push_back(d);
        const auto r = refusal(with(valid_dict(), "documents", bus::strv(docs)));
        EXPECT_EQ(r.name, bus::error::kRequirementsIncomplete) << missing;
        EXPECT_EQ(r.message, "the request cannot be processed: missing document(s): " + missing);
    }
}

TEST(CheckApplication, TwoMissingDocumentsAreBothNamedInSopOrder) {
    const auto r = refusal(with(valid_dict(), "documents", bus::strv({"id-copy"})));
    EXPECT_EQ(r.name, bus::error::kRequirementsIncomplete);
    EXPECT_THAT(r.message, ::testing::EndsWith("missing document(s): kk-copy, rt-letter"));
}

TEST(CheckApplication, MissingDocumentsKeyListsAll) {
    const auto r = refusal(without(valid_dict(), "documents"));
    EXPECT_EQ(r.name, bus::error::kRequirementsIncomplete);
    EXPECT_THAT(r.message, ::testing::EndsWith("missing document(s): kk-copy, id-copy, rt-letter"));
}

TEST(CheckApplication, EmptyDocumentListListsAll) {
    const auto r = refusal(with(valid_dict(), "documents", bus::strv({})));
    EXPECT_EQ(r.name, bus::error::kRequirementsIncomplete);
    EXPECT_THAT(r.message, ::testing::EndsWith("missing document(s): kk-copy, id-copy, rt-letter"));
}

TEST(CheckApplication, DocumentNamesAreMatchedExactly) {
    const auto r =
        refusal(with(valid_dict(), "documents", bus::strv({"KK-copy", "id-copy ", "rt-letter"})));
    EXPECT_EQ(r.name, bus::error::kRequirementsIncomplete);
    EXPECT_THAT(r.message, ::testing::EndsWith("missing document(s): kk-copy, id-copy"));
}

// --- malformed NIK / KK: InvalidArgument with the why text ----------------------------------

TEST(CheckApplication, MalformedNikIsInvalidArgumentWithTheReason) {
    for (const char* nik :
         {"3273017207900001", "327301450790001", "2073014507900001", "3273016902890001"}) {
        std::string why;
        ASSERT_FALSE(parse_nik(nik, kToday, why)) << nik;
        const auto r = refusal(with(valid_dict(), "nik", bus::str(nik)));
        EXPECT_EQ(r.name, bus::error::kInvalidArgument) << nik;
        EXPECT_EQ(r.message, why) << nik;
    }
    EXPECT_THAT(refusal(with(valid_dict(), "nik", bus::str("3273017207900001"))).message,
                HasSubstr("digits 7-8"));
}

TEST(CheckApplication, MalformedKkIsInvalidArgumentWithTheReason) {
    const char* kk = "3273014507120003";  // issue day 45
    std::string why;
    ASSERT_FALSE(validate_kk(kk, kToday, why));
    const auto r = refusal(with(valid_dict(), "kk", bus::str(kk)));
    EXPECT_EQ(r.name, bus::error::kInvalidArgument);
    EXPECT_EQ(r.message, why);
    EXPECT_THAT(r.message, HasSubstr("KK number: digits 7-12"));
}

TEST(CheckApplication, MissingNikOrKkIsInvalidArgument) {
    auto r = refusal(without(valid_dict(), "nik"));
    EXPECT_EQ(r.name, bus::error::kInvalidArgument);
    EXPECT_EQ(r.message, "application: \"nik\" is missing");
    r = refusal(without(valid_dict(), "kk"));
    EXPECT_EQ(r.name, bus::error::kInvalidArgument);
    EXPECT_EQ(r.message, "application: \"kk\" is missing");
}

// --- types, unknown keys, operator ------------------------------------------------------------

TEST(CheckApplication, WrongTypeNamesTheKeyAndTheTypes) {
    auto r = refusal(with(valid_dict(), "nik", bus::u32(3273014)));
    EXPECT_EQ(r.name, bus::error::kInvalidArgument);
    EXPECT_EQ(r.message, "application: \"nik\" must be of type s (string), got u");

    r = refusal(with(valid_dict(), "documents", bus::str("kk-copy id-copy rt-letter")));
    EXPECT_EQ(r.name, bus::error::kInvalidArgument);
    EXPECT_EQ(r.message, "application: \"documents\" must be of type as (array of strings), got s");

    r = refusal(with(valid_dict(), "operator", bus::i64(7)));
    EXPECT_EQ(r.message, "application: \"operator\" must be of type s (string), got x");

    r = refusal(with(valid_dict(), "name", bus::boolean(true)));
    EXPECT_EQ(r.message, "application: \"name\" must be of type s (string), got b");
}

TEST(CheckApplication, UnknownKeyIsRefused) {
    const auto r = refusal(with(valid_dict(), "photo", bus::str("x.jpg")));
    EXPECT_EQ(r.name, bus::error::kInvalidArgument);
    EXPECT_EQ(r.message,
              "application: unknown key \"photo\" (known: \"nik\", \"kk\", \"documents\", "
              "\"operator\", \"name\")");
}

TEST(CheckApplication, EmptyOrMissingOperatorIsRefused) {
    auto r = refusal(with(valid_dict(), "operator", bus::str("")));
    EXPECT_EQ(r.name, bus::error::kInvalidArgument);
    EXPECT_THAT(r.message, HasSubstr("\"operator\""));
    r = refusal(without(valid_dict(), "operator"));
    EXPECT_EQ(r.name, bus::error::kInvalidArgument);
    EXPECT_EQ(r.message, "application: \"operator\" is missing");
}

// --- backdrop ------------------------------------------------------------------------------

std::string backdrop_for(const char* ddmmyy) {
    return check(with(valid_dict(), "nik", bus::str(std::string("327301") + ddmmyy + "0001")))
        .backdrop();
}

TEST(Backdrop, RedForOddBirthYearsBlueForEven) {
    EXPECT_EQ(backdrop_for("450790"), "blue");  // 1990
    EXPECT_EQ(backdrop_for("150791"), "red");   // 1991
    EXPECT_EQ(backdrop_for("010100"), "blue");  // 2000
    EXPECT_EQ(backdrop_for("010101"), "red");   // 2001
    EXPECT_EQ(backdrop_for("311299"), "red");   // 1999
    EXPECT_EQ(backdrop_for("010725"), "red");   // 1925, decided by the century rule
}

}  // namespace
}  // namespace rekam
