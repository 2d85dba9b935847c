// The signature pad of the simulated kit over D-Bus: what the citizen is told, what is kept,
// the clerk's confirm and clear, and a citizen unable to sign.
#include <linux/videodev2.h>

#include <algorithm>
#include <optional>
#include <thread>

#include "biometrics/package/package.h"
#include "biometrics/package/verify.h"
#include "biometrics/records/codec.h"
#include "dbus/names.h"
#include "tests/integration/daemon_fixture.h"
#include "tools/client/preview_client.h"

namespace rekam::test {
namespace {

client::Append options(bus::Dict d) { return client::dict_arg(std::move(d)); }

bool said(const std::vector<client::Progress>& progress, const std::string& code) {
    return std::any_of(progress.begin(), progress.end(),
                       [&](const client::Progress& p) { return p.code == code; });
}

TEST_F(RekamdTest, ASignatureIsCapturedWithItsFeedbackAndKeptAsInk) {
    client::SessionClient session(client(), open_session());
    std::vector<client::Progress> progress;
    session.capture("signature");
    const auto r = session.wait_finished("signature", 60'000'000,
                                         [&](const client::Progress& p) { progress.push_back(p); });
    ASSERT_TRUE(r);
    EXPECT_EQ(r->outcome, "accepted") << r->message();
    EXPECT_GE(r->score(), 60u);
    ASSERT_TRUE(said(progress, "sign-now"));
    for (const auto& p : progress)
        if (p.code == "sign-now") {
            EXPECT_EQ(bus::Arguments("progress", p.data).get_string("message-en"),
                      "Please sign inside the box");
        }
    auto [info, png] = session.sample("signature");
    EXPECT_EQ(info.get_string("record-format"), "PNG (ISO/IEC 15948) signature image");
    const auto ink = bio::decode_png(png);
    EXPECT_GT(ink.width, 200) << "at least 25 mm of ink at 8 px/mm";
    const auto missing = session.missing();
    EXPECT_EQ(std::count(missing.begin(), missing.end(), "signature"), 0);
}

TEST_F(RekamdTest, ATooShortSignatureIsSaidAndNeverAccepted) {
    fault("signature", {{"condition", bus::str("partial")}});
    client::SessionClient session(client(), open_session());
    std::vector<client::Progress> progress;
    session.capture("signature", options({{"max-attempts", bus::u32(2)}}));
    const auto r = session.wait_finished("signature", 60'000'000,
                                         [&](const client::Progress& p) { progress.push_back(p); });
    ASSERT_TRUE(r);
    EXPECT_NE(r->outcome, "accepted");
    // Each scored attempt says why, in the citizen's words.
    EXPECT_TRUE(said(progress, "too-short"));
    for (const auto& p : progress)
        if (p.code == "too-short") {
            EXPECT_EQ(bus::Arguments("progress", p.data).get_string("message-en"),
                      "Signature too short: sign as you usually do");
        }
}

// The pad's preview is the ink of a capture: nothing between captures (a pad has no scene to
// show), the whole signing box as the citizen writes.
class PacedPadTest : public RekamdTest {
  protected:
    // The simulated citizen takes a second to sign, so the previews come spread over it.
    void SetUp() override {
        DaemonConfig config;
        config.text = "[Simulator]\nFrameIntervalMs=1000\n[Security]\nPolkit=no\n";
        start(config);
    }
};

TEST_F(PacedPadTest, ThePadsPreviewShowsTheInkOfACaptureAndNothingBetween) {
    const auto pad = device_of_kind("signature");
    client::PreviewReader reader(client::open_preview(client(), pad));
    EXPECT_THROW(reader.next(500'000), std::runtime_error) << "no frame between captures";
    client::SessionClient session(client(), open_session());
    // A viewer reads as frames come (a slow one misses some), the front end follows the capture.
    std::optional<client::PreviewFrame> last;
    int frames = 0;
    std::thread viewer([&] {
        try {
            while (auto f = reader.next(1'500'000)) last = std::move(f), ++frames;
        } catch (const std::runtime_error&) {
            // no frame for 1.5 s: the capture is over
        }
    });
    session.capture("signature");
    const auto r = session.wait_finished("signature", 60'000'000);
    viewer.join();
    ASSERT_TRUE(r);
    ASSERT_TRUE(last);
    EXPECT_GE(frames, 2);
    EXPECT_EQ(last->header.fourcc, V4L2_PIX_FMT_GREY);
    // The 120 x 60 mm box at 4 px/mm and a margin.
    EXPECT_GE(last->header.width, 480u);
    EXPECT_LT(last->header.width, 500u);
    EXPECT_GE(last->header.height, 240u);
    std::size_t ink = 0;
    for (auto v : last->payload) ink += v < 128;
    EXPECT_GT(ink, 500u) << "strokes, not a dot";
}

TEST_F(RekamdTest, ConfirmAndClearBelongToARunningSignatureCapture) {
    client::SessionClient session(client(), open_session());
    EXPECT_DBUS_ERROR(session.confirm_signature(), bus::error::kInvalidArgument);
    EXPECT_DBUS_ERROR(session.clear_signature(), bus::error::kInvalidArgument);
    fault("fingerprint", {{"delay-ms", bus::u32(3000)}});
    session.capture("right-index");
    EXPECT_DBUS_ERROR(session.confirm_signature(), bus::error::kInvalidArgument);
    session.cancel();
    // Another client is not the session's owner.
    client::Connection other(address());
    client::SessionClient intruder(other, session.path());
    EXPECT_DBUS_ERROR(intruder.confirm_signature(), bus::error::kNotAuthorized);
}

TEST_F(RekamdTest, ACitizenUnableToSignIsExceptedWithoutAnExceptionPhoto) {
    client::SessionClient session(client(), open_session());
    EXPECT_DBUS_ERROR(session.mark_exception("signature", "amputated"),
                      bus::error::kInvalidArgument);
    session.mark_exception("signature", "unable-to-sign", "cannot write");
    auto missing = session.missing();
    EXPECT_EQ(std::count(missing.begin(), missing.end(), "signature"), 0);
    EXPECT_EQ(std::count(missing.begin(), missing.end(), "exception-photo"), 0)
        << "nothing to photograph for a signature";
    capture_all(session);
    const auto [path, sha] = session.finalize();
    const auto report = pkg::verify_package(read_file(path));
    EXPECT_TRUE(report.ok()) << (report.problems.empty() ? "" : report.problems[0].message);
    ASSERT_TRUE(report.manifest && report.manifest->card);
    ASSERT_EQ(report.manifest->exceptions.size(), 1u);
    EXPECT_EQ(report.manifest->exceptions[0].position, "signature");
    EXPECT_EQ(report.manifest->exceptions[0].reason, "unable-to-sign");
    const auto& parts = report.manifest->card->parts;
    const auto signature = std::find_if(parts.begin(), parts.end(),
                                        [](const auto& p) { return p.part == "signature"; });
    ASSERT_NE(signature, parts.end());
    EXPECT_TRUE(signature->file.empty());
    EXPECT_NE(signature->note.find("excepted"), std::string::npos) << signature->note;
}

}  // namespace
}  // namespace rekam::test
