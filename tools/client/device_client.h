// The device side of the API seen from a client: a technician's test capture.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "dbus/message.h"
#include "tools/client/connection.h"

namespace rekam::client {

struct TestCaptureResult {
    bus::Arguments result;          // see Device.TestCapture in the XML
    std::vector<std::uint8_t> png;  // the kept frame
};

// Device.TestCapture on `device_path`; waits for the capture to end (its "timeout-ms", or the
// station's default, and a margin). Throws CallError.
TestCaptureResult test_capture(Connection& connection, const std::string& device_path,
                               const bus::Dict& options = {});

}  // namespace rekam::client
