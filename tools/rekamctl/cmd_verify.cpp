// verify: check a package offline, with no daemon: signature, signer's trust, chain, every hash.
// A valid signature alone proves nothing: anyone can re-sign a package with a key of their own.
// So the signer must chain to a trust anchor (--ca, else [Station] CAFile= of rekamd.conf), and
// without one the package fails; --no-trust-check is the explicit way to check the rest only.
// A sealed package is checked as far as its envelope goes; with --decrypt-key its content is
// opened in memory and checked like any package.
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>

#include "biometrics/package/verify.h"
#include "tools/rekamctl/commands.h"
#include "tools/rekamctl/output.h"
#include "tools/rekamctl/trust_anchor.h"

namespace rekam::ctl {
namespace {

// One line on the signer: "signer trusted", "signer not trusted: ...", "signer not checked".
std::string trust_verdict(const VerifyOptions& o, const std::optional<Anchor>& anchor,
                          const pkg::VerifyReport& report) {
    if (o.no_trust_check) return "signer not checked (--no-trust-check)";
    if (!anchor) return "signer not trusted: no trust anchor given";
    if (report.trusted) return "signer trusted";
    if (report.has("ca-unreadable"))
        return "signer not trusted: the CA " + anchor->file + " cannot be used";
    return "signer not trusted: it does not chain to the CA " + anchor->file;
}

}  // namespace

int cmd_verify(const Global& g, const VerifyOptions& o) {
    const std::optional<Anchor> anchor =
        o.no_trust_check ? std::nullopt : find_anchor(o.ca_file, o.config, o.config_given);
    std::ifstream in(o.package, std::ios::binary);
    const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                          std::istreambuf_iterator<char>());
    pkg::VerifyOptions options;
    if (anchor) options.ca_file = anchor->file;
    if (!o.decrypt_key.empty()) options.decryption_key_file = o.decrypt_key;
    pkg::VerifyReport report = pkg::verify_package(bytes, options);
    if (report.signature_valid && !anchor && !o.no_trust_check)
        report.problems.push_back(
            {"no-trust-anchor",
             "signature valid, signer not trusted (" + report.trust +
                 "): give the CA with --ca CA.pem or [Station] CAFile= in " + o.config +
                 ", or check the signature and hashes only with --no-trust-check"});
    const std::string verdict = trust_verdict(o, anchor, report);

    if (g.json) {
        nlohmann::json problems = nlohmann::json::array();
        for (const auto& p : report.problems)
            problems.push_back({{"code", p.code}, {"message", p.message}});
        nlohmann::json j{{"package", o.package},
                         {"ok", report.ok()},
                         {"signature-valid", report.signature_valid},
                         {"trust-checked", !o.no_trust_check},
                         {"trusted", report.trusted},
                         {"trust", verdict},
                         {"ca", anchor ? nlohmann::json(anchor->file) : nlohmann::json()},
                         {"signer", report.signer},
                         {"problems", problems}};
        if (report.manifest) {
            j["transaction-id"] = report.manifest->transaction_id;
            j["samples"] = report.manifest->samples.size();
        }
        j["sealed"] = report.sealed;
        if (report.envelope) {
            nlohmann::json recipients = nlohmann::json::array();
            for (const auto& r : report.envelope->recipients)
                recipients.push_back({{"subject", r.subject},
                                      {"certificate-sha256", r.certificate_sha256},
                                      {"key-management", r.key_management}});
            j["opened"] = report.opened;
            j["recipients"] = recipients;
            if (!report.manifest) j["transaction-id"] = report.envelope->transaction_id;
        }
        std::cout << j.dump(2) << "\n";
    } else {
        std::cout << o.package << ": " << (report.ok() ? "OK" : "FAILED") << "\n";
        if (report.signature_valid)
            std::cout << "  signature valid, " << verdict << "\n";
        else
            std::cout << "  signature INVALID\n";
        if (!report.signer.empty()) std::cout << "  signer:    " << report.signer << "\n";
        if (anchor) std::cout << "  anchor:    " << anchor->file << " (" << anchor->origin << ")\n";
        if (report.envelope) {
            std::cout << "  sealed to " << report.envelope->recipients.size() << " recipient(s)"
                      << (report.opened ? ", opened with " + o.decrypt_key : ", not opened")
                      << "\n";
            for (const auto& r : report.envelope->recipients)
                std::cout << "    " << r.subject << " (" << r.key_management << ", SHA-256 "
                          << r.certificate_sha256 << ")\n";
            if (!report.manifest)
                std::cout << "  transaction " << report.envelope->transaction_id << " of "
                          << report.envelope->station_id << " at " << report.envelope->finalized_at
                          << " (from the envelope)\n";
        }
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
