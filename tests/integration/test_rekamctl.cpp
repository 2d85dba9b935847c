// rekamctl as a technician and a script see it: `enroll` guiding like an operator's screen on a
// terminal, as plain lines in a pipe and as JSON lines; arguments refused before any session
// exists; one CLI convention (global options anywhere, --version, kebab-case JSON keys).
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "biometrics/records/codec.h"
#include "dbus/names.h"
#include "tests/integration/daemon_fixture.h"

namespace rekam::test {
namespace {

// Enough of an enroll command line; `extra` adds options. Smudged prints with a score of 100
// asked for and two frames allowed: every finger is kept as a best attempt, with feedback.
class RekamctlTest : public RekamdTest {
  protected:
    std::string ctl() const { return rekamctl_path() + " --bus-address '" + address() + "' "; }
    std::string enroll(const std::string& extra = {}) const {
        return ctl() +
               "enroll --nik 3273010507900003 --kk 3273010101200002"
               " --documents kk-copy,id-copy,rt-letter --operator budi"
               " --requested-score 100 --max-attempts 2 " +
               extra;
    }
    void smudge() { fault("fingerprint", {{"condition", bus::str("smudged")}}); }
    // stdout only: stderr to /dev/null inside the subshell that run() redirects.
    static int run_stdout(const std::string& command, std::string* out) {
        return run("(" + command + " 2>/dev/null)", out);
    }
    std::size_t book_entries() {
        std::string out;
        EXPECT_EQ(run_stdout(ctl() + "book --json", &out), 0) << out;
        return nlohmann::json::parse(out).size();
    }
};

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

TEST_F(RekamctlTest, EnrollInAPipePrintsPromptsFeedbackWarningsAndASummary) {
    smudge();
    std::string out;
    ASSERT_EQ(run(enroll("--exception left-little=amputated"), &out), 0) << out;
    EXPECT_NE(out.find("right-thumb: Letakkan ibu jari kanan / Place your right thumb\n"),
              std::string::npos)
        << out;
    EXPECT_NE(out.find("Lihat ke kamera iris"), std::string::npos) << out;
    EXPECT_NE(out.find("Foto pengecualian"), std::string::npos) << "the exception photo" << out;
    EXPECT_EQ(out.find("Letakkan jari kelingking kiri"), std::string::npos)
        << "the excepted finger is not asked for\n"
        << out;
    // Live progress as plain lines: the feedback codes, the score and each frame's feedback.
    EXPECT_NE(out.find("\n  attempt 1  place-finger  Letakkan jari di pemindai / Place the finger"),
              std::string::npos)
        << out;
    EXPECT_NE(out.find("(best "), std::string::npos) << out;
    EXPECT_NE(out.find("  low-quality ["), std::string::npos) << out;
    EXPECT_EQ(out.find('\r'), std::string::npos) << "no redraws in a pipe";
    EXPECT_NE(out.find("WARNING: right-thumb kept at score"), std::string::npos) << out;
    EXPECT_NE(out.find("below the requested score 100"), std::string::npos) << out;
    // The summary: a header and one row per position, the exception with its reason.
    const auto table = out.find("POSITION");
    ASSERT_NE(table, std::string::npos) << out;
    const std::string summary = out.substr(table);
    EXPECT_NE(summary.find("OUTCOME"), std::string::npos);
    EXPECT_NE(summary.find("ATTEMPTS"), std::string::npos);
    EXPECT_NE(summary.find("exception (amputated)"), std::string::npos) << summary;
    EXPECT_EQ(count(summary, "best-attempt"), 13u) << "9 fingers, 2 irises, face, photo\n"
                                                   << summary;
    EXPECT_NE(summary.find("package  "), std::string::npos) << summary;
}

TEST_F(RekamctlTest, EnrollOnATerminalRedrawsItsProgressLine) {
    smudge();
    // script(1) gives rekamctl a pseudo-terminal as stdout and copies what it wrote.
    std::string out;
    // A terminal of 60 columns, whatever the one running the test has.
    ASSERT_EQ(run("script -qfec \"stty cols 60 rows 24; " + enroll() + "\" /dev/null", &out), 0)
        << out;
    // A redraw is a carriage return straight before the line (a newline on a TTY is "\r\n"),
    // cut to the terminal's width (a wrapped line cannot be redrawn) and cleared to its end.
    EXPECT_GT(count(out, "\r  attempt "), 12u) << out;
    for (auto at = out.find("\r  attempt "); at != std::string::npos;
         at = out.find("\r  attempt ", at + 1)) {
        const auto end = out.find("\033[K", at);
        ASSERT_NE(end, std::string::npos) << out.substr(at);
        EXPECT_LT(end - at - 1, 60u) << out.substr(at, end - at);
    }
    EXPECT_NE(out.find("Place your right thumb"), std::string::npos) << out;
    EXPECT_NE(out.find("POSITION"), std::string::npos) << out;
    EXPECT_NE(out.find("package  "), std::string::npos) << out;
}

TEST_F(RekamctlTest, EnrollWithJsonPrintsOneObjectPerLineWithItsKeys) {
    smudge();
    std::string out;
    ASSERT_EQ(run_stdout(enroll("--json --exception right-iris=missing-eye"), &out), 0) << out;
    std::istringstream lines(out);
    std::string line;
    std::map<std::string, int> events;
    nlohmann::json summary;
    while (std::getline(lines, line)) {
        nlohmann::json j;
        ASSERT_NO_THROW(j = nlohmann::json::parse(line)) << line;
        ASSERT_TRUE(j.contains("event")) << line;
        const std::string event = j["event"];
        ++events[event];
        std::set<std::string> want;
        if (event == "prompt") want = {"position", "prompt-id", "prompt-en"};
        if (event == "progress") want = {"position", "code", "attempt", "message-id", "message-en"};
        if (event == "finished")
            want = {"position", "outcome",         "score",          "attempts",
                    "forced",   "below-requested", "requested-score"};
        if (event == "summary") want = {"session", "package", "sha256", "captures"};
        for (const auto& key : want) EXPECT_TRUE(j.contains(key)) << key << " in " << line;
        if (event == "progress" && j.contains("score")) {
            ++events["scored"];  // a frame's: its score and feedback
            EXPECT_TRUE(j["score"].is_number()) << line;
            EXPECT_TRUE(j["feedback"].is_array()) << line;
        }
        // Requested 100: no smudged print, eye or face reaches it; a good signature can.
        if (event == "finished" && j["position"] != "signature") {
            EXPECT_TRUE(j["below-requested"].get<bool>()) << line;
        }
        if (event == "summary") summary = j;
    }
    EXPECT_EQ(events["session"], 1);
    EXPECT_EQ(events["prompt"], 14) << "10 fingers, 1 iris, face, signature, exception photo";
    EXPECT_EQ(events["finished"], 14);
    EXPECT_GE(events["progress"], 14);
    EXPECT_GE(events["scored"], 14);
    ASSERT_EQ(events["summary"], 1);
    ASSERT_EQ(summary["captures"].size(), 15u) << summary;
    for (const auto& c : summary["captures"]) {
        if (c["position"] == "right-iris") {
            EXPECT_EQ(c["outcome"], "exception");
            EXPECT_EQ(c["reason"], "missing-eye");
        } else {
            EXPECT_TRUE(c["score"].is_number()) << c;
            EXPECT_EQ(c["attempts"], c["position"] == "signature" ? 1 : 2) << c;
        }
    }
}

TEST_F(RekamctlTest, AnIncompleteEnrollmentSaysWhatIsMissingAndExits1) {
    // A blank scanner: no finger is ever seen, every finger fails in every round.
    fault("fingerprint", {{"condition", bus::str("blank")}, {"delay-ms", bus::u32(50)}});
    const std::string command = ctl() +
                                "enroll --nik 3273010507900003 --kk 3273010101200002"
                                " --documents kk-copy,id-copy,rt-letter --operator budi"
                                " --timeout-ms 100 ";
    std::string out;
    ASSERT_EQ(run_stdout(command + "--json", &out), 1) << out;
    const auto last = nlohmann::json::parse(out.substr(out.rfind('\n', out.size() - 2) + 1));
    EXPECT_EQ(last["event"], "incomplete") << out;
    EXPECT_EQ(last["missing"].size(), 10u) << last;
    EXPECT_EQ(out.find("\"summary\""), std::string::npos) << "no package, no summary";
    for (const auto& c : last["captures"]) {
        const auto position = c["position"].get<std::string>();
        const bool finger = position.find("iris") == std::string::npos && position != "face" &&
                            position != "signature";
        EXPECT_EQ(c["outcome"], finger ? "failed" : "accepted") << c;
        if (finger) {
            EXPECT_FALSE(c["message"].get<std::string>().empty()) << c;
        }
    }
    EXPECT_EQ(run(command, &out), 1) << out;
    EXPECT_NE(out.find("still missing  right-thumb, right-index"), std::string::npos) << out;
    EXPECT_NE(out.find("POSITION"), std::string::npos) << out;
}

TEST_F(RekamctlTest, AMistypedExceptionIsRefusedBeforeASessionOpens) {
    const std::size_t before = book_entries();
    for (const char* wrong : {"left-litle=amputated", "left-little=lost", "face=amputated",
                              "right-iris=amputated", "left-little"}) {
        std::string out;
        EXPECT_EQ(run(enroll(std::string("--exception ") + wrong), &out), 2)
            << wrong << ": " << out;
        EXPECT_NE(out.find(wrong), std::string::npos) << "the error names the argument: " << out;
    }
    std::string out;
    EXPECT_EQ(run(enroll("--exception left-little=lost"), &out), 2);
    EXPECT_NE(out.find("one of: amputated"), std::string::npos) << out;
    EXPECT_EQ(run(enroll("--requested-score 101"), &out), 2) << out;
    EXPECT_EQ(book_entries(), before) << "no abandoned enrollment for a typing error";
    auto reply = client().call(bus::kRootPath, bus::kManagerInterface, "GetSessions");
    EXPECT_TRUE(client::read_paths(reply.get()).empty());
}

TEST_F(RekamctlTest, GlobalOptionsGoAnywhereAndJsonKeysAreKebabCase) {
    std::string before, after;
    ASSERT_EQ(
        run_stdout(rekamctl_path() + " --json --bus-address '" + address() + "' status", &before),
        0)
        << before;
    ASSERT_EQ(
        run_stdout(rekamctl_path() + " status --bus-address '" + address() + "' --json", &after), 0)
        << after;
    EXPECT_EQ(before, after);
    const auto status = nlohmann::json::parse(after);
    for (const char* key : {"version", "station-id", "spool-directory", "devices", "sessions"})
        EXPECT_TRUE(status.contains(key)) << key << " in " << after;

    std::string version;
    EXPECT_EQ(run(rekamctl_path() + " --version", &version), 0) << version;
    EXPECT_NE(version.find(status["version"].get<std::string>()), std::string::npos) << version;

    std::string out;
    ASSERT_EQ(run_stdout(ctl() + "devices --json", &out), 0) << out;
    for (const auto& device : nlohmann::json::parse(out)) {
        for (const auto& item : device.items())
            EXPECT_EQ(item.key().find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ"), std::string::npos)
                << item.key();
        EXPECT_TRUE(device.contains("usb-speed")) << device;
        // Every name `devices` prints works where a device is asked for.
        std::string fault_out;
        EXPECT_EQ(
            run(ctl() + "fault " + device["device"].get<std::string>() + " delay-ms=0", &fault_out),
            0)
            << fault_out;
    }
    ASSERT_EQ(run_stdout(ctl() + "diagnose --no-capture --json", &out), 0) << out;
    for (const auto& device : nlohmann::json::parse(out)["devices"])
        EXPECT_TRUE(device["self-test"]["frame-ms"].is_number()) << device;

    EXPECT_EQ(run(rekamctl_path() + " enroll --help", &out), 0);
    EXPECT_NE(out.find("Example:"), std::string::npos) << out;
}

// A technician tests a fingerprint reader from the command line: one scored impression as PNG,
// its minutiae drawn with --overlay, and `preview` gives one impression per frame.
// A technician's test of the signature pad: one scored signature, its ink as PNG.
TEST_F(RekamctlTest, CaptureOfTheSignaturePadWritesItsInk) {
    const std::string file = (dir_.path() / "signature.png").string();
    std::string out;
    ASSERT_EQ(run_stdout(ctl() + "capture signature --json --out " + file, &out), 0) << out;
    const auto j = nlohmann::json::parse(out);
    EXPECT_EQ(j["position"], "signature");
    EXPECT_EQ(j["algorithm"], "rekam-signature/1");
    EXPECT_GE(j["score"].get<int>(), 60) << j;
    EXPECT_TRUE(j["measures"].contains("strokes")) << j;
    const bio::Image ink = bio::decode_png(read_file(file));
    EXPECT_EQ(ink.channels, 1);
    EXPECT_EQ(ink.width, j["width"].get<int>());
}

TEST_F(RekamctlTest, CaptureOfAFingerprintReaderWritesAScoredPng) {
    const std::string plain = (dir_.path() / "finger.png").string();
    const std::string overlay = (dir_.path() / "finger-overlay.png").string();
    std::string out;
    ASSERT_EQ(run_stdout(ctl() + "capture fingerprint_0 --json --out " + plain, &out), 0) << out;
    const auto j = nlohmann::json::parse(out);
    EXPECT_EQ(j["position"], "right-index");
    EXPECT_EQ(j["file"], plain);
    EXPECT_GT(j["minutiae"].get<int>(), 0);
    EXPECT_TRUE(j["measures"].contains("ocl")) << j;
    const bio::Image grey = bio::decode_png(read_file(plain));
    EXPECT_EQ(grey.channels, 1);
    EXPECT_EQ(grey.width, j["width"].get<int>());

    ASSERT_EQ(
        run(ctl() + "capture fingerprint --overlay --position left-thumb --out " + overlay, &out),
        0)
        << out;
    EXPECT_NE(out.find("left-thumb  score "), std::string::npos) << out;
    EXPECT_NE(out.find(" minutiae "), std::string::npos) << out;
    EXPECT_NE(out.find("measures: "), std::string::npos) << out;
    // The minutiae are drawn in colour over the grey print.
    const bio::Image drawn = bio::decode_png(read_file(overlay));
    ASSERT_EQ(drawn.channels, 3);
    std::size_t coloured = 0;
    for (std::size_t i = 0; i + 2 < drawn.pixels.size(); i += 3)
        coloured +=
            drawn.pixels[i] != drawn.pixels[i + 1] || drawn.pixels[i] != drawn.pixels[i + 2];
    EXPECT_GT(coloured, 500u);

    const auto frames = dir_.path() / "prints";
    ASSERT_EQ(run(ctl() + "preview fingerprint_0 --frames 2 --out " + frames.string(), &out), 0)
        << out;
    EXPECT_TRUE(std::filesystem::exists(frames / "frame-000000.png")) << out;
    EXPECT_TRUE(std::filesystem::exists(frames / "frame-000001.png")) << out;
    EXPECT_EQ(book_entries(), 0u) << "a test capture is not an enrollment";
}

// The report a technician hands over: every device with identity, port, self-test, frame rate
// and a scored capture, as text, JSON and a self-contained HTML page.
TEST_F(RekamctlTest, DiagnoseReportsEveryDeviceAsTextJsonAndHtml) {
    const std::string html_file = (dir_.path() / "report.html").string();
    std::string out;
    ASSERT_EQ(run_stdout(ctl() + "diagnose --json --html " + html_file, &out), 0) << out;
    const auto report = nlohmann::json::parse(out);
    EXPECT_TRUE(report["passed"].get<bool>());
    // The station itself (Manager.SelfTest): the test's self-signed key signs, unsealed.
    EXPECT_TRUE(report["station"]["passed"].get<bool>()) << report["station"];
    EXPECT_EQ(report["station"]["packages"], "signed");
    EXPECT_EQ(report["station"]["warnings"].size(), 2u) << report["station"];
    ASSERT_EQ(report["devices"].size(), 4u);
    for (const auto& d : report["devices"]) {
        SCOPED_TRACE(d["device"].get<std::string>());
        EXPECT_EQ(d["verdict"], "pass") << d;
        EXPECT_FALSE(d["slow-port"].get<bool>());
        EXPECT_TRUE(d["self-test"]["passed"].get<bool>());
        EXPECT_GE(d["test-capture"]["score"].get<int>(),
                  d["test-capture"]["requested-score"].get<int>());
        EXPECT_FALSE(d["test-capture"].contains("minutiae-record"));
        if (d["kind"] == "iris" || d["kind"] == "face") {
            EXPECT_GT(d["frame-rate"]["fps"].get<double>(), 0) << d;
        } else {
            EXPECT_FALSE(d.contains("frame-rate")) << "a scanner or a pad streams no video";
        }
    }
    const std::string html = read_text(html_file);
    EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
    EXPECT_EQ(count(html, "<img "), 4u);
    EXPECT_EQ(count(html, "src=\"data:image/jpeg;base64,"), 4u) << "images inside the page";
    EXPECT_NE(html.find("4 device(s), all pass"), std::string::npos);

    ASSERT_EQ(run(ctl() + "diagnose --no-capture", &out), 0) << out;
    for (const char* line : {"identity", "usb", "self-test", "frame rate", "capture     skipped"})
        EXPECT_NE(out.find(line), std::string::npos) << line << " in\n" << out;
    // A device that fails its test capture fails the report (exit 1), naming why.
    fault("iris", {{"fail-captures", bus::u32(5)}});
    EXPECT_EQ(run(ctl() + "diagnose --capture-timeout-ms 3000", &out), 1) << out;
    EXPECT_NE(out.find("iris_1  Simulated iris camera  [fail]"), std::string::npos) << out;
    EXPECT_NE(out.find("problem     test capture failed"), std::string::npos) << out;
}

}  // namespace
}  // namespace rekam::test
