// libFuzzer target: rekamd.conf parsing must give a Config or throw ConfigError naming the
// origin; no other exception may leave it (the daemon would then die at start-up).
#include <cstdint>
#include <cstdlib>
#include <string>

#include "daemon/config.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        const auto config = rekam::parse_config(text, "fuzz.conf");
        if (config.station_id.empty() || config.state_directory.empty()) std::abort();
    } catch (const rekam::ConfigError& e) {
        if (std::string_view(e.what()).rfind("fuzz.conf:", 0) != 0) std::abort();
    }
    return 0;
}
