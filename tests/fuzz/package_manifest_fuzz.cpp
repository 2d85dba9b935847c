// libFuzzer target: manifest.json parsing must give a Manifest or throw ManifestError, and a
// manifest it accepts must have kept every value: its canonical form holds the same JSON and
// parses back to an equal Manifest.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "biometrics/package/manifest.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace rekam::pkg;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    Manifest m;
    try {
        m = parse_manifest(text);
    } catch (const ManifestError&) {
        return 0;
    }
    std::string canonical;
    try {
        canonical = serialize_manifest(m);
    } catch (const ManifestError&) {
        return 0;  // text that is not UTF-8: never signed, verification says so
    }
    if (parse_manifest(canonical) != m) std::abort();
    // Accepted means understood as written: no value rounded, clamped or replaced.
    if (nlohmann::json::parse(text) != nlohmann::json::parse(canonical)) std::abort();
    return 0;
}
