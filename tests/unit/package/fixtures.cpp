#include "fixtures.h"

#include <stdlib.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include "biometrics/records/builders.h"

namespace rekam::testing {

bio::Image synthetic_image(int width, int height, int channels, std::uint32_t seed) {
    bio::Image img{width, height, channels, channels == 1 ? 500.0 : 0.0, {}};
    img.pixels.resize(static_cast<std::size_t>(width) * height * channels);
    std::uint32_t state = seed * 2654435761u + 1;
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            for (int c = 0; c < channels; ++c) {
                state = state * 1664525u + 1013904223u;
                const int base = (x * 255 / width + y * 128 / height + c * 40) % 256;
                const int noise = static_cast<int>(state >> 27) - 16;
                img.at(x, y, c) = static_cast<std::uint8_t>(std::clamp(base + noise, 0, 255));
            }
    return img;
}

TestPki make_test_pki() {
    TestPki pki;
    pki.ca = pkg::make_certificate({"rekam test CA", 30, pkg::KeyType::ec_p256, true});
    pki.station =
        pkg::make_certificate({"station KEC-001", 30, pkg::KeyType::ec_p256, false}, &pki.ca);
    pki.self_signed =
        pkg::make_certificate({"station self-signed", 30, pkg::KeyType::ec_p256, false});
    return pki;
}

namespace {

const char* const kFingers[] = {"right-thumb",  "right-index", "right-middle", "right-ring",
                                "right-little", "left-thumb",  "left-index",   "left-middle",
                                "left-ring",    "left-little"};

bio::CaptureInfo capture_info(int score) {
    bio::CaptureInfo info;
    info.captured = {2024, 5, 1, 10, 20, 30, 0};
    info.device = {2, 0x1234, 7};
    info.quality = bio::QualityBlock{static_cast<std::uint8_t>(score), 0x0101, 1};
    return info;
}

pkg::Sample sample_for(const std::string& position, std::string_view format, int score) {
    pkg::Sample s;
    s.position = position;
    s.file = pkg::sample_path(position, format);
    s.record_format = std::string(format);
    s.media_type = "application/octet-stream";
    s.quality = {score, "rekam-quality/1", {{"contrast", 0.75}, {"sharpness", 61.5}}, {}};
    s.device = {"sim", "rekam", "sim-kit", "SIM-0001", "1d6b:0104"};
    s.attempts = 1;
    s.forced = score < 40;
    s.captured_at = "2024-05-01T10:20:30.000Z";
    return s;
}

pkg::Manifest base_manifest() {
    pkg::Manifest m;
    m.transaction_id = "3f0b8a8e-5a43-4c1d-9b7e-2f4a6c8d0e12";
    m.station_id = "KEC-001";
    m.operator_id = "operator-7";
    m.created_at = "2024-05-01T10:15:00Z";
    m.finalized_at = "2024-05-01T10:25:00Z";
    m.application = {"3174054101900001", "3174050101090001", {"kk-copy", "id-copy", "rt-letter"}};
    return m;
}

}  // namespace

PackageInput make_package_input(const PackageSizes& sizes) {
    PackageInput in;
    in.manifest = base_manifest();
    for (int i = 0; i < sizes.fingers && i < 10; ++i) {
        const auto img = synthetic_image(sizes.finger_w, sizes.finger_h, 1, 100 + i);
        const auto rec = bio::encode(bio::make_finger_image_record(
            img, static_cast<std::uint8_t>(i + 1), capture_info(60 + i)));
        in.manifest.samples.push_back(sample_for(kFingers[i], pkg::kFingerImageFormat, 60 + i));
        in.files.push_back({in.manifest.samples.back().file, rec});
    }
    for (int e = 0; e < sizes.irises && e < 2; ++e) {
        const auto img = synthetic_image(sizes.iris_w, sizes.iris_h, 1, 200 + e);
        const auto rec = bio::encode(bio::make_iris_image_record(
            img, e == 0 ? bio::eye_label::right : bio::eye_label::left, capture_info(80)));
        in.manifest.samples.push_back(
            sample_for(e == 0 ? "right-iris" : "left-iris", pkg::kIrisImageFormat, 80));
        in.files.push_back({in.manifest.samples.back().file, rec});
    }
    if (sizes.face) {
        const auto img = synthetic_image(sizes.face_w, sizes.face_h, 3, 300);
        const auto rec = bio::encode(
            bio::make_face_image_record(img, capture_info(90),
                                        bio::EyeCentres{sizes.face_w * 3 / 8, sizes.face_h / 3,
                                                        sizes.face_w * 5 / 8, sizes.face_h / 3}));
        in.manifest.samples.push_back(sample_for("face", pkg::kFaceImageFormat, 90));
        in.files.push_back({in.manifest.samples.back().file, rec});
    }
    pkg::seal_manifest(in.manifest, in.files);
    return in;
}

PackageInput make_small_package_input() {
    PackageSizes sizes;
    sizes.fingers = 1;
    sizes.finger_w = sizes.finger_h = 8;
    sizes.irises = 1;
    sizes.iris_w = sizes.iris_h = 8;
    sizes.face_w = sizes.face_h = 16;
    auto in = make_package_input(sizes);
    in.manifest.exceptions.push_back(
        {"left-ring", "amputated", nlohmann::json{{"note", "since birth"}}});
    return in;
}

std::string write_file(const std::filesystem::path& path, const std::vector<std::uint8_t>& bytes) {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
    return path.string();
}

std::string write_file(const std::filesystem::path& path, const std::string& text) {
    return write_file(path, std::vector<std::uint8_t>(text.begin(), text.end()));
}

std::vector<std::uint8_t> read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace rekam::testing
