// Reading the registration book and the spool as a test sees them: through rekamctl (the
// book) and the file system (the spool), so the checks hold whatever the daemon believes.
#pragma once

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace rekam::test {

// Every entry of the book, oldest first, as `rekamctl --json book` prints them.
nlohmann::json book_entries(const std::string& address);
// `rekamctl book --verify`: its exit status, and its output in `output`.
int verify_book(const std::string& address, std::string* output = nullptr);

// The spool's files: under a final name (name -> SHA-256) and temporaries (".*.partial").
struct SpoolFiles {
    std::map<std::string, std::string> packages;
    std::vector<std::string> temporaries;
};
SpoolFiles spool_files(const std::filesystem::path& spool);

// Book entries of one transaction, in book order, as outcomes.
std::map<std::string, std::vector<std::string>> outcomes_by_transaction(
    const nlohmann::json& entries);

}  // namespace rekam::test
