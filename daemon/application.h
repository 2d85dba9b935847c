// An e-KTP request as OpenSession receives it, checked the way SOP step 2 checks it: a missing
// requirement means the request "cannot be processed".
#pragma once

#include <string>
#include <vector>

#include "daemon/population_ids.h"
#include "dbus/message.h"

namespace rekam {

// What an application's fields may hold: an NIK or KK is 16 digits, a document name a short word;
// names are generous for long Indonesian names with titles. Longer: InvalidArgument.
inline constexpr std::size_t kMaxIdBytes = 64;
inline constexpr std::size_t kMaxNameBytes = 256;
inline constexpr std::size_t kMaxDocuments = 32;

struct Application {
    std::string nik;
    std::string kk;
    std::vector<std::string> documents;
    std::string operator_id;
    std::string name;  // optional
    NikInfo nik_info;

    // The e-KTP photo backdrop: red for odd birth years, blue for even ones.
    std::string backdrop() const { return nik_info.birth_date.year % 2 ? "red" : "blue"; }
    bus::Dict to_dict() const;
};

// Parses and checks the application argument of OpenSession. Throws bus::Error:
// InvalidArgument naming the malformed or missing field, RequirementsIncomplete naming every
// missing document. `required_documents` comes from the configuration.
Application check_application(const bus::Arguments& args,
                              const std::vector<std::string>& required_documents,
                              const Date& today);

}  // namespace rekam
