#include "daemon/config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "daemon/driver_factory.h"
#include "temp_dir.h"

namespace rekam {
namespace {

using drivers::DeviceStatus;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

Config parse(const std::string& text) { return parse_config(text, "rekamd.conf"); }

// The message of the ConfigError that parsing `text` throws ("" if it does not throw).
std::string error_of(const std::string& text) {
    try {
        parse(text);
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "";
}

void expect_defaults(const Config& c) {
    EXPECT_EQ(c.station_id, "rekam-station");
    EXPECT_EQ(c.state_directory, "/var/lib/rekam");
    EXPECT_TRUE(c.spool_directory.empty());
    EXPECT_EQ(c.effective_spool(), "/var/lib/rekam/spool");
    EXPECT_TRUE(c.key_file.empty());
    EXPECT_TRUE(c.certificate_file.empty());
    EXPECT_TRUE(c.chain_file.empty());
    EXPECT_TRUE(c.ca_file.empty());
    EXPECT_THAT(c.documents, ElementsAre("kk-copy", "id-copy", "rt-letter"));
    EXPECT_THAT(c.drivers, ElementsAre("sim"));
    EXPECT_EQ(c.thresholds.fingerprint, 40);
    EXPECT_EQ(c.thresholds.iris, 60);
    EXPECT_EQ(c.thresholds.face, 50);
    EXPECT_EQ(c.capture_timeout_ms, 20000u);
    EXPECT_EQ(c.max_attempts, 10u);
    EXPECT_EQ(c.sim_frame_interval_ms, 250u);
    EXPECT_TRUE(c.sim_devices.empty());
}

// --- defaults, comments, whitespace ----------------------------------------------------------

TEST(ParseConfig, EmptyTextGivesTheDefaults) { expect_defaults(parse("")); }

TEST(ParseConfig, CommentsBlankLinesAndEmptySectionsGiveTheDefaults) {
    expect_defaults(
        parse("# rekamd.conf\n"
              "; a comment in the other style\n"
              "\n"
              "   \t  \n"
              "  # an indented comment\n"
              "[Station]\n"
              "[Quality]\n"
              "#Id=commented-out\n"
              ";FingerprintThreshold=99\n"));
}

TEST(ParseConfig, WhitespaceAroundSectionsKeysAndValuesIsIgnored) {
    const auto c = parse(
        "  [ Station ]  \n"
        "\tId   =   kec-coblong-01 \t\n"
        "[Quality]\n"
        "  IrisThreshold= 75\r\n");
    EXPECT_EQ(c.station_id, "kec-coblong-01");
    EXPECT_EQ(c.thresholds.iris, 75);
}

TEST(ParseConfig, CrLfLineEndingsAreAccepted) {
    const auto c = parse("[Station]\r\nId=win-edited\r\n[Capture]\r\nMaxAttempts=3\r\n");
    EXPECT_EQ(c.station_id, "win-edited");
    EXPECT_EQ(c.max_attempts, 3u);
}

TEST(ParseConfig, ValueMayContainEqualsSign) {
    EXPECT_EQ(parse("[Station]\nId=a=b\n").station_id, "a=b");
}

TEST(ParseConfig, LaterAssignmentWinsAndSectionsMayRepeat) {
    const auto c = parse(
        "[Station]\nId=first\n[Quality]\nFaceThreshold=10\n"
        "[Station]\nId=second\n");
    EXPECT_EQ(c.station_id, "second");
    EXPECT_EQ(c.thresholds.face, 10);
}

// --- every key ------------------------------------------------------------------------------

TEST(ParseConfig, EveryKeyOfEverySection) {
    const auto c = parse(R"([Station]
Id=kec-coblong-02
StateDirectory=/srv/rekam/state
SpoolDirectory=/srv/rekam/outbox
KeyFile=/etc/rekam/station.key
CertificateFile=/etc/rekam/station.crt
ChainFile=/etc/rekam/chain.pem
CAFile=/etc/rekam/dukcapil-ca.pem

[Requirements]
Documents=kk-copy rt-letter

[Drivers]
Enabled=sim

[Quality]
FingerprintThreshold=45
IrisThreshold=70
FaceThreshold=55

[Capture]
TimeoutMs=15000
MaxAttempts=5

[Simulator]
FrameIntervalMs=100
FingerprintCondition=dry
FingerprintStatus=busy
FingerprintDelayMs=10
IrisCondition=blurred
IrisStatus=not-ready
IrisDelayMs=20
FaceCondition=dark
FaceStatus=error
FaceDelayMs=30
)");
    EXPECT_EQ(c.station_id, "kec-coblong-02");
    EXPECT_EQ(c.state_directory, "/srv/rekam/state");
    EXPECT_EQ(c.spool_directory, "/srv/rekam/outbox");
    EXPECT_EQ(c.effective_spool(), "/srv/rekam/outbox");
    EXPECT_EQ(c.key_file, "/etc/rekam/station.key");
    EXPECT_EQ(c.certificate_file, "/etc/rekam/station.crt");
    EXPECT_EQ(c.chain_file, "/etc/rekam/chain.pem");
    EXPECT_EQ(c.ca_file, "/etc/rekam/dukcapil-ca.pem");
    EXPECT_THAT(c.documents, ElementsAre("kk-copy", "rt-letter"));
    EXPECT_THAT(c.drivers, ElementsAre("sim"));
    EXPECT_EQ(c.thresholds.fingerprint, 45);
    EXPECT_EQ(c.thresholds.iris, 70);
    EXPECT_EQ(c.thresholds.face, 55);
    EXPECT_EQ(c.capture_timeout_ms, 15000u);
    EXPECT_EQ(c.max_attempts, 5u);
    EXPECT_EQ(c.sim_frame_interval_ms, 100u);
    ASSERT_EQ(c.sim_devices.size(), 3u);
    const auto& fp = c.sim_devices.at("fingerprint");
    EXPECT_EQ(fp.condition, "dry");
    EXPECT_EQ(fp.status, DeviceStatus::Busy);
    EXPECT_EQ(fp.delay_ms, 10u);
    const auto& iris = c.sim_devices.at("iris");
    EXPECT_EQ(iris.condition, "blurred");
    EXPECT_EQ(iris.status, DeviceStatus::NotReady);
    EXPECT_EQ(iris.delay_ms, 20u);
    const auto& face = c.sim_devices.at("face");
    EXPECT_EQ(face.condition, "dark");
    EXPECT_EQ(face.status, DeviceStatus::Error);
    EXPECT_EQ(face.delay_ms, 30u);
}

TEST(ParseConfig, StateDirectoryMovesTheDefaultSpool) {
    const auto c = parse("[Station]\nStateDirectory=/srv/rekam\n");
    EXPECT_EQ(c.effective_spool(), "/srv/rekam/spool");
}

TEST(ParseConfig, SimulatorKeysOfOneKindLeaveTheOthersAlone) {
    const auto c = parse("[Simulator]\nIrisStatus=ready\n");
    ASSERT_EQ(c.sim_devices.size(), 1u);
    const auto& iris = c.sim_devices.at("iris");
    EXPECT_EQ(iris.status, DeviceStatus::Ready);
    EXPECT_EQ(iris.condition, "good");
    EXPECT_EQ(iris.delay_ms, 0u);
}

TEST(ParseConfig, DocumentsSeparatedBySpacesCommasOrBoth) {
    EXPECT_THAT(parse("[Requirements]\nDocuments=kk-copy id-copy\n").documents,
                ElementsAre("kk-copy", "id-copy"));
    EXPECT_THAT(parse("[Requirements]\nDocuments=kk-copy,id-copy,rt-letter\n").documents,
                ElementsAre("kk-copy", "id-copy", "rt-letter"));
    EXPECT_THAT(parse("[Requirements]\nDocuments= kk-copy , id-copy,,rt-letter ,\n").documents,
                ElementsAre("kk-copy", "id-copy", "rt-letter"));
    EXPECT_THAT(parse("[Requirements]\nDocuments=kk-copy\t id-copy\n").documents,
                ElementsAre("kk-copy", "id-copy"));
}

TEST(ParseConfig, ThresholdBoundsZeroAndHundredAreAccepted) {
    auto c = parse("[Quality]\nFingerprintThreshold=0\nIrisThreshold=100\nFaceThreshold=100\n");
    EXPECT_EQ(c.thresholds.fingerprint, 0);
    EXPECT_EQ(c.thresholds.iris, 100);
    EXPECT_EQ(c.thresholds.face, 100);
}

TEST(ParseConfig, UpperBoundsOfTheOtherNumbersAreAccepted) {
    const auto c = parse(
        "[Capture]\nTimeoutMs=600000\nMaxAttempts=1000\n"
        "[Simulator]\nFrameIntervalMs=60000\nFaceDelayMs=600000\n");
    EXPECT_EQ(c.capture_timeout_ms, 600000u);
    EXPECT_EQ(c.max_attempts, 1000u);
    EXPECT_EQ(c.sim_frame_interval_ms, 60000u);
    EXPECT_EQ(c.sim_devices.at("face").delay_ms, 600000u);
}

TEST(ParseConfig, SequenceThresholdIsACalibratedScore) {
    EXPECT_DOUBLE_EQ(parse("").sequence_threshold, bio::fingerprint::kSequenceThreshold);
    EXPECT_DOUBLE_EQ(parse("[Capture]\nSequenceThreshold=4.5\n").sequence_threshold, 4.5);
    EXPECT_DOUBLE_EQ(parse("[Capture]\nSequenceThreshold=3\n").sequence_threshold, 3.0);
    EXPECT_EQ(error_of("[Capture]\nSequenceThreshold=12\n"),
              "rekamd.conf:2: SequenceThreshold= must be between 1 and 8");
    EXPECT_EQ(error_of("[Capture]\nSequenceThreshold=high\n"),
              "rekamd.conf:2: SequenceThreshold= must be a number, got \"high\"");
    EXPECT_EQ(error_of("[Capture]\nSequenceThreshold=nan\n"),
              "rekamd.conf:2: SequenceThreshold= must be between 1 and 8");
}

// --- errors: "origin:line: ..." naming the key -----------------------------------------------

TEST(ParseConfigErrors, UnknownSection) {
    EXPECT_EQ(error_of("# header\n\n[Stations]\nId=x\n"),
              "rekamd.conf:3: unknown section [Stations]");
}

TEST(ParseConfigErrors, SectionHeaderWithoutClosingBracket) {
    EXPECT_EQ(error_of("[Station\n"), "rekamd.conf:1: a section header must end with ']'");
}

TEST(ParseConfigErrors, UnknownKeyNamesKeyAndSection) {
    EXPECT_EQ(error_of("[Station]\nName=x\n"), "rekamd.conf:2: unknown key Name= in [Station]");
    EXPECT_EQ(error_of("[Capture]\nTimeout=5\n"),
              "rekamd.conf:2: unknown key Timeout= in [Capture]");
    // Keys are case-sensitive, like systemd's.
    EXPECT_EQ(error_of("[Station]\nid=x\n"), "rekamd.conf:2: unknown key id= in [Station]");
    // A key that belongs to another section.
    EXPECT_EQ(error_of("[Quality]\nTimeoutMs=5\n"),
              "rekamd.conf:2: unknown key TimeoutMs= in [Quality]");
}

TEST(ParseConfigErrors, UnknownSimulatorKeys) {
    for (const char* key : {"FingerprintColour", "Fingerprint", "Iris", "ThumbStatus", "Delay",
                            "fingerprintStatus"}) {
        const auto msg = error_of(std::string("[Simulator]\n") + key + "=1\n");
        EXPECT_EQ(msg, "rekamd.conf:2: unknown key " + std::string(key) + "= in [Simulator]");
    }
}

TEST(ParseConfigErrors, MissingEqualsSign) {
    EXPECT_EQ(error_of("[Station]\nId kec-01\n"),
              "rekamd.conf:2: expected Key=Value, got \"Id kec-01\"");
}

TEST(ParseConfigErrors, KeyBeforeAnySection) {
    EXPECT_EQ(error_of("# top\nId=kec-01\n[Station]\n"),
              "rekamd.conf:2: Key=Value before any [Section]");
}

TEST(ParseConfigErrors, RelativePathsAreRefusedNamingTheKey) {
    for (const char* key : {"StateDirectory", "SpoolDirectory", "KeyFile", "CertificateFile",
                            "ChainFile", "CAFile"}) {
        const auto msg = error_of(std::string("[Station]\n") + key + "=var/lib/rekam\n");
        EXPECT_EQ(msg, "rekamd.conf:2: " + std::string(key) + "= must be an absolute path");
    }
    EXPECT_THAT(error_of("[Station]\nKeyFile=./station.key\n"), HasSubstr("KeyFile="));
}

TEST(ParseConfigErrors, EmptyStateDirectoryIsRefused) {
    // An empty StateDirectory= would slip past the absolute-path check and make the daemon
    // put its key, certificate, registration book and spool relative to its working directory.
    EXPECT_EQ(error_of("[Station]\nStateDirectory=\n"),
              "rekamd.conf:2: StateDirectory= must not be empty");
}

TEST(ParseConfig, EmptyOptionalPathsMeanTheirDefault) {
    const auto c =
        parse("[Station]\nSpoolDirectory=\nKeyFile=\nCertificateFile=\nChainFile=\nCAFile=\n");
    EXPECT_TRUE(c.key_file.empty());
    EXPECT_TRUE(c.ca_file.empty());
    EXPECT_TRUE(c.certificate_file.empty());
    EXPECT_TRUE(c.chain_file.empty());
    EXPECT_EQ(c.effective_spool(), "/var/lib/rekam/spool");
}

TEST(ParseConfigErrors, NumbersOutOfRange) {
    const struct {
        const char* text;
        const char* message;
    } cases[] = {
        {"[Quality]\nFingerprintThreshold=101\n", "FingerprintThreshold= must be at most 100"},
        {"[Quality]\nIrisThreshold=255\n", "IrisThreshold= must be at most 100"},
        {"[Quality]\nFaceThreshold=1000\n", "FaceThreshold= must be at most 100"},
        {"[Capture]\nTimeoutMs=600001\n", "TimeoutMs= must be at most 600000"},
        {"[Capture]\nMaxAttempts=1001\n", "MaxAttempts= must be at most 1000"},
        {"[Capture]\nMaxAttempts=0\n", "MaxAttempts= must be at least 1"},
        {"[Capture]\nTimeoutMs=0\n", "TimeoutMs= must be at least 1"},
        {"[Simulator]\nFrameIntervalMs=60001\n", "FrameIntervalMs= must be at most 60000"},
        {"[Simulator]\nIrisDelayMs=600001\n", "IrisDelayMs= must be at most 600000"},
    };
    for (const auto& c : cases)
        EXPECT_EQ(error_of(c.text), "rekamd.conf:2: " + std::string(c.message)) << c.text;
}

TEST(ParseConfigErrors, NotANumber) {
    for (const char* value :
         {"", "abc", "-1", "+5", "12abc", "4 0", "0x10", "1.5", "99999999999"}) {
        const auto msg = error_of(std::string("[Quality]\nFaceThreshold=") + value + "\n");
        EXPECT_EQ(msg, "rekamd.conf:2: FaceThreshold= must be a whole number, got \"" +
                           std::string(value) + "\"")
            << value;
    }
    EXPECT_THAT(error_of("[Capture]\nTimeoutMs=twenty\n"),
                StartsWith("rekamd.conf:2: TimeoutMs= must be a whole number"));
    EXPECT_THAT(error_of("[Simulator]\nFingerprintDelayMs=-3\n"),
                StartsWith("rekamd.conf:2: FingerprintDelayMs= must be a whole number"));
}

TEST(ParseConfigErrors, EmptyStationId) {
    EXPECT_EQ(error_of("[Station]\nId=\n"), "rekamd.conf:2: Id= must not be empty");
    EXPECT_EQ(error_of("[Station]\nId=   \n"), "rekamd.conf:2: Id= must not be empty");
}

TEST(ParseConfigErrors, UnknownDriver) {
    // The message lists what this build has (sim always; fprint and v4l2 when their libraries
    // were found at build time).
    std::string have;
    for (const auto& d : rekam::available_drivers()) have += (have.empty() ? "" : ", ") + d;
    EXPECT_EQ(have.rfind("sim", 0), 0u);
    EXPECT_EQ(error_of("[Drivers]\nEnabled=sim, wacom\n"),
              "rekamd.conf:2: unknown driver \"wacom\" (this build has: " + have + ")");
    EXPECT_EQ(error_of("[Drivers]\nEnabled=Sim\n"),
              "rekamd.conf:2: unknown driver \"Sim\" (this build has: " + have + ")");
}

TEST(ParseConfigErrors, BadSimulatorStatus) {
    EXPECT_EQ(error_of("[Simulator]\nFaceStatus=broken\n"),
              "rekamd.conf:2: FaceStatus= must be ready, busy, not-ready or error");
}

TEST(ParseConfigErrors, LineNumbersCountCommentsAndBlankLines) {
    EXPECT_THAT(error_of("[Station]\n# one\n\n; two\n\nId=ok\nBogus=1\n"),
                StartsWith("rekamd.conf:7: unknown key Bogus="));
}

TEST(ParseConfigErrors, OriginNamesTheFile) {
    try {
        parse_config("[Nope]\n", "/etc/rekam/rekamd.conf");
        FAIL() << "expected a ConfigError";
    } catch (const ConfigError& e) {
        EXPECT_STREQ(e.what(), "/etc/rekam/rekamd.conf:1: unknown section [Nope]");
    }
}

// --- load_config ----------------------------------------------------------------------------

TEST(LoadConfig, MissingFileGivesDefaultsUnlessItMustExist) {
    testing::TempDir dir;
    const auto missing = dir.path() / "rekamd.conf";
    expect_defaults(load_config(missing, false));
    try {
        load_config(missing, true);
        FAIL() << "expected a ConfigError";
    } catch (const ConfigError& e) {
        EXPECT_THAT(e.what(), HasSubstr(missing.string()));
        EXPECT_THAT(e.what(), HasSubstr("cannot be read"));
    }
}

TEST(LoadConfig, ReadsTheFileAndNamesItInErrors) {
    testing::TempDir dir;
    const auto file = dir.path() / "rekamd.conf";
    testing::write_text(file, "[Station]\nId=from-file\n");
    EXPECT_EQ(load_config(file, true).station_id, "from-file");

    testing::write_text(file, "[Station]\nId=from-file\nColour=red\n");
    try {
        load_config(file, false);
        FAIL() << "expected a ConfigError";
    } catch (const ConfigError& e) {
        EXPECT_EQ(std::string(e.what()), file.string() + ":3: unknown key Colour= in [Station]");
    }
}

}  // namespace
}  // namespace rekam

namespace rekam {
namespace {

TEST(ParseConfig, PolkitIsOnByDefaultAndCanBeTurnedOff) {
    EXPECT_TRUE(parse("").polkit);
    EXPECT_EQ(parse("").polkit_timeout_ms, 20000u);
    EXPECT_FALSE(parse("[Security]\nPolkit=no\n").polkit);
    EXPECT_TRUE(parse("[Security]\nPolkit=yes\nPolkitTimeoutMs=1500\n").polkit);
    EXPECT_EQ(parse("[Security]\nPolkitTimeoutMs=1500\n").polkit_timeout_ms, 1500u);
}

TEST(ParseConfig, PolkitValuesAreChecked) {
    EXPECT_THAT(error_of("[Security]\nPolkit=maybe\n"),
                HasSubstr("rekamd.conf:2: Polkit= must be yes or no"));
    EXPECT_THAT(error_of("[Security]\nPolkitTimeoutMs=0\n"), HasSubstr("at least 1"));
}

}  // namespace
}  // namespace rekam

// --- [V4L2] camera controls ------------------------------------------------------------------

namespace rekam {
namespace {

TEST(ParseConfig, CameraControlsAreUnsetByDefault) { EXPECT_TRUE(parse("").v4l2_controls.empty()); }

TEST(ParseConfig, CameraControlsOfEachRole) {
    const auto c = parse(
        "[V4L2]\nIrisExposure=250\nIrisGain=0\nIrisFocus=auto\nIrisIllumination=on\n"
        "FaceExposure=auto\nFaceFocus=2147483647\nFaceIllumination=off\n");
    ASSERT_EQ(c.v4l2_controls.size(), 2u);
    const auto& iris = c.v4l2_controls.at("iris");
    EXPECT_EQ(iris.exposure, (CameraControlSetting{false, 250}));
    EXPECT_EQ(iris.gain, (CameraControlSetting{false, 0}));
    EXPECT_EQ(iris.focus, (CameraControlSetting{true, 0}));
    EXPECT_EQ(iris.illumination, true);
    const auto& face = c.v4l2_controls.at("face");
    EXPECT_EQ(face.exposure, (CameraControlSetting{true, 0}));
    EXPECT_FALSE(face.gain.has_value()) << "unset: the camera keeps its own gain";
    EXPECT_EQ(face.focus, (CameraControlSetting{false, 2147483647}));
    EXPECT_EQ(face.illumination, false);
}

TEST(ParseConfig, IlluminationTakesOnOffAndTheBooleanSpellings) {
    for (const char* on : {"on", "yes", "true", "1"})
        EXPECT_EQ(parse(std::string("[V4L2]\nIrisIllumination=") + on + "\n")
                      .v4l2_controls.at("iris")
                      .illumination,
                  true)
            << on;
    for (const char* off : {"off", "no", "false", "0"})
        EXPECT_EQ(parse(std::string("[V4L2]\nIrisIllumination=") + off + "\n")
                      .v4l2_controls.at("iris")
                      .illumination,
                  false)
            << off;
}

TEST(ParseConfig, AnEmptyCameraControlUnsetsAnEarlierOne) {
    const auto c = parse(
        "[V4L2]\nIrisExposure=250\nIrisIllumination=on\nIrisExposure=\n"
        "IrisIllumination=\n");
    const auto& iris = c.v4l2_controls.at("iris");
    EXPECT_FALSE(iris.exposure.has_value());
    EXPECT_FALSE(iris.illumination.has_value());
}

TEST(ParseConfigErrors, BadCameraControlValues) {
    const struct {
        const char* text;
        const char* message;
    } cases[] = {
        {"IrisExposure=fast",
         "IrisExposure= must be auto or a whole number (the camera's units), "
         "got \"fast\""},
        {"IrisGain=-5",
         "IrisGain= must be auto or a whole number (the camera's units), got \"-5\""},
        {"FaceFocus=Auto",
         "FaceFocus= must be auto or a whole number (the camera's units), got "
         "\"Auto\""},
        {"FaceExposure=1.5",
         "FaceExposure= must be auto or a whole number (the camera's units), "
         "got \"1.5\""},
        {"IrisFocus=12 mm",
         "IrisFocus= must be auto or a whole number (the camera's units), got "
         "\"12 mm\""},
        {"IrisExposure=2147483648", "IrisExposure= must be at most 2147483647"},
        {"IrisIllumination=auto", "IrisIllumination= must be on or off, got \"auto\""},
        {"FaceIllumination=bright", "FaceIllumination= must be on or off, got \"bright\""},
    };
    for (const auto& c : cases)
        EXPECT_EQ(error_of(std::string("[V4L2]\n") + c.text + "\n"),
                  "rekamd.conf:2: " + std::string(c.message))
            << c.text;
}

TEST(ParseConfigErrors, UnknownCameraControlKeys) {
    for (const char* key : {"IrisZoom", "Exposure", "FingerprintExposure", "irisExposure",
                            "IrisExposureAuto", "Iris"}) {
        EXPECT_EQ(error_of(std::string("[V4L2]\n") + key + "=1\n"),
                  "rekamd.conf:2: unknown key " + std::string(key) + "= in [V4L2]");
    }
    // Controls belong to [V4L2], not [Capture].
    EXPECT_EQ(error_of("[Capture]\nIrisExposure=1\n"),
              "rekamd.conf:2: unknown key IrisExposure= in [Capture]");
}

}  // namespace
}  // namespace rekam

namespace rekam {
namespace {

TEST(ParseConfig, PackageFormatsAndTheCard) {
    const Config d = parse("");
    EXPECT_EQ(d.card.budget, 8192);
    EXPECT_LT(d.card.reserved, d.card.budget);
    EXPECT_EQ(d.card.max_minutiae, 60);
    const Config c = parse(
        "[Package]\nFingerImageFormat=jp2-lossless\nIrisImageFormat=jp2\nFaceImageFormat=jp2\n"
        "[Card]\nBudget=16384\nReserved=1024\nMaxMinutiae=48\n");
    EXPECT_EQ(c.image_formats.finger, "jp2-lossless");
    EXPECT_EQ(c.image_formats.iris, "jp2");
    EXPECT_EQ(c.image_formats.face, "jp2");
    EXPECT_EQ(c.card.budget, 16384);
    EXPECT_EQ(c.card.reserved, 1024);
    EXPECT_EQ(c.card.max_minutiae, 48);
}

TEST(ParseConfig, SignaturePadKeys) {
    const Config defaults = parse("");
    EXPECT_TRUE(defaults.signature.device.empty());
    EXPECT_EQ(defaults.signature.end_after_lift_ms, 2000u);
    EXPECT_EQ(defaults.thresholds.signature, 60);
    const Config c = parse(
        "[Signature]\nDevice=/dev/input/event7\nEndAfterLiftMs=0\n"
        "[Quality]\nSignatureThreshold=70\n[Simulator]\nSignatureCondition=partial\n");
    EXPECT_EQ(c.signature.device, "/dev/input/event7");
    EXPECT_EQ(c.signature.end_after_lift_ms, 0u);
    EXPECT_EQ(c.thresholds.signature, 70);
    EXPECT_EQ(c.sim_devices.at("signature").condition, "partial");
    EXPECT_THAT(error_of("[Signature]\nDevice=event7\n"), HasSubstr("absolute path"));
    EXPECT_THAT(error_of("[Signature]\nEndAfterLiftMs=90000\n"), HasSubstr("EndAfterLiftMs="));
    EXPECT_THAT(error_of("[Signature]\nBox=1\n"), HasSubstr("unknown key"));
}

TEST(ParseConfigErrors, PackageFormatsAndCardValuesAreChecked) {
    EXPECT_THAT(error_of("[Package]\nFingerImageFormat=jpeg\n"),
                HasSubstr("FingerImageFormat= must be one of wsq, jp2-lossless, png"));
    EXPECT_THAT(error_of("[Package]\nIrisImageFormat=wsq\n"), HasSubstr("IrisImageFormat="));
    EXPECT_THAT(error_of("[Card]\nMaxMinutiae=300\n"), HasSubstr("at most 255"));
    EXPECT_THAT(error_of("[Card]\nBudget=4096\nReserved=4096\n"),
                HasSubstr("Reserved=4096 leaves nothing of Budget=4096"));
    // Checked once everything is read, whatever the order of the keys.
    EXPECT_EQ(error_of("[Card]\nReserved=9000\nBudget=16384\n"), "");
}

TEST(ParseConfig, RecipientCertificatesAddUpAndAnEmptyValueClears) {
    EXPECT_TRUE(parse("").recipient_certificates.empty());
    const Config c = parse(
        "[Package]\nRecipientCertificate=/etc/rekam/adminduk-2026.pem\n"
        "RecipientCertificate=/etc/rekam/adminduk-2027.pem /etc/rekam/adminduk-dr.pem\n");
    EXPECT_EQ(c.recipient_certificates,
              (std::vector<std::filesystem::path>{"/etc/rekam/adminduk-2026.pem",
                                                  "/etc/rekam/adminduk-2027.pem",
                                                  "/etc/rekam/adminduk-dr.pem"}));
    EXPECT_TRUE(parse("[Package]\nRecipientCertificate=/a.pem\nRecipientCertificate=\n")
                    .recipient_certificates.empty());
    EXPECT_NE(error_of("[Package]\nRecipientCertificate=/ok.pem adminduk.pem\n")
                  .find("rekamd.conf:2: RecipientCertificate= needs absolute paths"),
              std::string::npos);
}

}  // namespace
}  // namespace rekam
