// rekamd with the fake V4L2 device (tests/fakes/fakev4l2) preloaded in place of /dev/videoN:
// the fixture the camera integration tests share.
#pragma once

#include <chrono>
#include <iostream>
#include <map>
#include <string>
#include <thread>

#include "dbus/names.h"
#include "tests/integration/daemon_fixture.h"

namespace rekam::test {

inline const std::string kCameraConfig =
    "[Drivers]\nEnabled=v4l2\n[V4L2]\nIrisDevice=/dev/video0\nFaceDevice=/dev/video1\n"
    "[Security]\nPolkit=no\n";
inline const std::string kFakeIris = "/dev/video0=iris:GREY,YUYV:640x480:fps=100";
inline const std::string kFakeFace = "/dev/video1=face:MJPG,YUYV:1280x960:fps=100";

inline client::Append options(bus::Dict d) { return client::dict_arg(std::move(d)); }

class V4l2Test : public RekamdTest {
  protected:
    void SetUp() override {}
    void TearDown() override {
        if (HasFailure() && daemon_) std::cerr << "rekamd log:\n" << daemon().log_text();
    }
    // `extra_config` is appended to kCameraConfig (sections may repeat, e.g. "[V4L2]\n...").
    void start_with(const std::string& devices, const std::string& extra_config = "",
                    std::map<std::string, std::string> env = {}) {
        env["LD_PRELOAD"] = FAKEV4L2_PATH;
        env["FAKEV4L2_DEVICES"] = devices;
        start(DaemonConfig{kCameraConfig + extra_config}, env);
    }
    bus::Arguments self_test(const std::string& path) {
        auto reply = client().call(path, bus::kDeviceInterface, "SelfTest");
        return bus::read_arguments(reply.get(), "result");
    }
    std::string wait_for_device(const std::string& kind, const std::string& not_this) {
        for (int i = 0; i < 50; ++i) {
            const auto path = device_of_kind(kind);
            if (!path.empty() && path != not_this) return path;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        return "";
    }
};

}  // namespace rekam::test
