// Writes a finished session as a signed enroll package (rekam-enroll/1) into the spool in two
// steps: stage() writes and fsyncs it under a temporary name; commit() renames it to its final
// name and fsyncs the directory. The session books the enrollment in between, so a package is
// under its final name only with its book entry, and a crash never leaves half a package there.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "biometrics/package/cms.h"
#include "biometrics/package/seal.h"
#include "daemon/application.h"
#include "daemon/config.h"

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

// A package under its temporary name ".<name>.partial" in the spool, synced, not yet final.
// Removed on destruction unless committed or kept.
class StagedPackage {
  public:
    StagedPackage(std::filesystem::path dir, std::string name, std::string sha256);
    StagedPackage(StagedPackage&& other) noexcept;
    StagedPackage& operator=(StagedPackage&&) = delete;
    StagedPackage(const StagedPackage&) = delete;
    ~StagedPackage();

    const std::string& name() const { return name_; }  // the final file name
    std::filesystem::path path() const { return dir_ / name_; }
    std::filesystem::path temporary() const { return dir_ / temporary_name(name_); }
    const std::string& sha256() const { return sha256_; }
    bool committed() const { return state_ == State::Committed; }

    // Its book entry is written: from now on the temporary is never removed, whatever fails;
    // commit() again, or start-up recovery, gives it its final name.
    void keep() {
        if (state_ == State::Staged) state_ = State::Kept;
    }
    // Rename to the final name (never over an existing file), then fsync the directory.
    // Throws std::runtime_error with the path and errno text.
    void commit();

    static std::string temporary_name(const std::string& name) { return "." + name + ".partial"; }
    // The package name a temporary file stands for; nullopt for any other file.
    static std::optional<std::string> name_of_temporary(const std::string& file);

  private:
    enum class State { Staged, Kept, Committed, Moved };
    std::filesystem::path dir_;
    std::string name_;
    std::string sha256_;
    State state_ = State::Staged;
};

class EnrollmentWriter {
  public:
    // With `recipients` every package is sealed to them (rekam-enroll-sealed/1); without, it is
    // the signed package alone.
    EnrollmentWriter(std::string station_id, std::filesystem::path spool, pkg::StationSigner signer,
                     CardConfig card, std::optional<pkg::SealRecipients> recipients = {});
    // Builds, signs (and seals) and stages the package "<transaction id>.rekam", with its card/.
    // Throws
    // CardOverBudget (card_profile.h) when the chip cannot hold the card, std::runtime_error
    // otherwise (full disk: the temporary is gone again).
    StagedPackage stage(const EnrollmentData& data);
    const std::filesystem::path& spool() const { return spool_; }

  private:
    std::string station_id_;
    std::filesystem::path spool_;
    pkg::StationSigner signer_;
    CardConfig card_;
    std::optional<pkg::SealRecipients> recipients_;
};

// Write `bytes` to the temporary of `dir/name` and fsync it (a leftover temporary is replaced).
// Throws std::runtime_error with the path and errno text; nothing is left behind then.
StagedPackage stage_file(const std::filesystem::path& dir, const std::string& name,
                         const std::vector<std::uint8_t>& bytes, std::string sha256 = {});

// stage_file() and commit() in one: for files no book entry goes with.
void write_file_atomically(const std::filesystem::path& dir, const std::string& name,
                           const std::vector<std::uint8_t>& bytes);

// What start-up found in the spool.
struct SpoolRecovery {
    std::vector<std::string> completed;  // booked packages given their final name
    std::vector<std::string> removed;    // temporaries without a matching book entry
};

// Finishes what a crash interrupted: a temporary whose package `booked_sha256` knows (the
// SHA-256 of its "enrolled" book entry, or nullopt) and matches is renamed to its final name;
// every other temporary is removed. No temporary survives.
SpoolRecovery recover_spool(
    const std::filesystem::path& dir,
    const std::function<std::optional<std::string>(const std::string& name)>& booked_sha256);

}  // namespace rekam
