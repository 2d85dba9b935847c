// Finding a device from the command line: an object path, or a kind ("iris", "face", ...).
#pragma once

#include <string>
#include <vector>

#include "tools/client/connection.h"

namespace rekam::ctl {

std::vector<std::string> device_paths(client::Connection& c);
// `name` as given when it is an object path, else the first device of that kind. Throws
// std::runtime_error naming what was looked for.
std::string resolve_device(client::Connection& c, const std::string& name);

}  // namespace rekam::ctl
