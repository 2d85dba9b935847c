// Writes a finished session as a signed enroll package (rekam-enroll/1) into the spool in two
// steps: stage() writes and fsyncs it under a temporary name; commit() renames it to its final
// name and fsyncs the directory. The session books the enrollment in between, so a package is
// under its final name only with its book entry, and a crash never leaves half a package there.
#pragma once

#include <chrono>
#include <ctime>
#include <filesystem>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "biometrics/package/cms.h"
#include "biometrics/package/seal.h"
#include "daemon/application.h"
#include "daemon/config.h"
#include "daemon/spool_file.h"

namespace rekam {

struct Sample;
struct ExceptionMark;

struct EnrollmentData {
    std::string transaction_id;
    const Application& application;
    std::chrono::system_clock::time_point created;
    std::vector<const Sample*> samples;  // capture order
    std::vector<std::pair<std::string, ExceptionMark>> exceptions;
};

// The station certificate is expired or not valid yet: no package can be signed.
struct StationNotReady : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// EnrollmentWriter::readiness() warns from this many days before the certificate ends.
inline constexpr int kExpiryWarningDays = 30;

class EnrollmentWriter {
  public:
    // With `recipients` every package is sealed to them (rekam-enroll-sealed/1); without, it is
    // the signed package alone.
    EnrollmentWriter(std::string station_id, std::filesystem::path spool, pkg::StationSigner signer,
                     CardConfig card, std::optional<pkg::SealRecipients> recipients = {});
    // Builds, signs (and seals) and stages the package "<transaction id>.rekam", with its card/.
    // Throws StationNotReady when the station certificate is expired or not valid yet,
    // CardOverBudget (card_profile.h) when the chip cannot hold the card, std::runtime_error
    // otherwise (full disk: the temporary is gone again).
    StagedPackage stage(const EnrollmentData& data);
    const std::filesystem::path& spool() const { return spool_; }
    const pkg::StationSigner& signer() const { return signer_; }
    const std::optional<pkg::SealRecipients>& recipients() const { return recipients_; }

    // What stands between the station and production, each a sentence: the certificate's last
    // 30 days or its end, a self-signed key, packages not encrypted. `can_sign` is false only
    // when Finalize would refuse. The start-up log and Manager.SelfTest both say this.
    struct Readiness {
        bool can_sign = true;
        std::vector<std::string> warnings;
    };
    Readiness readiness(std::time_t now, bool self_signed) const;

  private:
    std::string station_id_;
    std::filesystem::path spool_;
    pkg::StationSigner signer_;
    CardConfig card_;
    std::optional<pkg::SealRecipients> recipients_;
};

}  // namespace rekam
