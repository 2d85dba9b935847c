// verify: check a package offline, with no daemon: signature, chain and every hash.
#include <fstream>
#include <iostream>
#include <iterator>

#include "biometrics/package/verify.h"
#include "tools/rekamctl/commands.h"
#include "tools/rekamctl/output.h"

namespace rekam::ctl {

int cmd_verify(const Global& g, const std::string& package, const std::string& ca_file) {
    std::ifstream in(package, std::ios::binary);
    const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                          std::istreambuf_iterator<char>());
    pkg::VerifyOptions options;
    if (!ca_file.empty()) options.ca_file = ca_file;
    const pkg::VerifyReport report = pkg::verify_package(bytes, options);
    if (g.json) {
        nlohmann::json problems = nlohmann::json::array();
        for (const auto& p : report.problems)
            problems.push_back({{"code", p.code}, {"message", p.message}});
        nlohmann::json j{{"package", package},
                         {"ok", report.ok()},
                         {"signature-valid", report.signature_valid},
                         {"trusted", report.trusted},
                         {"trust", report.trust},
                         {"signer", report.signer},
                         {"problems", problems}};
        if (report.manifest) {
            j["transaction-id"] = report.manifest->transaction_id;
            j["samples"] = report.manifest->samples.size();
        }
        std::cout << j.dump(2) << "\n";
    } else {
        std::cout << package << ": " << (report.ok() ? "OK" : "FAILED") << "\n";
        std::cout << "  signature: " << (report.signature_valid ? "valid" : "INVALID") << ", "
                  << report.trust << "\n";
        if (!report.signer.empty()) std::cout << "  signer:    " << report.signer << "\n";
        if (report.manifest)
            std::cout << "  transaction " << report.manifest->transaction_id << ", "
                      << report.manifest->samples.size() << " samples, "
                      << report.manifest->exceptions.size() << " exceptions, chain head "
                      << report.manifest->chain.head << "\n";
        for (const auto& p : report.problems)
            std::cout << "  problem [" << p.code << "]: " << p.message << "\n";
    }
    return report.ok() ? kOk : kFailed;
}

}  // namespace rekam::ctl
