#include "daemon/enrollment_writer.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "biometrics/package/hash_chain.h"
#include "biometrics/package/manifest.h"
#include "biometrics/package/package.h"
#include "biometrics/records/finger_minutiae_record.h"
#include "common/log.h"
#include "common/unique_fd.h"
#include "daemon/card_profile.h"
#include "daemon/session.h"

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

void StagedPackage::commit() {
    if (state_ == State::Committed) return;
    UniqueFd dir_fd(open(dir_.c_str(), O_DIRECTORY | O_RDONLY | O_CLOEXEC));
    if (!dir_fd) fail("cannot open the spool directory", dir_);
    // renameat2(RENAME_NOREPLACE): a transaction id is unique; never overwrite a package.
    if (renameat2(dir_fd.get(), temporary_name(name_).c_str(), dir_fd.get(), name_.c_str(),
                  RENAME_NOREPLACE) < 0)
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

namespace {

// The e-KTP chip holds the minutiae of both index fingers: one ISO/IEC 19794-2 record with a
// view per finger, ready for the card personalisation (an excepted index finger is left out).
void add_chip_template(const EnrollmentData& data, pkg::Manifest& manifest,
                       std::vector<pkg::SampleFile>& files) {
    std::vector<bio::FingerMinutiaeView> views;
    const Sample* first = nullptr;
    int lowest = 100;
    for (const Sample* s : data.samples) {
        if (!s->minutiae ||
            (s->position->name != "right-index" && s->position->name != "left-index"))
            continue;
        views.push_back(
            bio::make_minutiae_view(*s->minutiae, s->position->iso_code, s->quality.score));
        lowest = std::min(lowest, s->quality.score);
        if (!first) first = s;
    }
    if (!first) return;
    // Views in ISO finger order (right index 2, left index 7), whatever the capture order.
    std::sort(views.begin(), views.end(),
              [](const auto& a, const auto& b) { return a.finger_position < b.finger_position; });
    pkg::Sample entry;
    entry.position = "chip-template";
    entry.record_format = pkg::kFingerMinutiaeFormat;
    entry.file = pkg::sample_path(entry.position, entry.record_format);
    entry.media_type = "application/octet-stream";
    entry.quality.score = lowest;
    entry.quality.algorithm = first->quality.algorithm;
    entry.device = pkg::DeviceInfo{first->device.driver, first->device.vendor, first->device.model,
                                   first->device.serial, first->device.usb_id};
    entry.attempts = 1;
    entry.captured_at = manifest.finalized_at;
    files.push_back(pkg::SampleFile{
        entry.file, bio::encode(bio::make_minutiae_record(*first->minutiae, std::move(views)))});
    manifest.samples.push_back(std::move(entry));
}

}  // namespace

EnrollmentWriter::EnrollmentWriter(std::string station_id, std::filesystem::path spool,
                                   pkg::StationSigner signer, CardConfig card,
                                   std::optional<pkg::SealRecipients> recipients)
    : station_id_(std::move(station_id)),
      spool_(std::move(spool)),
      signer_(std::move(signer)),
      card_(card),
      recipients_(std::move(recipients)) {}

StagedPackage EnrollmentWriter::stage(const EnrollmentData& data) {
    pkg::Manifest manifest;
    manifest.transaction_id = data.transaction_id;
    manifest.station_id = station_id_;
    manifest.operator_id = data.application.operator_id;
    manifest.created_at = pkg::format_utc(data.created);
    manifest.finalized_at = pkg::format_utc(std::chrono::system_clock::now());
    manifest.application =
        pkg::Application{data.application.nik, data.application.kk, data.application.documents};
    std::vector<pkg::SampleFile> files;
    // One manifest entry per record: a finger gives its image and its minutiae template, both
    // with the capture's quality and device, each in the hash chain.
    for (const Sample* s : data.samples)
        for (const SampleRecord& record : s->records) {
            pkg::Sample entry;
            entry.position = std::string(s->position->name);
            entry.record_format = std::string(record.format);
            entry.file = pkg::sample_path(entry.position, entry.record_format);
            entry.media_type = "application/octet-stream";
            entry.quality.score = s->quality.score;
            entry.quality.algorithm = s->quality.algorithm;
            for (const auto& [k, v] : s->quality.measures) entry.quality.measures[k] = v;
            entry.quality.feedback = s->quality.feedback;
            entry.device = pkg::DeviceInfo{s->device.driver, s->device.vendor, s->device.model,
                                           s->device.serial, s->device.usb_id};
            entry.attempts = static_cast<int>(s->attempts);
            entry.forced = s->forced;
            entry.captured_at = pkg::format_utc(s->captured);
            files.push_back(pkg::SampleFile{entry.file, record.bytes});
            manifest.samples.push_back(std::move(entry));
        }
    add_chip_template(data, manifest, files);
    for (const auto& [position, mark] : data.exceptions) {
        pkg::ExceptionEntry e;
        e.position = position;
        e.reason = mark.reason;
        if (!mark.note.empty()) e.details["note"] = mark.note;
        manifest.exceptions.push_back(std::move(e));
    }
    pkg::seal_manifest(manifest, files);
    CardContent card = make_card(data.samples, card_);
    manifest.card = std::move(card.info);
    std::vector<std::uint8_t> tar = pkg::build_package(manifest, files, signer_, card.files);
    if (recipients_) {
        std::vector<std::uint8_t> sealed = pkg::seal_package(tar, manifest, *recipients_, signer_);
        // The clear package goes: only the sealed one reaches the disk.
        OPENSSL_cleanse(tar.data(), tar.size());
        tar = std::move(sealed);
    }
    return stage_file(spool_, data.transaction_id + ".rekam", tar, pkg::to_hex(pkg::sha256(tar)));
}

}  // namespace rekam
