#include "tools/rekamctl/trust_anchor.h"

#include "daemon/config.h"

namespace rekam::ctl {

std::optional<Anchor> find_anchor(const std::string& ca_file, const std::string& config,
                                  bool config_must_exist) {
    if (!ca_file.empty()) return Anchor{ca_file, "--ca"};
    const Config loaded = load_config(config, config_must_exist);
    if (loaded.ca_file.empty()) return std::nullopt;
    return Anchor{loaded.ca_file.string(), config + " [Station] CAFile="};
}

}  // namespace rekam::ctl
