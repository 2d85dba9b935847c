// Writes a finished session as a signed enroll package (rekam-enroll/1) into the spool:
// temporary file, fsync, rename, fsync of the directory, so a crash never leaves a half
// package under a final name.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "biometrics/package/cms.h"
#include "daemon/application.h"

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

struct WrittenPackage {
    std::filesystem::path path;
    std::string sha256;
};

class EnrollmentWriter {
  public:
    EnrollmentWriter(std::string station_id, std::filesystem::path spool,
                     pkg::StationSigner signer);
    WrittenPackage write(const EnrollmentData& data);
    const std::filesystem::path& spool() const { return spool_; }

  private:
    std::string station_id_;
    std::filesystem::path spool_;
    pkg::StationSigner signer_;
};

// Write `bytes` to `dir/name` atomically (O_TMPFILE or a dot-file, fsync, rename/link,
// directory fsync). Throws std::runtime_error with the path and errno text.
void write_file_atomically(const std::filesystem::path& dir, const std::string& name,
                           const std::vector<std::uint8_t>& bytes);

// Remove the temporary files a crash left in the spool (".<name>.partial"); returns how many.
std::size_t remove_stale_partials(const std::filesystem::path& dir);

}  // namespace rekam
