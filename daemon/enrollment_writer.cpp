#include "daemon/enrollment_writer.h"

#include <openssl/crypto.h>

#include <algorithm>

#include "biometrics/package/hash_chain.h"
#include "biometrics/package/manifest.h"
#include "biometrics/package/package.h"
#include "biometrics/records/finger_minutiae_record.h"
#include "daemon/card_profile.h"
#include "daemon/session.h"

namespace rekam {
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

namespace {

std::string certificate_warning(const pkg::StationSigner& signer, std::time_t now) {
    const long long left = signer.seconds_until_expiry(now);
    if (left < 0 || left >= std::int64_t{kExpiryWarningDays} * 86400) return {};
    return "the station certificate (" + signer.subject() + ") expires in " +
           std::to_string(left / 86400) + " day(s): have Dukcapil's CA issue a new one";
}

void check_certificate(const pkg::StationSigner& signer, std::time_t now) {
    if (!signer.valid_yet(now))
        throw StationNotReady("the station certificate (" + signer.subject() +
                              ") is not valid yet: is the station's clock right?");
    const long long left = signer.seconds_until_expiry(now);
    if (left < 0)
        throw StationNotReady("the station certificate (" + signer.subject() + ") expired " +
                              std::to_string(-left / 86400) +
                              " day(s) ago: no package can be signed until Dukcapil's CA issues "
                              "a new one ([Station] CertificateFile=)");
}

}  // namespace

EnrollmentWriter::Readiness EnrollmentWriter::readiness(std::time_t now, bool self_signed) const {
    Readiness r;
    try {
        check_certificate(signer_, now);
    } catch (const StationNotReady& e) {
        r.can_sign = false;
        r.warnings.push_back(e.what());
    }
    if (std::string soon = certificate_warning(signer_, now); !soon.empty())
        r.warnings.push_back(std::move(soon));
    if (self_signed)
        r.warnings.push_back(
            "the station signs with a self-signed key: no central system trusts its packages "
            "([Station] KeyFile=, CertificateFile=)");
    if (!recipients_)
        r.warnings.push_back(
            "packages are signed but not encrypted: whoever copies the spool can read their "
            "biometrics ([Package] RecipientCertificate=)");
    return r;
}

StagedPackage EnrollmentWriter::stage(const EnrollmentData& data) {
    check_certificate(signer_, std::time(nullptr));
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
