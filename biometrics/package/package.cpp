#include "biometrics/package/package.h"

#include "biometrics/package/hash_chain.h"

namespace rekam::pkg {

namespace {

std::span<const std::uint8_t> as_bytes(const std::string& s) {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

}  // namespace

std::string sample_path(std::string_view position, std::string_view record_format) {
    std::string ext = "bin";
    if (record_format == kFingerImageFormat) ext = "fir";
    if (record_format == kFingerMinutiaeFormat) ext = "fmr";
    if (record_format == kFaceImageFormat) ext = "fac";
    if (record_format == kIrisImageFormat) ext = "iir";
    if (record_format == kSignatureFormat) ext = "sig";
    if (record_format == kSignatureImageFormat) ext = "png";
    return std::string(kSamplesDir) + std::string(position) + "." + ext;
}

void seal_manifest(Manifest& manifest, const std::vector<SampleFile>& files) {
    if (files.size() != manifest.samples.size())
        throw PackageError("seal_manifest: " + std::to_string(files.size()) + " files for " +
                           std::to_string(manifest.samples.size()) + " samples");
    HashChain chain;
    manifest.chain.algorithm = std::string(kChainAlgorithm);
    manifest.chain.initial = HashChain::initial_hex();
    for (std::size_t i = 0; i < files.size(); ++i) {
        auto& s = manifest.samples[i];
        if (s.file.empty()) s.file = files[i].path;
        s.sha256 = to_hex(sha256(files[i].bytes));
        s.chain_hash = to_hex(chain.append(files[i].bytes));
    }
    manifest.chain.head = chain.head_hex();
}

void seal_card(CardInfo& card, const std::vector<SampleFile>& files) {
    std::size_t next = 0;
    card.total = card.reserved;
    for (auto& part : card.parts) {
        if (part.file.empty()) {
            part.bytes = 0;
            part.sha256.clear();
            continue;
        }
        if (next == files.size() || files[next].path != part.file)
            throw PackageError("seal_card: no file for card part " + part.part);
        part.bytes = static_cast<int>(files[next].bytes.size());
        part.sha256 = to_hex(sha256(files[next].bytes));
        card.total += part.bytes;
        ++next;
    }
    if (next != files.size()) throw PackageError("seal_card: more files than card parts");
}

namespace {

void check_card(const CardInfo& card, const std::vector<SampleFile>& files) {
    std::size_t next = 0;
    int total = card.reserved;
    for (const auto& part : card.parts) {
        if (part.file.empty()) continue;
        if (next == files.size() || files[next].path != part.file ||
            part.file.rfind(kCardDir, 0) != 0 || part.file.find("..") != std::string::npos ||
            part.file.size() > 99)
            throw PackageError("build_package: card part " + part.part + " has no file \"" +
                               part.file + "\" or an unsafe one");
        const auto& bytes = files[next++].bytes;
        if (static_cast<int>(bytes.size()) != part.bytes || to_hex(sha256(bytes)) != part.sha256)
            throw PackageError("build_package: card part " + part.part + " differs from its file");
        total += part.bytes;
    }
    if (next != files.size()) throw PackageError("build_package: card files without a part");
    if (total != card.total)
        throw PackageError("build_package: the card's total is not the sum of its parts");
    if (card.total > card.budget)
        throw PackageError("build_package: the card holds " + std::to_string(card.total) +
                           " bytes, over its budget of " + std::to_string(card.budget));
}

}  // namespace

std::vector<std::uint8_t> build_package(const Manifest& manifest,
                                        const std::vector<SampleFile>& files,
                                        const StationSigner& signer,
                                        const std::vector<SampleFile>& card_files) {
    if (manifest.format != kPackageFormat)
        throw PackageError("build_package: manifest format is \"" + manifest.format + "\"");
    const auto finalized = parse_utc(manifest.finalized_at);
    if (!finalized)
        throw PackageError("build_package: finalized_at \"" + manifest.finalized_at +
                           "\" is not an ISO 8601 UTC time");
    if (files.size() != manifest.samples.size())
        throw PackageError("build_package: " + std::to_string(files.size()) + " files for " +
                           std::to_string(manifest.samples.size()) + " samples");
    // Building what verification would reject helps nobody: check the same invariants here.
    HashChain chain;
    if (manifest.chain.algorithm != kChainAlgorithm ||
        manifest.chain.initial != HashChain::initial_hex())
        throw PackageError("build_package: chain algorithm or initial value is wrong");
    for (std::size_t i = 0; i < files.size(); ++i) {
        const auto& s = manifest.samples[i];
        const auto& f = files[i];
        if (f.path != s.file || f.path.rfind(kSamplesDir, 0) != 0 ||
            f.path.find("..") != std::string::npos || f.path.size() > 99)
            throw PackageError("build_package: sample " + std::to_string(i) + " path \"" + f.path +
                               "\" does not match \"" + s.file + "\" or is unsafe");
        if (to_hex(sha256(f.bytes)) != s.sha256)
            throw PackageError("build_package: sha256 of " + f.path + " does not match");
        if (to_hex(chain.append(f.bytes)) != s.chain_hash)
            throw PackageError("build_package: chain_hash of " + f.path + " does not match");
        for (std::size_t k = 0; k < i; ++k)
            if (files[k].path == f.path)
                throw PackageError("build_package: duplicate sample path " + f.path);
    }
    if (chain.head_hex() != manifest.chain.head)
        throw PackageError("build_package: chain head does not match the samples");
    if (manifest.card)
        check_card(*manifest.card, card_files);
    else if (!card_files.empty())
        throw PackageError("build_package: card files without a card in the manifest");

    const std::string json = serialize_manifest(manifest);
    std::vector<TarEntry> entries;
    entries.push_back({std::string(kManifestName), {json.begin(), json.end()}, true});
    entries.push_back({std::string(kSignatureName), signer.sign_detached(as_bytes(json)), true});
    for (const auto& f : files) entries.push_back({f.path, f.bytes, true});
    for (const auto& f : card_files) entries.push_back({f.path, f.bytes, true});
    return write_tar(entries, std::chrono::system_clock::to_time_t(*finalized));
}

PackageContent read_package(std::span<const std::uint8_t> tar) {
    PackageContent content;
    bool have_manifest = false;
    for (auto& e : read_tar(tar)) {
        if (e.name == kManifestName) {
            content.manifest = parse_manifest(
                std::string_view(reinterpret_cast<const char*>(e.data.data()), e.data.size()));
            have_manifest = true;
        }
        content.files.emplace_back(std::move(e.name), std::move(e.data));
    }
    if (!have_manifest) throw PackageError("package has no manifest.json");
    return content;
}

}  // namespace rekam::pkg
