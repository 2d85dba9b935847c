#include "daemon/package_spool.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "biometrics/package/manifest.h"
#include "common/log.h"
#include "common/unique_fd.h"

namespace rekam {
namespace {

constexpr std::string_view kPackageSuffix = ".rekam";

std::string package_of(const std::string& transaction_id) {
    return transaction_id + std::string(kPackageSuffix);
}

}  // namespace

bool is_transaction_id(const std::string& text) {
    if (text.size() != 36) return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    }
    return text[14] == '4';
}

PackageSpool::PackageSpool(std::filesystem::path dir, RegistrationBook& book,
                           std::uint32_t max_age_days)
    : dir_(std::move(dir)), book_(book), max_age_days_(max_age_days) {}

BookEntry PackageSpool::waiting(const std::string& transaction_id) const {
    auto enrolled = book_.spooled(package_of(transaction_id));
    if (!enrolled)
        throw SpoolRefusal(SpoolRefusal::Reason::Unknown,
                           "no package of transaction " + transaction_id +
                               " waits in the spool (never enrolled at this station, or "
                               "already acknowledged or expired)");
    return std::move(*enrolled);
}

std::pair<UniqueFd, std::string> PackageSpool::open(const std::string& transaction_id) const {
    const BookEntry enrolled = waiting(transaction_id);
    const auto path = dir_ / enrolled.package;
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY));
    if (!fd) throw std::runtime_error("cannot open " + path.string() + ": " + std::strerror(errno));
    return {std::move(fd), enrolled.package_sha256};
}

void PackageSpool::acknowledge(const Acknowledgement& ack) {
    const BookEntry enrolled = waiting(ack.transaction_id);
    if (!ack.package_sha256.empty() && ack.package_sha256 != enrolled.package_sha256)
        throw SpoolRefusal(SpoolRefusal::Reason::OtherBytes,
                           "the receipt is for a package with SHA-256 " + ack.package_sha256 +
                               ", but transaction " + ack.transaction_id + " was written with " +
                               enrolled.package_sha256 + "; the package is kept");
    std::string reason = "Adminduk confirmed receipt";
    if (!ack.receipt.empty()) reason += " " + ack.receipt;
    reason += "; acknowledged by " + ack.by;
    release(enrolled, "acknowledged", reason);
    log::info("package ", enrolled.package, " acknowledged by ", ack.by,
              ack.receipt.empty() ? "" : " (receipt " + ack.receipt + ")", "; removed");
}

std::vector<std::string> PackageSpool::expire(std::chrono::system_clock::time_point now) {
    std::vector<std::string> removed;
    if (max_age_days_ == 0) return removed;
    const auto limit = now - std::chrono::hours(24) * max_age_days_;
    for (const BookEntry& enrolled : book_.spooled()) {
        const auto when = pkg::parse_utc(enrolled.time);
        if (!when || *when > limit) continue;
        const std::string reason =
            "not acknowledged within [Spool] MaxAgeDays=" + std::to_string(max_age_days_) +
            " (enrolled " + enrolled.time + "); removed unsent";
        try {
            release(enrolled, "expired", reason);
        } catch (const std::exception& e) {
            log::error("cannot expire the package ", enrolled.package, ": ", e.what());
            continue;
        }
        log::warning("package ", enrolled.package, " (transaction ", enrolled.transaction_id,
                     ", enrolled ", enrolled.time, ") was not acknowledged within ", max_age_days_,
                     " days; removed from the spool unsent");
        removed.push_back(enrolled.package);
    }
    return removed;
}

std::vector<std::string> PackageSpool::finish_releases() {
    std::vector<std::string> removed;
    std::error_code ec;
    for (const auto& file : std::filesystem::directory_iterator(dir_, ec)) {
        const std::string name = file.path().filename().string();
        if (!name.ends_with(kPackageSuffix) || book_.spooled(name)) continue;
        if (!book_.released(name)) continue;  // not ours to judge: left for an administrator
        remove(name);
        removed.push_back(name);
    }
    return removed;
}

// The book first: once the entry is written the package is released, whatever happens next.
void PackageSpool::release(const BookEntry& enrolled, const std::string& outcome,
                           const std::string& reason) {
    BookEntry entry;
    entry.transaction_id = enrolled.transaction_id;
    entry.operator_id = enrolled.operator_id;
    entry.nik = enrolled.nik;
    entry.name = enrolled.name;
    entry.outcome = outcome;
    entry.reason = book_field(reason, kMaxBookFieldBytes);
    entry.package = enrolled.package;
    entry.package_sha256 = enrolled.package_sha256;
    book_.append(std::move(entry));
    remove(enrolled.package);
}

void PackageSpool::remove(const std::string& name) {
    UniqueFd dir(::open(dir_.c_str(), O_DIRECTORY | O_RDONLY | O_CLOEXEC));
    if (!dir || (unlinkat(dir.get(), name.c_str(), 0) < 0 && errno != ENOENT)) {
        // Booked as released: the next start removes it (finish_releases).
        log::error("cannot remove ", (dir_ / name).string(), ": ", std::strerror(errno));
        return;
    }
    if (fsync(dir.get()) < 0)
        log::warning("cannot fsync the spool directory ", dir_.string(), ": ",
                     std::strerror(errno));
}

}  // namespace rekam
