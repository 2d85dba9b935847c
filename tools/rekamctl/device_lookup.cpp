#include "tools/rekamctl/device_lookup.h"

#include <stdexcept>

#include "dbus/names.h"

namespace rekam::ctl {

std::vector<std::string> device_paths(client::Connection& c) {
    auto reply = c.call(bus::kRootPath, bus::kManagerInterface, "GetDevices");
    return client::read_paths(reply.get());
}

std::string device_name(const std::string& path) { return path.substr(path.rfind('/') + 1); }

std::string resolve_device(client::Connection& c, const std::string& name) {
    if (name.starts_with('/')) return name;
    // A kind ("iris") or the name `rekamctl devices` prints (the path's last part, "iris_0").
    for (const auto& path : device_paths(c))
        if (device_name(path) == name) return path;
    for (const auto& path : device_paths(c))
        if (c.properties(path, bus::kDeviceInterface).get_string("Kind") == name) return path;
    throw std::runtime_error("no " + name + " device is connected (see rekamctl devices)");
}

}  // namespace rekam::ctl
