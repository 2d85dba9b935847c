// Writes the binary seeds of tests/fuzz/corpus/ with the project's own writers, so every layer
// of a seed is valid and the fuzzers start past the tar, JSON and CMS checks:
//   rekam_fuzz_make_seeds tests/fuzz/corpus
// The seeds are committed (ECDSA signatures are random, so a rerun changes their bytes); run
// this again when the package format changes and rekam_fuzz_seeds_test says they no longer
// verify. Text seeds (config/) are written by hand.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "biometrics/package/cms.h"
#include "biometrics/package/package.h"
#include "biometrics/records/builders.h"
#include "biometrics/records/codec.h"
#include "biometrics/records/finger_minutiae_record.h"
#include "biometrics/records/jp2_boxes.h"
#include "biometrics/records/signature_record.h"
#include "biometrics/records/wsq_codec.h"
#include "dbus/preview_frame.h"
#include "fixtures.h"
#include "seed_layout.h"

namespace fs = std::filesystem;
using namespace rekam;

namespace {

std::vector<std::uint8_t> bytes_of(const std::string& text) { return {text.begin(), text.end()}; }

void put(const fs::path& dir, const std::string& name, const std::vector<std::uint8_t>& bytes) {
    fs::create_directories(dir);
    testing::write_file(dir / name, bytes);
}

std::vector<std::uint8_t> preview_frame(std::uint64_t sequence, std::int16_t score,
                                        const std::vector<std::string>& feedback,
                                        std::uint32_t width, std::uint32_t height) {
    const std::string joined = bus::preview::join_feedback(feedback);
    bus::preview::FrameHeader h;
    h.sequence = sequence;
    h.timestamp_usec = 1'000'000 + sequence * 33'000;
    h.fourcc = 0x59455247;  // GREY
    h.width = width;
    h.height = height;
    h.stride = width;
    h.payload_size = width * height;
    h.feedback_size = static_cast<std::uint16_t>(joined.size());
    h.score = score;
    h.score_timestamp_usec = score == bus::preview::kNoScore ? 0 : h.timestamp_usec;
    std::vector<std::uint8_t> out(bus::preview::kHeaderSize);
    bus::preview::encode(h, out.data());
    out.insert(out.end(), joined.begin(), joined.end());
    for (std::uint32_t i = 0; i < h.payload_size; ++i) out.push_back(static_cast<std::uint8_t>(i));
    return out;
}

// A tiny print-like image for the WSQ seeds: ridges 9 pixels apart, turning slowly.
bio::Image ridges(int width, int height) {
    bio::Image img = bio::Image::grey(width, height, 500);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x) {
            const double angle = 0.6 + 0.02 * (x + y);
            const double phase = (x * std::cos(angle) + y * std::sin(angle)) * 2 * M_PI / 9.0;
            img.at(x, y) = static_cast<std::uint8_t>(std::lround(128 + 90 * std::sin(phase)));
        }
    return img;
}

// A small gradient with a bright square: smooth and sharp content for every wavelet band.
bio::Image tiny_image(int width, int height, int channels, double ppi) {
    bio::Image img{width, height, channels, ppi,
                   std::vector<std::uint8_t>(static_cast<std::size_t>(width) * height * channels)};
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            for (int c = 0; c < channels; ++c)
                img.at(x, y, c) = static_cast<std::uint8_t>(
                    x > width / 3 && x < width / 2 && y > height / 3 ? 250
                                                                     : x * 20 + y * 9 + c * 60);
    return img;
}

// JPEG 2000 seeds from the project's encoder (tiny, so mutations reach every marker), and
// records carrying JPEG 2000 for the record readers.
void jp2_seeds(const fs::path& corpus) {
    const auto grey = tiny_image(8, 8, 1, 500);
    const auto rgb = tiny_image(7, 5, 3, 0);
    const auto lossless = bio::encode_jp2_lossless(rgb);
    put(corpus / "jp2", "grey-8x8-lossless-500ppi", bio::encode_jp2_lossless(grey));
    put(corpus / "jp2", "rgb-7x5-lossless", lossless);
    const auto j2k = bio::jp2::codestream(lossless);
    put(corpus / "jp2", "rgb-7x5-lossless-codestream", {j2k.begin(), j2k.end()});
    put(corpus / "jp2", "grey-16x12-lossy-ratio-4",
        bio::encode_jp2_lossy(tiny_image(16, 12, 1, 569), bio::Jp2Target::compression_ratio(4)));
    put(corpus / "jp2", "rgb-12x9-lossy-300-bytes",
        bio::encode_jp2_lossy(tiny_image(12, 9, 3, 0), bio::Jp2Target::byte_budget(300)));

    bio::CaptureInfo info;
    info.quality = bio::QualityBlock{60, 0, 1};
    put(corpus / "finger_record", "jp2-lossless",
        bio::encode(bio::make_finger_image_record(grey, 2, info, bio::FingerCodec::jp2_lossless)));
    put(corpus / "iris_record", "jp2-lossy",
        bio::encode(bio::make_iris_image_record(
            tiny_image(16, 12, 1, 0), bio::eye_label::left, info,
            {bio::IrisCodec::jp2_lossy, bio::Jp2Target::compression_ratio(4)})));
    put(corpus / "face_record", "jp2-lossy",
        bio::encode(bio::make_face_image_record(
            tiny_image(12, 16, 3, 0), info, {},
            bio::FaceEncoding{bio::FaceCodec::jp2_lossy, 90, bio::Jp2Target::byte_budget(400)})));
}

}  // namespace

// ISO/IEC 19794-7: a pad with pressure (X Y T F S), one without and with extended data, and
// every channel with every description field, so each reader branch has a valid start.
void signature_seeds(const fs::path& corpus) {
    bio::signature::PenTrace tr;
    tr.device = {{200, 23472}, {200, 13203}, {0, 1023}, 100, 100};
    for (int i = 0; i < 12; ++i)
        tr.samples.push_back({9000 + 40 * i, 6000 + static_cast<std::int32_t>(300 * std::sin(i)),
                              std::int64_t{i} * 10'000, i % 6 == 5 ? 0 : 200 + 50 * i, i % 6 != 5});
    put(corpus / "signature_record", "pen-with-pressure",
        bio::encode(bio::make_signature_record(tr)));
    tr.device.pressure = {0, 0};
    auto flat = bio::make_signature_record(tr);
    flat.extended_data = {0, 1, 0, 5, 42};
    put(corpus / "signature_record", "no-pressure-extended", bio::encode(flat));
    bio::SignatureRecord all;
    all.channels = 0xFFFF;
    for (int bit = 0; bit < 16; ++bit)
        all.descriptions[bit] = {1.5 * (bit + 1), 0, 100, 50, 9, bit % 2 == 0, bit % 3 == 0};
    for (int p = 0; p < 2; ++p)
        for (int bit = 15; bit >= 0; --bit) all.values.push_back(bit == 5 ? p : 10 * p + bit);
    put(corpus / "signature_record", "every-channel", bio::encode(all));
}

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s <tests/fuzz/corpus>\n", argv[0]);
        return 2;
    }
    const fs::path corpus = argv[1];

    // A CA that outlives the repository, a station it issued and a self-signed station.
    const auto ca =
        pkg::make_certificate({"rekam fuzz seed CA", 36500, pkg::KeyType::ec_p256, true});
    const auto station = pkg::make_certificate(
        {"rekam fuzz seed station", 36500, pkg::KeyType::ec_p256, false}, &ca);
    const auto self_signed =
        pkg::make_certificate({"rekam fuzz seed self-signed", 36500, pkg::KeyType::ec_p256, false});
    fs::create_directories(corpus);
    testing::write_file(corpus / fuzz::kSeedCaFile, ca.certificate_pem);
    const auto ca_signer =
        pkg::StationSigner::from_pem(station.key_pem, station.certificate_pem, ca.certificate_pem);
    const auto self_signer =
        pkg::StationSigner::from_pem(self_signed.key_pem, self_signed.certificate_pem);

    const auto small = testing::make_small_package_input();
    auto no_samples = small;
    no_samples.manifest.samples.clear();
    no_samples.files.clear();
    pkg::seal_manifest(no_samples.manifest, no_samples.files);

    const auto by_ca = pkg::build_package(small.manifest, small.files, ca_signer);
    const auto by_self = pkg::build_package(small.manifest, small.files, self_signer);
    const auto empty = pkg::build_package(no_samples.manifest, no_samples.files, ca_signer);
    for (const char* target : {"package_verify", "package_tar"}) {
        put(corpus / target, "small-ca.tar", by_ca);
        put(corpus / target, "small-self-signed.tar", by_self);
        put(corpus / target, "no-samples-ca.tar", empty);
    }

    const auto manifest = pkg::serialize_manifest(small.manifest);
    put(corpus / "package_manifest", "small.json", bytes_of(manifest));
    put(corpus / "package_manifest", "no-samples.json",
        bytes_of(pkg::serialize_manifest(no_samples.manifest)));

    // package_cms reads [2-byte little-endian signature length][signature][content].
    const auto cms_seed = [&](const pkg::StationSigner& signer) {
        const auto content = bytes_of(manifest);
        const auto p7s = signer.sign_detached(content);
        std::vector<std::uint8_t> out{static_cast<std::uint8_t>(p7s.size() & 0xff),
                                      static_cast<std::uint8_t>(p7s.size() >> 8)};
        out.insert(out.end(), p7s.begin(), p7s.end());
        out.insert(out.end(), content.begin(), content.end());
        return out;
    };
    put(corpus / "package_cms", "signed-by-ca", cms_seed(ca_signer));
    put(corpus / "package_cms", "self-signed", cms_seed(self_signer));

    // The records inside the small package, one per ISO reader.
    for (std::size_t i = 0; i < small.manifest.samples.size(); ++i) {
        const auto& format = small.manifest.samples[i].record_format;
        const char* target = format == pkg::kFingerImageFormat ? "finger_record"
                             : format == pkg::kIrisImageFormat ? "iris_record"
                             : format == pkg::kFaceImageFormat ? "face_record"
                                                               : nullptr;
        if (target) put(corpus / target, small.manifest.samples[i].position, small.files[i].bytes);
    }

    bio::FingerMinutiaeRecord minutiae;
    minutiae.width = 400;
    minutiae.height = 500;
    bio::FingerMinutiaeView view{2, 0, 0, 71, {}, {}};
    view.minutiae = {{1, 120, 200, 64, 80}, {2, 250, 310, 200, 55}, {1, 30, 40, 3, 0}};
    minutiae.views = {view, view};
    minutiae.views[1].view_number = 1;
    put(corpus / "finger_minutiae_record", "two-views", bio::encode(minutiae));
    signature_seeds(corpus);

    auto two = preview_frame(1, bus::preview::kNoScore, {}, 4, 2);
    const auto second = preview_frame(2, 73, {"too-dark", "move-closer"}, 4, 2);
    two.insert(two.end(), second.begin(), second.end());
    put(corpus / "preview_frame", "two-frames", two);
    put(corpus / "preview_frame", "feedback-only", preview_frame(9, 100, {"finger-dry"}, 0, 0));

    // WSQ: every block coded (48x40), and an odd size at the higher bit rate.
    put(corpus / "wsq", "ridges-48x40-0.75bpp.wsq", bio::encode_wsq(ridges(48, 40), 0.75));
    put(corpus / "wsq", "ridges-33x17-2.25bpp.wsq", bio::encode_wsq(ridges(33, 17), 2.25));
    jp2_seeds(corpus);
    return 0;
}
