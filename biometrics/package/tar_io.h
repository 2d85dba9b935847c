// The tar layer of the enroll package, through libarchive: a deterministic writer (ustar,
// fixed mtime, uid/gid 0, mode 0644, no padding past the end-of-archive blocks) and a reader
// that returns every entry in order. Internal to biometrics/package.
#pragma once

#include <cstdint>
#include <ctime>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace rekam::pkg {

class PackageError : public std::runtime_error {
  public:
    explicit PackageError(const std::string& what) : std::runtime_error(what) {}
};

struct TarEntry {
    std::string name;
    std::vector<std::uint8_t> data;
    bool regular_file = true;
};

// The same entries and mtime always give the same bytes.
std::vector<std::uint8_t> write_tar(const std::vector<TarEntry>& entries, std::time_t mtime);
// Throws PackageError when libarchive cannot read the archive.
std::vector<TarEntry> read_tar(std::span<const std::uint8_t> tar);

}  // namespace rekam::pkg
