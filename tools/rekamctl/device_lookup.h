// Finding a device from the command line: an object path, a device name as `rekamctl devices`
// prints it ("iris_0"), or a kind ("iris", "face", ...).
#pragma once

#include <string>
#include <vector>

#include "tools/client/connection.h"

namespace rekam::ctl {

std::vector<std::string> device_paths(client::Connection& c);
// The name `rekamctl devices` prints for a device: its object path's last part ("iris_0").
std::string device_name(const std::string& path);
// `name` as given when it is an object path, else the device of that name, else the first one of
// that kind. Throws
// std::runtime_error naming what was looked for.
std::string resolve_device(client::Connection& c, const std::string& name);

}  // namespace rekam::ctl
