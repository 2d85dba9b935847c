// main() of the evdev tests: the process re-executes itself under umockdev-wrapper (umockdev's
// LD_PRELOAD) so that the testbed each test builds is what libevdev, sd-device and libwacom see.
// ctest's own runs and gtest_discover_tests's listing both come through here.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

int main(int argc, char** argv) {
    const char* preload = std::getenv("LD_PRELOAD");
    if (!(preload && std::strstr(preload, "umockdev")) && !std::getenv("REKAM_UMOCKDEV_REEXEC")) {
        setenv("REKAM_UMOCKDEV_REEXEC", "1",
               1);  // once: a wrapper that does not preload fails below
        std::vector<char*> args{const_cast<char*>("umockdev-wrapper")};
        args.insert(args.end(), argv, argv + argc);
        args.push_back(nullptr);
        execvp(args[0], args.data());
        std::perror("umockdev-wrapper");  // the tests then say what is missing
    }
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
