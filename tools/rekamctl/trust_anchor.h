// The trust anchor a signature must chain to, for `verify` (packages) and `book --verify`
// (checkpoints): --ca, else [Station] CAFile= of rekamd.conf.
#pragma once

#include <optional>
#include <string>

namespace rekam::ctl {

struct Anchor {
    std::string file;
    std::string origin;  // "--ca" or "<conf> [Station] CAFile="
};

// `config_must_exist`: a file named with --config must exist; the default may be absent (all
// defaults, no anchor). A malformed file is an error, as it is for rekamd.
std::optional<Anchor> find_anchor(const std::string& ca_file, const std::string& config,
                                  bool config_must_exist);

}  // namespace rekam::ctl
