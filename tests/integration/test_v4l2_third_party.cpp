// The fake V4L2 device read by real third-party clients, not only by rekamd and
// v4l2-compliance: GStreamer's v4l2src streams every format the fake offers, and the bytes it
// hands on must be the frame the fake serves, as v4l2-ctl grabs it straight from the device.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <iterator>
#include <string>
#include <vector>

#include "tests/integration/harness.h"

namespace rekam::test {
namespace {

namespace fs = std::filesystem;

using Bytes = std::vector<std::uint8_t>;

constexpr int kWidth = 640, kHeight = 480, kFrames = 20;
// fps=200 only makes the run short: every check counts buffers, none depends on timing.
constexpr const char* kDevices = "/dev/video0=iris:GREY,YUYV,MJPG:640x480:fps=200";

double stddev(const std::uint8_t* p, std::size_t n) {
    double sum = 0, sq = 0;
    for (std::size_t i = 0; i < n; ++i) {
        sum += p[i];
        sq += static_cast<double>(p[i]) * p[i];
    }
    const double mean = sum / static_cast<double>(n);
    return std::sqrt(sq / static_cast<double>(n) - mean * mean);
}

class FakeV4l2ThirdParty : public ::testing::Test {
  protected:
    void SetUp() override {
        for (const char* tool : {"/usr/bin/gst-launch-1.0", "/usr/bin/gst-inspect-1.0",
                                 "/usr/bin/umockdev-run", "/usr/bin/v4l2-ctl"})
            if (access(tool, X_OK) != 0)
                GTEST_SKIP() << tool
                             << " is missing (apt install gstreamer1.0-tools umockdev v4l-utils;"
                                " CI has them)";
        std::string out;
        for (const char* element : {"v4l2src", "jpegdec", "multifilesink"})
            if (run(gst_env() + "gst-inspect-1.0 --exists " + element, &out) != 0)
                GTEST_SKIP() << "GStreamer element " << element
                             << " is missing (apt install gstreamer1.0-plugins-good; CI has it)";
    }

    // The registry cache goes to the scratch folder, not to $HOME; the plugin scanner inherits
    // the preload, which does nothing to it.
    std::string gst_env() const {
        return "GST_REGISTRY='" + (dir_.path() / "registry.bin").string() + "' FAKEV4L2_DEVICES='" +
               kDevices + "' LD_PRELOAD=\"" + FAKEV4L2_PATH + "${LD_PRELOAD:+ $LD_PRELOAD}\" ";
    }

    // One frame of `fourcc` as the fake serves it, grabbed by v4l2-ctl (which needs the sysfs
    // entry, hence umockdev-run, as in test_v4l2_compliance.cpp).
    Bytes reference(const std::string& fourcc) {
        const fs::path file = dir_.path() / ("ref-" + fourcc);
        const std::string command =
            std::string("FAKEV4L2_DEVICES='") + kDevices +
            "' timeout 60 /usr/bin/umockdev-run -d " + REKAM_SOURCE_DIR +
            "/tests/fakes/fakev4l2/video0.umockdev -- sh -c 'LD_PRELOAD=\"" + FAKEV4L2_PATH +
            " $LD_PRELOAD\" exec v4l2-ctl -d /dev/video0 --set-fmt-video=pixelformat=" + fourcc +
            " --stream-mmap --stream-count=1 --stream-to=" + file.string() + "'";
        std::string out;
        EXPECT_EQ(run(command, &out), 0) << command << "\n" << out;
        return read_file(file);
    }

    // Streams kFrames buffers through `caps` into one file per buffer; returns the files.
    std::vector<Bytes> stream(const std::string& name, const std::string& caps) {
        const std::string command =
            gst_env() + "timeout 60 gst-launch-1.0 -q v4l2src device=/dev/video0 num-buffers=" +
            std::to_string(kFrames) + " ! " + caps + " ! multifilesink location='" +
            (dir_.path() / name).string() + "-%02d'";
        std::string out;
        EXPECT_EQ(run(command, &out), 0) << command << "\n" << out;
        std::vector<Bytes> frames;
        for (int i = 0;; ++i) {
            char suffix[16];
            std::snprintf(suffix, sizeof suffix, "-%02d", i);
            const fs::path file = dir_.path() / (name + suffix);
            if (!fs::exists(file)) break;
            frames.push_back(read_file(file));
        }
        return frames;
    }

    TempDir dir_;
};

TEST_F(FakeV4l2ThirdParty, GstreamerStreamsEveryFormat) {
    const std::size_t pixels = std::size_t{kWidth} * kHeight;
    // The references: an iris scene, the same luma in GREY and YUYV, a whole JPEG.
    const Bytes grey = reference("GREY"), yuyv = reference("YUYV"), mjpg = reference("MJPG");
    ASSERT_EQ(grey.size(), pixels);
    EXPECT_GT(stddev(grey.data(), grey.size()), 10.0) << "the fake's GREY frame is flat";
    ASSERT_EQ(yuyv.size(), 2 * pixels);
    for (std::size_t i = 0; i < pixels; ++i)
        ASSERT_EQ(yuyv[2 * i], grey[i]) << "YUYV luma differs from GREY at pixel " << i;
    ASSERT_GT(mjpg.size(), 1000u);
    EXPECT_TRUE(mjpg[0] == 0xFF && mjpg[1] == 0xD8 && mjpg[mjpg.size() - 2] == 0xFF &&
                mjpg.back() == 0xD9)
        << "not one whole JPEG (SOI..EOI): bytesused is wrong";

    // GStreamer passes raw buffers on untouched, so every one must be the fake's frame exactly.
    const struct {
        const char* name;
        const char* caps;
        const Bytes& expected;
    } exact[] = {
        {"grey", "video/x-raw,format=GRAY8,width=640,height=480", grey},
        {"yuyv", "video/x-raw,format=YUY2,width=640,height=480", yuyv},
        {"mjpg", "image/jpeg,width=640,height=480", mjpg},
    };
    for (const auto& c : exact) {
        SCOPED_TRACE(c.caps);
        const auto frames = stream(c.name, c.caps);
        ASSERT_EQ(frames.size(), std::size_t{kFrames});
        for (std::size_t i = 0; i < frames.size(); ++i)
            EXPECT_TRUE(frames[i] == c.expected)
                << "buffer " << i << " (" << frames[i].size() << " bytes) is not the fake's frame";
    }

    // And the MJPEG stream decodes (jpegdec) to the scene of the GREY frame, up to JPEG loss.
    const auto decoded =
        stream("decoded", "image/jpeg,width=640,height=480 ! jpegdec ! video/x-raw,format=I420");
    ASSERT_EQ(decoded.size(), std::size_t{kFrames});
    for (const auto& frame : decoded) {
        ASSERT_EQ(frame.size(), pixels * 3 / 2);
        double diff = 0;
        for (std::size_t i = 0; i < pixels; ++i) diff += std::abs(int{frame[i]} - int{grey[i]});
        EXPECT_LT(diff / static_cast<double>(pixels), 4.0) << "decoded luma is not the GREY scene";
    }
}

}  // namespace
}  // namespace rekam::test
