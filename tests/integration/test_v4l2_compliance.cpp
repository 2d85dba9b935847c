// The fake V4L2 device checked by the kernel community's own conformance tool: v4l2-compliance
// (streaming included) under umockdev-run, which provides the sysfs entry it looks for.
// 50 of 54 pass; the four failures are features the model leaves out on purpose (priorities,
// control classes, extended controls, control events) and none of them is used by rekamd.
#include <gtest/gtest.h>
#include <unistd.h>

#include <regex>
#include <string>

#include "tests/integration/harness.h"

namespace rekam::test {
namespace {

TEST(FakeV4l2Compliance, AtLeast50Of54ChecksPass) {
    for (const char* tool : {"/usr/bin/umockdev-run", "/usr/bin/v4l2-compliance"})
        if (access(tool, X_OK) != 0)
            GTEST_SKIP() << tool << " is missing (apt install umockdev v4l-utils; CI has them)";
    const std::string command =
        std::string(
            "FAKEV4L2_DEVICES='/dev/video0=iris:GREY,YUYV:640x480:fps=200' "
            "/usr/bin/umockdev-run -d ") +
        REKAM_SOURCE_DIR + "/tests/fakes/fakev4l2/video0.umockdev -- sh -c 'LD_PRELOAD=\"" +
        FAKEV4L2_PATH + " $LD_PRELOAD\" exec v4l2-compliance -d /dev/video0 -s 10'";
    // v4l2-compliance exits non-zero for its four known failures: the summary line decides.
    std::string out;
    run(command, &out);
    std::smatch m;
    ASSERT_TRUE(
        std::regex_search(out, m, std::regex(R"(: (\d+), Succeeded: (\d+), Failed: (\d+))")))
        << out;
    EXPECT_EQ(std::stoi(m[1].str()), 54) << out;
    EXPECT_GE(std::stoi(m[2].str()), 50) << out;
    // Streaming really ran through the fake in all three poll modes.
    for (const char* test : {"test MMAP (no poll): OK", "test MMAP (select): OK",
                             "test MMAP (epoll): OK", "test blocking wait: OK"})
        EXPECT_NE(out.find(test), std::string::npos) << test << "\n" << out;
}

}  // namespace
}  // namespace rekam::test
