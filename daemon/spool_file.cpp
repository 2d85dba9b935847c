#include "daemon/spool_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "biometrics/package/hash_chain.h"
#include "common/log.h"
#include "common/unique_fd.h"

namespace rekam {

namespace {

[[noreturn]] void fail(const std::string& what, const std::filesystem::path& path) {
    throw std::runtime_error(what + " " + path.string() + ": " + std::strerror(errno));
}

void write_all(int fd, const std::vector<std::uint8_t>& bytes, const std::filesystem::path& path) {
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            fail("cannot write", path);
        }
        done += static_cast<std::size_t>(n);
    }
}

// A whole file, or nullopt when it cannot be read.
std::optional<std::vector<std::uint8_t>> read_whole(const std::filesystem::path& path) {
    UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    if (!fd) return std::nullopt;
    std::vector<std::uint8_t> bytes;
    std::uint8_t buffer[1 << 16];
    for (;;) {
        const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return std::nullopt;
        if (n == 0) return bytes;
        bytes.insert(bytes.end(), buffer, buffer + n);
    }
}

}  // namespace

StagedPackage::StagedPackage(std::filesystem::path dir, std::string name, std::string sha256)
    : dir_(std::move(dir)), name_(std::move(name)), sha256_(std::move(sha256)) {}

StagedPackage::StagedPackage(StagedPackage&& other) noexcept
    : dir_(std::move(other.dir_)),
      name_(std::move(other.name_)),
      sha256_(std::move(other.sha256_)),
      state_(std::exchange(other.state_, State::Moved)) {}

StagedPackage::~StagedPackage() {
    if (state_ == State::Staged) unlink(temporary().c_str());
}

void StagedPackage::commit(bool replace) {
    if (state_ == State::Committed) return;
    UniqueFd dir_fd(open(dir_.c_str(), O_DIRECTORY | O_RDONLY | O_CLOEXEC));
    if (!dir_fd) fail("cannot open the spool directory", dir_);
    // renameat2(RENAME_NOREPLACE): a transaction id is unique; never overwrite a package.
    if (renameat2(dir_fd.get(), temporary_name(name_).c_str(), dir_fd.get(), name_.c_str(),
                  replace ? 0 : RENAME_NOREPLACE) < 0)
        fail("cannot rename into", path());
    state_ = State::Committed;
    // Should this sync fail, a crash leaves the temporary, and recovery renames it again.
    if (fsync(dir_fd.get()) < 0)
        log::warning("cannot fsync the spool directory ", dir_.string(), ": ",
                     std::strerror(errno));
}

std::optional<std::string> StagedPackage::name_of_temporary(const std::string& file) {
    const std::string prefix = ".", suffix = ".partial";
    if (file.size() <= prefix.size() + suffix.size() || !file.starts_with(prefix) ||
        !file.ends_with(suffix))
        return std::nullopt;
    return file.substr(prefix.size(), file.size() - prefix.size() - suffix.size());
}

StagedPackage stage_file(const std::filesystem::path& dir, const std::string& name,
                         const std::vector<std::uint8_t>& bytes, std::string sha256) {
    const std::string temp_name = StagedPackage::temporary_name(name);
    const std::filesystem::path temp_path = dir / temp_name;
    UniqueFd dir_fd(open(dir.c_str(), O_DIRECTORY | O_RDONLY | O_CLOEXEC));
    if (!dir_fd) fail("cannot open the spool directory", dir);
    // O_EXCL: a leftover from a crash is replaced, never appended to.
    unlinkat(dir_fd.get(), temp_name.c_str(), 0);
    UniqueFd fd(openat(dir_fd.get(), temp_name.c_str(),
                       O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (!fd) fail("cannot create", temp_path);
    StagedPackage staged(dir, name, std::move(sha256));  // from here, failing removes it
    write_all(fd.get(), bytes, temp_path);               // ENOSPC lands here
    if (fsync(fd.get()) < 0) fail("cannot fsync", temp_path);
    return staged;
}

void write_file_atomically(const std::filesystem::path& dir, const std::string& name,
                           const std::vector<std::uint8_t>& bytes) {
    stage_file(dir, name, bytes).commit();
}

void replace_file_atomically(const std::filesystem::path& dir, const std::string& name,
                             const std::vector<std::uint8_t>& bytes) {
    stage_file(dir, name, bytes).commit(/*replace=*/true);
}

SpoolRecovery recover_spool(
    const std::filesystem::path& dir,
    const std::function<std::optional<std::string>(const std::string& name)>& booked_sha256) {
    SpoolRecovery done;
    std::vector<std::string> temporaries;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
        if (auto name = StagedPackage::name_of_temporary(entry.path().filename().string()))
            temporaries.push_back(*name);
    std::sort(temporaries.begin(), temporaries.end());
    for (const std::string& name : temporaries) {
        const std::filesystem::path temp = dir / StagedPackage::temporary_name(name);
        const auto booked = booked_sha256(name);
        if (booked && !std::filesystem::exists(dir / name, ec)) {
            const auto bytes = read_whole(temp);
            if (bytes && pkg::to_hex(pkg::sha256(*bytes)) == *booked) {
                StagedPackage staged(dir, name, *booked);
                staged.keep();
                try {
                    staged.commit();
                    done.completed.push_back(name);
                } catch (const std::exception& e) {
                    log::error("cannot complete the booked package ", name, ": ", e.what());
                }
                continue;
            }
        }
        if (std::filesystem::remove(temp, ec)) done.removed.push_back(name);
    }
    return done;
}

}  // namespace rekam
