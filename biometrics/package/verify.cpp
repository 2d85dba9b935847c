#include "biometrics/package/verify.h"

#include <algorithm>
#include <set>

#include "biometrics/package/cms.h"
#include "biometrics/package/hash_chain.h"
#include "biometrics/package/package.h"
#include "biometrics/package/seal_check.h"
#include "biometrics/package/signature_check.h"
#include "biometrics/package/tar_io.h"
#include "biometrics/records/codec.h"
#include "biometrics/records/face_image_record.h"
#include "biometrics/records/finger_image_record.h"
#include "biometrics/records/finger_minutiae_card.h"
#include "biometrics/records/finger_minutiae_record.h"
#include "biometrics/records/iris_image_record.h"
#include "biometrics/records/record_error.h"
#include "biometrics/records/record_image.h"
#include "biometrics/records/signature_record.h"

namespace rekam::pkg {

bool VerifyReport::has(const std::string& code) const {
    return std::any_of(problems.begin(), problems.end(),
                       [&](const Problem& p) { return p.code == code; });
}

namespace {

// A plain file name directly under `dir` ("samples/", "card/").
bool safe_name_in(const std::string& name, std::string_view dir) {
    if (name.rfind(dir, 0) != 0 || name.size() <= dir.size()) return false;
    const auto rest = name.substr(dir.size());
    return rest.find('/') == std::string::npos && rest.find('\\') == std::string::npos &&
           rest != "." && rest != ".." && rest.find('\0') == std::string::npos;
}

void check_record(const Sample& s, std::span<const std::uint8_t> b, VerifyReport& report) {
    try {
        // Every image is decoded by the codec its header names (PNG, WSQ, JPEG, JPEG 2000):
        // a record whose header and image disagree fails as surely as a broken header.
        const auto images = [](const auto& record) {
            for (const auto& rep : record.representations) bio::decode_record_image(rep);
        };
        if (s.record_format == kFingerImageFormat)
            images(bio::decode_finger_image_record(b));
        else if (s.record_format == kIrisImageFormat)
            images(bio::decode_iris_image_record(b));
        else if (s.record_format == kFaceImageFormat)
            images(bio::decode_face_image_record(b));
        else if (s.record_format == kFingerMinutiaeFormat)
            bio::decode_finger_minutiae_record(b);
        else if (s.record_format == kSignatureFormat)
            bio::decode_signature_record(b);
        else if (s.record_format == kSignatureImageFormat)
            bio::decode_png(b);
        else
            report.problems.push_back(
                {"record-format-unknown",
                 s.file + ": unknown record format \"" + s.record_format + "\""});
    } catch (const bio::RecordError& e) {
        report.problems.push_back({"record-invalid", s.file + ": " + e.what()});
    }
}

void check_entry_names(const std::vector<TarEntry>& entries, VerifyReport& report) {
    std::set<std::string> seen;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const auto& e = entries[i];
        if (!seen.insert(e.name).second)
            report.problems.push_back({"entry-duplicate", "\"" + e.name + "\" appears twice"});
        if (!e.regular_file)
            report.problems.push_back({"entry-unexpected", "\"" + e.name + "\" is not a file"});
        if (e.name != kManifestName && e.name != kSignatureName &&
            !safe_name_in(e.name, kSamplesDir) && !safe_name_in(e.name, kCardDir))
            report.problems.push_back({"entry-unsafe-name", "entry \"" + e.name +
                                                                "\" is outside samples/ and "
                                                                "card/ or not a plain name"});
    }
}

// The expected entries are manifest.json, manifest.json.p7s, then each sample's file in
// manifest order, then each card part's file.
void check_entry_set(const std::vector<TarEntry>& entries, const Manifest& m,
                     VerifyReport& report) {
    std::vector<std::string> expected{std::string(kManifestName), std::string(kSignatureName)};
    for (const auto& s : m.samples) expected.push_back(s.file);
    if (m.card)
        for (const auto& p : m.card->parts)
            if (!p.file.empty()) expected.push_back(p.file);
    std::vector<std::string> actual;
    for (const auto& e : entries) actual.push_back(e.name);
    const std::multiset<std::string> want(expected.begin(), expected.end());
    const std::multiset<std::string> have(actual.begin(), actual.end());
    for (const auto& name : want)
        if (!have.count(name))
            report.problems.push_back({"entry-missing", "\"" + name + "\" is not in the package"});
    for (const auto& name : have)
        if (!want.count(name))
            report.problems.push_back(
                {"entry-unexpected", "\"" + name + "\" is not listed in the manifest"});
    if (want == have && expected != actual)
        report.problems.push_back(
            {"entry-order",
             "entries are not in manifest order (manifest, signature, samples, card)"});
}

void check_samples(const std::vector<TarEntry>& entries, const Manifest& m, VerifyReport& report) {
    const auto find = [&](const std::string& name) -> const TarEntry* {
        for (const auto& e : entries)
            if (e.name == name) return &e;
        return nullptr;
    };
    if (m.chain.algorithm != kChainAlgorithm)
        report.problems.push_back(
            {"chain-mismatch", "unknown chain algorithm \"" + m.chain.algorithm + "\""});
    if (m.chain.initial != HashChain::initial_hex())
        report.problems.push_back({"chain-mismatch", "chain.initial is not SHA-256(\"\")"});
    HashChain chain;
    bool chain_complete = true;
    for (const auto& s : m.samples) {
        const TarEntry* e = find(s.file);
        if (!e) {
            chain_complete = false;
            continue;  // already reported as entry-missing
        }
        if (to_hex(sha256(e->data)) != s.sha256)
            report.problems.push_back(
                {"sample-hash-mismatch", s.file + ": SHA-256 differs from the manifest"});
        if (to_hex(chain.append(e->data)) != s.chain_hash)
            report.problems.push_back(
                {"chain-mismatch", s.position + ": chain_hash does not recompute"});
        check_record(s, e->data, report);
    }
    if (chain_complete && chain.head_hex() != m.chain.head)
        report.problems.push_back({"chain-head-mismatch", "chain.head does not recompute"});
}

// The portrait decodes as JPEG 2000 (RecordError otherwise).
void check_card_portrait(std::span<const std::uint8_t> jp2) { bio::decode_jp2(jp2); }

// The chip's content: every part as its manifest entry says, each decodable, and the whole
// within the chip's budget.
void check_card(const std::vector<TarEntry>& entries, const CardInfo& card, VerifyReport& report) {
    if (card.profile != kCardProfile)
        report.problems.push_back(
            {"card-invalid", "unknown card profile \"" + card.profile + "\""});
    long total = card.reserved;
    for (const auto& p : card.parts) {
        total += p.bytes;
        if (p.file.empty()) {
            if (p.bytes != 0 || !p.sha256.empty())
                report.problems.push_back(
                    {"card-invalid", p.part + ": an empty slot with bytes or a hash"});
            continue;
        }
        const auto e = std::find_if(entries.begin(), entries.end(),
                                    [&](const TarEntry& t) { return t.name == p.file; });
        if (e == entries.end()) continue;  // already reported as entry-missing
        if (static_cast<long>(e->data.size()) != p.bytes || to_hex(sha256(e->data)) != p.sha256) {
            report.problems.push_back(
                {"card-hash-mismatch", p.file + ": size or SHA-256 differs from the manifest"});
            continue;
        }
        try {
            if (p.format == kCompactCardFormat)
                bio::decode_compact_card(e->data, 500, card.max_minutiae);
            else if (p.format == kCardPortraitFormat)
                check_card_portrait(e->data);
            else if (p.format == kCardSignatureFormat)
                bio::decode_png(e->data);
            else
                report.problems.push_back(
                    {"card-invalid", p.file + ": unknown format \"" + p.format + "\""});
        } catch (const bio::RecordError& err) {
            report.problems.push_back({"card-invalid", p.file + ": " + err.what()});
        }
    }
    if (total != card.total)
        report.problems.push_back({"card-invalid", "card.total " + std::to_string(card.total) +
                                                       " is not the sum of its parts, " +
                                                       std::to_string(total)});
    if (card.total > card.budget)
        report.problems.push_back(
            {"card-over-budget", "the card holds " + std::to_string(card.total) +
                                     " bytes, over the chip's " + std::to_string(card.budget)});
}

// A signed package (rekam-enroll/1): everything but the trust anchors, which the caller loads.
void verify_signed(std::span<const std::uint8_t> tar, STACK_OF(X509) * anchors,
                   VerifyReport& report) {
    std::vector<TarEntry> entries;
    try {
        entries = read_tar(tar);
    } catch (const PackageError& e) {
        report.problems.push_back({"tar-unreadable", e.what()});
        return;
    }
    check_entry_names(entries, report);

    const TarEntry* manifest_entry = nullptr;
    const TarEntry* signature_entry = nullptr;
    for (const auto& e : entries) {
        if (e.name == kManifestName && !manifest_entry) manifest_entry = &e;
        if (e.name == kSignatureName && !signature_entry) signature_entry = &e;
    }
    if (!manifest_entry) {
        report.problems.push_back({"entry-missing", "manifest.json is not in the package"});
        return;
    }
    const std::string manifest_text(manifest_entry->data.begin(), manifest_entry->data.end());
    if (signature_entry)
        check_signature(signature_entry->data, manifest_entry->data, anchors, report);
    else
        report.problems.push_back({"signature-missing", "manifest.json.p7s is not in the package"});

    try {
        report.manifest = parse_manifest(manifest_text);
    } catch (const ManifestError& e) {
        report.problems.push_back({"manifest-invalid", e.what()});
        return;
    }
    const Manifest& m = *report.manifest;
    if (m.format != kPackageFormat)
        report.problems.push_back(
            {"manifest-format", "format is \"" + m.format + "\", expected rekam-enroll/1"});
    std::string canonical;
    try {
        canonical = serialize_manifest(m);
    } catch (const ManifestError& e) {
        report.problems.push_back({"manifest-invalid", e.what()});
    }
    if (canonical != manifest_text)
        report.problems.push_back(
            {"manifest-not-canonical", "manifest.json is not in canonical form"});
    check_entry_set(entries, m, report);
    check_samples(entries, m, report);
    if (m.card) check_card(entries, *m.card, report);

    // Tar structure: libarchive forgives checksum-neutral damage, padding and trailing
    // garbage. Our writer is deterministic, so rebuilding the tar from the entries must give
    // back exactly the input; any other byte anywhere in the container is a problem.
    const auto finalized = parse_utc(m.finalized_at);
    if (!finalized) {
        report.problems.push_back(
            {"manifest-invalid", "finalized_at \"" + m.finalized_at + "\" is not a UTC time"});
    } else {
        std::vector<std::uint8_t> rebuilt;
        try {
            rebuilt = write_tar(entries, std::chrono::system_clock::to_time_t(*finalized));
        } catch (const PackageError& e) {
            report.problems.push_back({"tar-not-canonical", e.what()});
        }
        if (!rebuilt.empty() &&
            !std::equal(tar.begin(), tar.end(), rebuilt.begin(), rebuilt.end())) {
            const auto diff = std::mismatch(tar.begin(), tar.end(), rebuilt.begin(), rebuilt.end());
            report.problems.push_back(
                {"tar-not-canonical", "tar layout differs from the canonical writer at byte " +
                                          std::to_string(diff.first - tar.begin()) +
                                          " (headers, padding, "
                                          "end-of-archive blocks or trailing data)"});
        }
    }
}

}  // namespace

VerifyReport verify_package(std::span<const std::uint8_t> bytes, const VerifyOptions& options) {
    VerifyReport report;
    auto anchors = load_anchors(options, report);
    if (!is_sealed_package(bytes)) {
        verify_signed(bytes, anchors.get(), report);
        return report;
    }
    std::optional<OpenedContent> opened = check_sealed(bytes, options, anchors.get(), report);
    if (!opened) return report;
    VerifyReport inner;
    verify_signed(opened->bytes(), anchors.get(), inner);
    merge_opened(std::move(inner), report);
    return report;
}

}  // namespace rekam::pkg
