#include "tests/integration/book_checks.h"

#include "biometrics/package/hash_chain.h"
#include "tests/integration/harness.h"

namespace rekam::test {

nlohmann::json book_entries(const std::string& address) {
    std::string out;
    const int status = run(rekamctl_path() + " --bus-address '" + address + "' --json book", &out);
    if (status != 0) throw std::runtime_error("rekamctl book failed: " + out);
    return nlohmann::json::parse(out);
}

int verify_book(const std::string& address, std::string* output) {
    return run(rekamctl_path() + " --bus-address '" + address + "' book --verify", output);
}

SpoolFiles spool_files(const std::filesystem::path& spool) {
    SpoolFiles files;
    for (const auto& entry : std::filesystem::directory_iterator(spool)) {
        const std::string name = entry.path().filename().string();
        if (name.front() == '.')
            files.temporaries.push_back(name);
        else
            files.packages[name] = pkg::to_hex(pkg::sha256(read_file(entry.path())));
    }
    return files;
}

std::map<std::string, std::vector<std::string>> outcomes_by_transaction(
    const nlohmann::json& entries) {
    std::map<std::string, std::vector<std::string>> out;
    for (const auto& e : entries) {
        const std::string id = e.value("transaction-id", "");
        if (!id.empty()) out[id].push_back(e.value("outcome", ""));
    }
    return out;
}

}  // namespace rekam::test
