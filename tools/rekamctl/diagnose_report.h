// How `rekamctl diagnose` words its report, once for the terminal and the HTML page.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace rekam::ctl {

// One device of the report as labelled lines: identity, usb, self-test, modes, frame rate,
// capture, and one "problem" line per problem found.
std::vector<std::pair<std::string, std::string>> diagnose_lines(const nlohmann::json& device);

// A self-contained HTML page (no external files: it is mailed or printed): the report's lines
// per device, with `images[i]` (a PNG, may be empty) of device i embedded.
std::string diagnose_html(const nlohmann::json& report,
                          const std::vector<std::vector<std::uint8_t>>& images);

}  // namespace rekam::ctl
