// Camera controls ([V4L2] IrisExposure= ...) through the real V4L2 driver and libv4l2: what the
// fake camera (tests/fakes/fakev4l2) was told to set, in which order, and what SelfTest reports.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/integration/v4l2_fixture.h"

namespace rekam::test {
namespace {

class V4l2ControlsTest : public V4l2Test {
  protected:
    // Starts rekamd with the fake cameras logging every S_CTRL they take under state_dir().
    void start_logging(const std::string& devices, const std::string& v4l2_keys) {
        std::filesystem::create_directories(state_dir());
        start_with(devices, "[V4L2]\n" + v4l2_keys, {{"FAKEV4L2_STATE_DIR", state_dir()}});
    }
    std::string state_dir() const { return (dir_.path() / "fakev4l2").string(); }
    // The S_CTRLs the camera at /dev/<node> took, in order ("exposure_absolute=250").
    std::vector<std::string> sets(const std::string& node) const {
        std::vector<std::string> out;
        std::ifstream in(state_dir() + "/" + node + ".controls");
        for (std::string line; std::getline(in, line);) out.push_back(line);
        return out;
    }
    static long count(const std::vector<std::string>& v, const std::string& item) {
        return std::count(v.begin(), v.end(), item);
    }
    static std::size_t index_of(const std::vector<std::string>& v, const std::string& item) {
        return static_cast<std::size_t>(std::find(v.begin(), v.end(), item) - v.begin());
    }
    // Streams rekamd restarted on `node` (a stall or EIO: v4l2_acquisition.cpp logs each).
    static long restarts(const std::string& log, const std::string& node) {
        long n = 0;
        std::istringstream lines(log);
        for (std::string line; std::getline(lines, line);)
            n += line.find(node + ":") != std::string::npos &&
                 line.find("restarting the stream") != std::string::npos;
        return n;
    }
    static long occurrences(const std::string& text, const std::string& what) {
        long n = 0;
        for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
        return n;
    }
    void capture(client::SessionClient& session, const char* position) {
        const auto r =
            session.capture_and_wait(position, options({{"timeout-ms", bus::u32(5000)}}));
        EXPECT_TRUE(r.outcome == "accepted" || r.outcome == "best-attempt")
            << position << ": " << r.outcome << " " << r.message();
    }
};

TEST_F(V4l2ControlsTest, ConfiguredControlsAreSetAtEveryStreamStartAndReported) {
    start_logging(kFakeIris + ";" + kFakeFace,
                  // Gain 0-100 and focus 0-250 in steps of 5 on the fake: 5000 and 123 do not fit.
                  "IrisExposure=250\nIrisGain=5000\nIrisFocus=123\nIrisIllumination=on\n"
                  "FaceExposure=auto\nFaceGain=auto\nFaceFocus=auto\n");
    const auto iris = device_of_kind("iris");
    const auto face = device_of_kind("face");
    ASSERT_FALSE(iris.empty());
    ASSERT_FALSE(face.empty());
    EXPECT_TRUE(sets("video0").empty()) << "nothing may be set before a stream starts";

    client::SessionClient session(client(), open_session());
    capture(session, "right-iris");
    capture(session, "left-iris");
    capture(session, "face");

    // Each capture started a stream, and each start set the whole list again, manual mode
    // before the value (uvcvideo refuses a value while its auto mode runs). A loaded machine can
    // stall a stream, and its restart is a start too (logged): counted, not a failure.
    const std::string started = daemon().log_text();
    const long iris_starts = 2 + restarts(started, "/dev/video0");
    const long face_starts = 1 + restarts(started, "/dev/video1");
    const auto s = sets("video0");
    EXPECT_EQ(count(s, "exposure_auto=1"), iris_starts) << ::testing::PrintToString(s);
    EXPECT_EQ(count(s, "exposure_absolute=250"), iris_starts);
    EXPECT_EQ(count(s, "gain=100"), iris_starts);
    EXPECT_EQ(count(s, "focus_auto=0"), iris_starts);
    EXPECT_EQ(count(s, "focus_absolute=125"), iris_starts);
    EXPECT_EQ(count(s, "illuminators_1=1"), iris_starts);
    EXPECT_EQ(s.size(), static_cast<std::size_t>(6 * iris_starts)) << ::testing::PrintToString(s);
    EXPECT_LT(index_of(s, "exposure_auto=1"), index_of(s, "exposure_absolute=250"));
    EXPECT_LT(index_of(s, "focus_auto=0"), index_of(s, "focus_absolute=125"));
    // UVC's auto exposure is aperture priority (the fake offers no fully automatic mode); the
    // fake has no automatic gain, so FaceGain=auto sets nothing.
    const auto f = sets("video1");
    std::vector<std::string> expected;
    for (long i = 0; i < face_starts; ++i)
        expected.insert(expected.end(), {"exposure_auto=3", "focus_auto=1"});
    EXPECT_EQ(f, expected);

    const auto t = self_test(iris);
    EXPECT_TRUE(t.get_bool("passed"));
    EXPECT_EQ(t.get_string("exposure"), "250 (3-2047), auto off; rekam sets 250");
    EXPECT_EQ(t.get_string("gain"), "100 (0-100); rekam sets 5000, clamped to 100");
    EXPECT_EQ(t.get_string("focus"),
              "125 (0-250 step 5), auto off; rekam sets 123, clamped to 125");
    EXPECT_EQ(t.get_string("illumination"), "on; rekam sets on");
    const auto u = self_test(face);
    EXPECT_TRUE(u.get_bool("passed"));
    EXPECT_EQ(u.get_string("exposure"), "166 (3-2047), auto on; rekam sets auto");
    EXPECT_EQ(u.get_string("gain"), "0 (0-100); rekam sets auto: skipped, no automatic mode");
    EXPECT_EQ(u.get_string("focus"), "0 (0-250 step 5), auto on; rekam sets auto");
    EXPECT_EQ(u.get_string("illumination"), "off; rekam leaves it");

    // What had to change is logged once per camera, not at every stream start.
    const auto log = daemon().log_text();
    EXPECT_EQ(occurrences(log,
                          "/dev/video0: gain 5000 is not a value the camera takes (0-100): "
                          "set 100"),
              1)
        << log;
    EXPECT_EQ(occurrences(log,
                          "/dev/video0: focus 123 is not a value the camera takes (0-250 "
                          "step 5): set 125"),
              1);
    EXPECT_EQ(occurrences(log, "/dev/video1: gain auto skipped: the camera has no automatic gain"),
              1);
    expect_serving();
}

TEST_F(V4l2ControlsTest, AStreamRestartedAfterEioGetsTheControlsAgain) {
    start_logging(kFakeIris + ":eio=3", "IrisExposure=300\n");
    client::SessionClient session(client(), open_session());
    const auto r = session.capture_and_wait(
        "right-iris", options({{"requested-score", bus::u32(100)}, {"max-attempts", bus::u32(6)}}));
    EXPECT_EQ(r.outcome, "best-attempt") << r.message();
    const auto t = self_test(device_of_kind("iris"));
    EXPECT_NE(t.get_string("frames").find("1 stream restarts"), std::string::npos)
        << t.get_string("frames");
    // One capture, two stream starts: the first and the restart.
    EXPECT_EQ(count(sets("video0"), "exposure_absolute=300"), 2)
        << ::testing::PrintToString(sets("video0"));
}

TEST_F(V4l2ControlsTest, ACameraLackingTheControlsStillCapturesAndSaysSo) {
    start_logging("/dev/video0=iris:GREY:640x480:fps=100:controls=brightness",
                  "IrisExposure=250\nIrisGain=10\nIrisFocus=auto\nIrisIllumination=on\n");
    const auto iris = device_of_kind("iris");
    ASSERT_FALSE(iris.empty());
    client::SessionClient session(client(), open_session());
    capture(session, "right-iris");
    capture(session, "left-iris");
    EXPECT_TRUE(sets("video0").empty()) << ::testing::PrintToString(sets("video0"));

    const auto t = self_test(iris);
    EXPECT_TRUE(t.get_bool("passed")) << "a missing control is no fault of the camera";
    EXPECT_EQ(t.get_string("exposure"), "not offered; rekam sets 250: skipped");
    EXPECT_EQ(t.get_string("gain"), "not offered; rekam sets 10: skipped");
    EXPECT_EQ(t.get_string("focus"), "not offered; rekam sets auto: skipped");
    EXPECT_EQ(t.get_string("illumination"), "not offered; rekam sets on: skipped");
    const auto log = daemon().log_text();
    EXPECT_EQ(occurrences(log, "exposure 250 skipped: the camera has no exposure control"), 1)
        << log;
    EXPECT_EQ(occurrences(log, "illumination on skipped: the camera has no illumination control"),
              1);
}

TEST_F(V4l2ControlsTest, UnsetControlsAreLeftAlone) {
    start_logging(kFakeIris, "IrisExposure=\n");  // empty: the same as not there
    client::SessionClient session(client(), open_session());
    capture(session, "right-iris");
    EXPECT_TRUE(sets("video0").empty()) << ::testing::PrintToString(sets("video0"));
    const auto t = self_test(device_of_kind("iris"));
    EXPECT_EQ(t.get_string("exposure"), "166 (3-2047), auto on; rekam leaves it");
    EXPECT_EQ(t.get_string("focus"), "0 (0-250 step 5), auto on; rekam leaves it");
    EXPECT_EQ(t.get_string("illumination"), "off; rekam leaves it");
}

}  // namespace
}  // namespace rekam::test
