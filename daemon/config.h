// rekamd.conf: systemd-style INI ("[Section]" and "Key=Value" lines, '#' or ';' comments).
// Every key has a default that works, so a station runs with an empty or missing file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "biometrics/fingerprint/sequence.h"
#include "drivers/sim/sim_faults.h"

namespace rekam {

struct QualityThresholds {
    int fingerprint = 40;  // MOSIP registration-client defaults: slaps/thumbs 40 ...
    int iris = 60;         // ... iris 60
    int face = 50;
    // The signature's own score (rekam-signature/1): feedback says "good" from 60, and every
    // failure the tests make scores below 30 (biometrics/signature/quality.h).
    int signature = 60;
};

// [V4L2] <Role>Exposure=, <Role>Gain=, <Role>Focus=: the camera's auto mode or a value in its
// own units; unset leaves the camera's setting alone.
struct CameraControlSetting {
    bool automatic = false;
    std::int32_t value = 0;
    bool operator==(const CameraControlSetting&) const = default;
};

struct CameraControlsConfig {
    std::optional<CameraControlSetting> exposure, gain, focus;
    std::optional<bool> illumination;  // <Role>Illumination=: the NIR LEDs on or off
};

// [Package] <Modality>ImageFormat=: the codec inside each image record. The defaults keep every
// finger and iris pixel: WSQ costs rekam's matcher accuracy, and lossless JPEG 2000 is no smaller
// than PNG on prints but 7 % smaller on irises; JPEG is the smallest face (docs/package-format.md).
struct ImageFormats {
    std::string finger = "png";         // wsq | jp2-lossless | png
    std::string iris = "jp2-lossless";  // jp2-lossless | jp2 | png
    std::string face = "jpeg";          // jpeg | jp2 | jp2-lossless
};

// [Card]: the e-KTP chip the package's card/ is made for.
struct CardConfig {
    int budget = 8192;      // Budget=: the chip's bytes
    int reserved = 1536;    // Reserved=: kept for the biodata (~0.5 KB), file system and keys
    int max_minutiae = 60;  // MaxMinutiae=: per index-finger template, as the applet states
};

// [Signature]: the signature pad of the evdev driver.
struct SignatureConfig {
    // Device=: the pad's event node when udev gives no ID_REKAM_ROLE=signature. An event node's
    // number can change across boots; a udev rule or hwdb entry is the lasting way.
    std::filesystem::path device;
    // EndAfterLiftMs=: the pen up this long ends a signature (0: only Session.ConfirmSignature
    // does). A pause for the person, not a fitted value (drivers/pen_capture.h says why 2 s).
    std::uint32_t end_after_lift_ms = 2000;
};

struct Config {
    std::string station_id = "rekam-station";
    std::filesystem::path state_directory = "/var/lib/rekam";
    std::filesystem::path spool_directory;  // default: <state>/spool
    // [Spool] MaxAgeDays=: a package Adminduk has not acknowledged this many days after its
    // enrollment is removed unsent (booked, logged). 0: kept until acknowledged, however long;
    // an unsent package is the citizen's only record, so removing it is the office's choice.
    std::uint32_t spool_max_age_days = 0;
    std::filesystem::path key_file;  // empty: a self-signed key in the state directory
    std::filesystem::path certificate_file;
    std::filesystem::path chain_file;  // optional intermediate certificates (PEM)
    // The CA (PEM) the station certificates chain to: `rekamctl verify`'s trust anchor when no
    // --ca is given. rekamd itself does not read it.
    std::filesystem::path ca_file;
    // [Station] BookCheckpointEvery=: a signed checkpoint in the registration book after this
    // many entries (and at every stop), so a verifier can tell an edit, a forged checkpoint or a
    // cut-off tail (daemon/book_checkpoint.h).
    std::uint32_t book_checkpoint_every = 100;
    std::vector<std::string> documents = {"kk-copy", "id-copy", "rt-letter"};  // SOP step 2
    std::vector<std::string> drivers = {"sim"};
    QualityThresholds thresholds;
    std::uint32_t capture_timeout_ms = 20000;
    std::uint32_t max_attempts = 10;
    // [Capture] SequenceThreshold=: the calibrated match score (-log10 FMR, matcher.h) at which
    // a new print counts as a finger already captured; the default holds false alarms to 0.5 %
    // of genuine ten-finger enrollments (sequence.h).
    double sequence_threshold = bio::fingerprint::kSequenceThreshold;
    // [V4L2] IrisDevice=, FaceDevice=: which capture node is which camera ("iris"/"face").
    std::map<std::string, std::filesystem::path> v4l2_devices;
    // [V4L2] IrisExposure=, FaceFocus=, ...: controls set at every stream start, by role.
    std::map<std::string, CameraControlsConfig> v4l2_controls;
    // [Simulator]
    std::uint32_t sim_frame_interval_ms = 250;
    std::map<std::string, drivers::sim::SimDeviceState> sim_devices;  // by kind name
    ImageFormats image_formats;
    // [Package] RecipientCertificate=: the central server's certificates (PEM) every package is
    // sealed to (biometrics/package/seal.h); none: packages are signed only, readable by whoever
    // copies the spool.
    std::vector<std::filesystem::path> recipient_certificates;
    CardConfig card;
    SignatureConfig signature;
    // [Security]: ask polkit for every privileged call (off only for private-bus tests, demos).
    bool polkit = true;
    std::uint32_t polkit_timeout_ms = 20000;  // no answer by then: refused (under sd-bus's 25 s)

    std::filesystem::path effective_spool() const {
        return spool_directory.empty() ? state_directory / "spool" : spool_directory;
    }
};

struct ConfigError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Parse configuration text; `origin` names the file in error messages ("rekamd.conf:12: ...").
Config parse_config(const std::string& text, const std::string& origin);
// Load a file; a missing file gives the defaults when `must_exist` is false.
Config load_config(const std::filesystem::path& path, bool must_exist);

}  // namespace rekam
