// status, devices, fault: the device side of rekamctl (diagnose has its own file).
#include <iostream>

#include "dbus/names.h"
#include "tools/client/connection.h"
#include "tools/rekamctl/commands.h"
#include "tools/rekamctl/device_lookup.h"
#include "tools/rekamctl/output.h"

namespace rekam::ctl {
namespace {

const char* kDeviceColumns[] = {"Kind",  "Name",     "Driver", "Serial",
                                "UsbId", "UsbSpeed", "Status", "Holder"};

}  // namespace

int cmd_devices(const Global& g) {
    client::Connection c(g.bus_address);
    nlohmann::json list = nlohmann::json::array();
    std::vector<std::vector<std::string>> rows;
    for (const auto& path : device_paths(c)) {
        const auto props = c.properties(path, bus::kDeviceInterface);
        nlohmann::json j = properties_json(props.entries());
        j["device"] = device_name(path);
        j["path"] = path;
        list.push_back(j);
        std::vector<std::string> row{device_name(path)};
        for (const char* col : kDeviceColumns) {
            std::string cell;
            for (const auto& [k, v] : props.entries())
                if (k == col) cell = value_text(v);
            row.push_back(cell);
        }
        rows.push_back(std::move(row));
    }
    if (g.json) {
        std::cout << list.dump(2) << "\n";
    } else {
        std::vector<std::string> header{"DEVICE"};
        for (const char* col : kDeviceColumns) header.emplace_back(col);
        for (auto& h : header)
            for (auto& ch : h) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        print_table(header, rows);
    }
    return kOk;
}

int cmd_status(const Global& g) {
    client::Connection c(g.bus_address);
    const auto manager = c.properties(bus::kRootPath, bus::kManagerInterface);
    const auto devices = device_paths(c);
    auto sessions_reply = c.call(bus::kRootPath, bus::kManagerInterface, "GetSessions");
    const auto sessions = client::read_paths(sessions_reply.get());
    if (g.json) {
        nlohmann::json j = properties_json(manager.entries());
        j["devices"] = devices;
        j["sessions"] = sessions;
        std::cout << j.dump(2) << "\n";
        return kOk;
    }
    std::cout << "rekamd " << manager.get_string("Version") << ", station "
              << manager.get_string("StationId") << "\n"
              << "spool:     " << manager.get_string("SpoolDirectory") << "\n"
              << "devices:   " << devices.size() << "\n"
              << "sessions:  " << sessions.size() << "\n";
    return kOk;
}

int cmd_fault(const Global& g, const std::string& device,
              const std::vector<std::string>& settings) {
    bus::Dict fault;
    for (const auto& s : settings) {
        const auto eq = s.find('=');
        if (eq == std::string::npos) {
            std::cerr << "rekamctl: fault settings are KEY=VALUE, got \"" << s << "\"\n";
            return kUsage;
        }
        const std::string key = s.substr(0, eq), value = s.substr(eq + 1);
        if (value == "true" || value == "false")
            fault.emplace_back(key, bus::boolean(value == "true"));
        else if (!value.empty() && value.find_first_not_of("0123456789") == std::string::npos)
            fault.emplace_back(key, bus::u32(static_cast<std::uint32_t>(std::stoul(value))));
        else
            fault.emplace_back(key, bus::str(value));
    }
    client::Connection c(g.bus_address);
    // rekamd takes a kind or an object path; the name `devices` prints becomes the path.
    std::string target = device;
    for (const auto& path : device_paths(c))
        if (device_name(path) == device) target = path;
    c.call(bus::kRootPath, bus::kDiagnosticsInterface, "InjectFault", [&](sd_bus_message* m) {
        sd_bus_message_append(m, "s", target.c_str());
        bus::append_dict(m, fault);
    });
    if (!g.json) std::cout << "fault applied to " << device << "\n";
    return kOk;
}

}  // namespace rekam::ctl
