// Files for the daemon unit tests: a private directory, whole-file reads and writes, and a tiny
// tmpfs to fill up.
#pragma once

#include <gtest/gtest.h>
#include <sys/mount.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "tests/support/temp_dir.h"

namespace rekam::testing {

using rekam::test::TempDir;

inline std::string read_text(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void write_text(const std::filesystem::path& file, const std::string& text) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << text;
}

// A tiny tmpfs mounted on a fresh directory, to make a disk fill up. Needs CAP_SYS_ADMIN;
// `error()` says why the mount failed (the test then skips).
class TinyTmpfs {
  public:
    explicit TinyTmpfs(const char* size = "64k") {
        if (::mount("tmpfs", dir_.path().c_str(), "tmpfs", MS_NOSUID | MS_NODEV,
                    (std::string("size=") + size + ",mode=0700").c_str()) == 0)
            mounted_ = true;
        else
            error_ = std::string("mount -t tmpfs failed: ") + std::strerror(errno);
    }
    ~TinyTmpfs() {
        if (mounted_) ::umount2(dir_.path().c_str(), MNT_DETACH);
    }
    TinyTmpfs(const TinyTmpfs&) = delete;
    TinyTmpfs& operator=(const TinyTmpfs&) = delete;

    bool mounted() const { return mounted_; }
    const std::string& error() const { return error_; }
    const std::filesystem::path& path() const { return dir_.path(); }

  private:
    TempDir dir_;
    bool mounted_ = false;
    std::string error_;
};

}  // namespace rekam::testing
