#include "tests/integration/daemon_fixture.h"

#include "dbus/names.h"

namespace rekam::test {

void RekamdTest::start(const DaemonConfig& config, const std::map<std::string, std::string>& env) {
    client_.reset();
    daemon_.reset();
    bus_.reset();
    std::filesystem::create_directories(dir_.path() / "bus");
    bus_ = std::make_unique<PrivateBus>(dir_.path() / "bus");
    daemon_ = std::make_unique<Rekamd>(dir_.path(), bus_->address(), config, env);
    client_ = std::make_unique<client::Connection>(bus_->address());
}

std::string RekamdTest::open_session(const bus::Dict& application) {
    auto reply = client_->call(bus::kRootPath, bus::kManagerInterface, "OpenSession",
                               client::dict_arg(application));
    const char* path = nullptr;
    bus::check(sd_bus_message_read_basic(reply.get(), 'o', &path), "read session path");
    return path;
}

void RekamdTest::fault(const std::string& device, const bus::Dict& fault) {
    client_->call(bus::kRootPath, bus::kDiagnosticsInterface, "InjectFault",
                  [&](sd_bus_message* m) {
                      sd_bus_message_append(m, "s", device.c_str());
                      bus::append_dict(m, fault);
                  });
}

std::vector<std::string> RekamdTest::devices() {
    auto reply = client_->call(bus::kRootPath, bus::kManagerInterface, "GetDevices");
    return client::read_paths(reply.get());
}

std::string RekamdTest::device_property(const std::string& path, const char* name) {
    const auto props = client_->properties(path, bus::kDeviceInterface);
    for (const auto& [k, v] : props.entries())
        if (k == name) {
            if (auto* s = std::get_if<std::string>(&v.v)) return *s;
            if (auto* o = std::get_if<bus::ObjectPath>(&v.v)) return o->value;
        }
    return {};
}

std::string RekamdTest::device_of_kind(const std::string& kind) {
    for (const auto& path : devices())
        if (device_property(path, "Kind") == kind) return path;
    return {};
}

void RekamdTest::capture_all(client::SessionClient& session) {
    for (int round = 0; round < 2; ++round)
        for (const auto& position : session.missing()) {
            const auto r = session.capture_and_wait(position);
            ASSERT_TRUE(r.outcome == "accepted" || r.outcome == "best-attempt")
                << position << ": " << r.outcome << " " << r.message();
        }
}

void RekamdTest::expect_serving() {
    EXPECT_TRUE(daemon_->process().running()) << daemon_->log_text();
    EXPECT_NO_THROW(devices());
}

}  // namespace rekam::test
