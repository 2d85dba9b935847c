#include "tools/client/device_client.h"

#include "dbus/names.h"

namespace rekam::client {

TestCaptureResult test_capture(Connection& connection, const std::string& device_path,
                               const bus::Dict& options) {
    // The reply comes when the capture ends: wait for the longest capture rekamd allows
    // (timeout-ms is at most 600 s) unless the caller set a shorter one.
    std::uint64_t wait_ms = 600'000;
    const bus::Arguments given("options", options);
    if (given.has("timeout-ms")) wait_ms = given.get_u32("timeout-ms");
    auto reply = connection.call(
        device_path, bus::kDeviceInterface, "TestCapture",
        [&](sd_bus_message* m) { bus::append_dict(m, options); }, (wait_ms + 10'000) * 1000);
    bus::Arguments result = bus::read_arguments(reply.get(), "result");
    return {std::move(result), read_fd_bytes(reply.get(), "the test capture's image")};
}

}  // namespace rekam::client
