#include "daemon/config.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <functional>
#include <limits>
#include <sstream>

#include "biometrics/fingerprint/calibration.h"
#include "common/strings.h"
#include "daemon/driver_factory.h"

namespace rekam {
namespace {

// Hand-written because the format is tiny and systemd's own parser is not a public API;
// a library (GKeyFile, Boost) would bring more than it saves. Strict: unknown sections and
// keys are errors, so a typo never silently falls back to a default.

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r");
    if (b == std::string::npos) return {};
    const auto e = s.find_last_not_of(" \t\r");
    return s.substr(b, e - b + 1);
}

std::vector<std::string> split_list(const std::string& value) {
    std::vector<std::string> out;
    std::string item;
    std::istringstream in(value);
    while (in >> item) {
        std::string::size_type start = 0, comma;
        while ((comma = item.find(',', start)) != std::string::npos) {
            if (comma > start) out.push_back(item.substr(start, comma - start));
            start = comma + 1;
        }
        if (start < item.size()) out.push_back(item.substr(start));
    }
    return out;
}

class Parser {
  public:
    Parser(Config& config, std::string origin) : c_(config), origin_(std::move(origin)) {}

    void line(int number, const std::string& raw) {
        line_ = number;
        const std::string text = trim(raw);
        if (text.empty() || text[0] == '#' || text[0] == ';') return;
        if (text.front() == '[') {
            if (text.back() != ']') fail("a section header must end with ']'");
            section_ = trim(text.substr(1, text.size() - 2));
            if (!known_section(section_)) fail("unknown section [" + section_ + "]");
            return;
        }
        const auto eq = text.find('=');
        if (eq == std::string::npos) fail("expected Key=Value, got \"" + text + "\"");
        if (section_.empty()) fail("Key=Value before any [Section]");
        key_ = trim(text.substr(0, eq));
        value_ = trim(text.substr(eq + 1));
        assign();
    }

  private:
    [[noreturn]] void fail(const std::string& why) const {
        throw ConfigError(origin_ + ":" + std::to_string(line_) + ": " + why);
    }

    static bool known_section(const std::string& s) {
        return s == "Station" || s == "Requirements" || s == "Drivers" || s == "Quality" ||
               s == "Capture" || s == "Simulator" || s == "Security" || s == "V4L2" ||
               s == "Package" || s == "Card" || s == "Signature" || s == "Spool";
    }

    std::uint32_t number(std::uint32_t max, std::uint32_t min = 0) const {
        std::uint32_t v = 0;
        const auto* end = value_.data() + value_.size();
        auto [ptr, ec] = std::from_chars(value_.data(), end, v);
        if (ec != std::errc() || ptr != end || value_.empty())
            fail(key_ + "= must be a whole number, got \"" + value_ + "\"");
        if (v > max) fail(key_ + "= must be at most " + std::to_string(max));
        if (v < min) fail(key_ + "= must be at least " + std::to_string(min));
        return v;
    }

    double decimal(double max, double min) const {
        double v = 0;
        const auto* end = value_.data() + value_.size();
        auto [ptr, ec] = std::from_chars(value_.data(), end, v);
        if (ec != std::errc() || ptr != end || value_.empty())
            fail(key_ + "= must be a number, got \"" + value_ + "\"");
        if (!(v >= min && v <= max))  // NaN too
            fail(key_ + "= must be between " + format_decimal(min) + " and " + format_decimal(max));
        return v;
    }

    static std::string format_decimal(double v) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%g", v);
        return buf;
    }

    std::string one_of(std::initializer_list<const char*> allowed) const {
        for (const char* a : allowed)
            if (value_ == a) return value_;
        fail(key_ + "= must be one of " + join(allowed, ", ") + ", got \"" + value_ + "\"");
    }

    bool boolean() const {
        if (value_ == "yes" || value_ == "true" || value_ == "1" || value_ == "on") return true;
        if (value_ == "no" || value_ == "false" || value_ == "0" || value_ == "off") return false;
        fail(key_ + "= must be yes or no, got \"" + value_ + "\"");
    }

    std::filesystem::path path(bool required = false) const {
        if (required && value_.empty()) fail(key_ + "= must not be empty");
        if (!value_.empty() && value_[0] != '/') fail(key_ + "= must be an absolute path");
        return value_;
    }

    drivers::sim::SimDeviceState& sim_device(const std::string& kind) {
        return c_.sim_devices[kind];
    }

    void assign() {
        const std::string where = section_ + "/" + key_;
        if (where == "Station/Id") {
            if (value_.empty()) fail("Id= must not be empty");
            c_.station_id = value_;
        } else if (where == "Station/StateDirectory")
            c_.state_directory = path(true);
        else if (where == "Station/SpoolDirectory")
            c_.spool_directory = path();
        else if (where == "Station/KeyFile")
            c_.key_file = path();
        else if (where == "Station/CertificateFile")
            c_.certificate_file = path();
        else if (where == "Signature/Device")
            c_.signature.device = path();
        else if (where == "Signature/EndAfterLiftMs")
            c_.signature.end_after_lift_ms = number(60000);
        else if (where == "Station/ChainFile")
            c_.chain_file = path();
        else if (where == "Station/CAFile")
            c_.ca_file = path();
        else if (where == "Requirements/Documents")
            c_.documents = split_list(value_);
        else if (where == "Drivers/Enabled") {
            c_.drivers = split_list(value_);
            for (const auto& d : c_.drivers) {
                const auto& known = available_drivers();
                if (std::find(known.begin(), known.end(), d) != known.end()) continue;
                fail("unknown driver \"" + d + "\" (this build has: " + join(known) + ")");
            }
        } else if (where == "Quality/FingerprintThreshold")
            c_.thresholds.fingerprint = static_cast<int>(number(100));
        else if (where == "Quality/IrisThreshold")
            c_.thresholds.iris = static_cast<int>(number(100));
        else if (where == "Quality/FaceThreshold")
            c_.thresholds.face = static_cast<int>(number(100));
        else if (where == "Quality/SignatureThreshold")
            c_.thresholds.signature = static_cast<int>(number(100));
        else if (where == "Capture/TimeoutMs")
            c_.capture_timeout_ms = number(600000, 1);
        else if (where == "Capture/MaxAttempts")
            c_.max_attempts = number(1000, 1);
        else if (where == "Capture/SequenceThreshold")
            c_.sequence_threshold = decimal(bio::fingerprint::kMaxScore, 1);
        else if (where == "V4L2/IrisDevice")
            c_.v4l2_devices["iris"] = path();
        else if (where == "V4L2/FaceDevice")
            c_.v4l2_devices["face"] = path();
        else if (section_ == "V4L2")
            camera_control_key();
        else if (where == "Simulator/FrameIntervalMs")
            c_.sim_frame_interval_ms = number(60000);
        else if (where == "Station/BookCheckpointEvery")
            c_.book_checkpoint_every = number(100000, 1);
        else if (where == "Spool/MaxAgeDays")
            c_.spool_max_age_days = number(36500);
        else if (where == "Package/RecipientCertificate")
            recipient_certificates();
        else if (where == "Package/FingerImageFormat")
            c_.image_formats.finger = one_of({"wsq", "jp2-lossless", "png"});
        else if (where == "Package/IrisImageFormat")
            c_.image_formats.iris = one_of({"jp2-lossless", "jp2", "png"});
        else if (where == "Package/FaceImageFormat")
            c_.image_formats.face = one_of({"jpeg", "jp2", "jp2-lossless"});
        else if (where == "Card/Budget")
            c_.card.budget = static_cast<int>(number(1 << 20, 512));
        else if (where == "Card/Reserved")
            c_.card.reserved = static_cast<int>(number(1 << 20));
        else if (where == "Card/MaxMinutiae")
            c_.card.max_minutiae = static_cast<int>(number(255, 12));
        else if (where == "Security/Polkit")
            c_.polkit = boolean();
        else if (where == "Security/PolkitTimeoutMs")
            c_.polkit_timeout_ms = number(600000, 1);
        else if (section_ == "Simulator")
            sim_key();
        else
            fail("unknown key " + key_ + "= in [" + section_ + "]");
    }

    // "auto" or a whole number in the camera's own units; empty: leave the camera's setting.
    std::optional<CameraControlSetting> control_setting() const {
        if (value_.empty()) return std::nullopt;
        if (value_ == "auto") return CameraControlSetting{true, 0};
        std::int32_t v = 0;
        const auto* end = value_.data() + value_.size();
        auto [ptr, ec] = std::from_chars(value_.data(), end, v);
        if (ec == std::errc::result_out_of_range && value_[0] != '-')
            fail(key_ + "= must be at most " +
                 std::to_string(std::numeric_limits<std::int32_t>::max()));
        if (ec != std::errc() || ptr != end || v < 0)
            fail(key_ + "= must be auto or a whole number (the camera's units), got \"" + value_ +
                 "\"");
        return CameraControlSetting{false, v};
    }

    std::optional<bool> switch_setting() const {
        if (value_.empty()) return std::nullopt;
        if (value_ == "on" || value_ == "yes" || value_ == "true" || value_ == "1") return true;
        if (value_ == "off" || value_ == "no" || value_ == "false" || value_ == "0") return false;
        fail(key_ + "= must be on or off, got \"" + value_ + "\"");
    }

    // [Package] RecipientCertificate=: absolute paths, space-separated; each line adds to the
    // list (two certificates while the central key is rotated), an empty value clears it.
    void recipient_certificates() {
        if (value_.empty()) c_.recipient_certificates.clear();
        for (const auto& item : split_list(value_)) {
            std::filesystem::path file(item);
            if (!file.is_absolute())
                fail("RecipientCertificate= needs absolute paths, got \"" + item + "\"");
            c_.recipient_certificates.push_back(std::move(file));
        }
    }

    // [V4L2] <Role><Control>=, e.g. IrisExposure=200, FaceFocus=auto, IrisIllumination=on.
    void camera_control_key() {
        for (const char* role : {"Iris", "Face"}) {
            const std::string r = role;
            if (key_.rfind(r, 0) != 0) continue;
            auto& controls = c_.v4l2_controls[r == "Iris" ? "iris" : "face"];
            const std::string control = key_.substr(r.size());
            if (control == "Exposure")
                controls.exposure = control_setting();
            else if (control == "Gain")
                controls.gain = control_setting();
            else if (control == "Focus")
                controls.focus = control_setting();
            else if (control == "Illumination")
                controls.illumination = switch_setting();
            else
                break;
            return;
        }
        fail("unknown key " + key_ + "= in [V4L2]");
    }

    // [Simulator] <Kind><Setting>=..., e.g. FingerprintCondition=dry, IrisStatus=not-ready.
    void sim_key() {
        static const std::vector<std::string> kinds = {"Fingerprint", "Iris", "Face", "Signature"};
        for (const auto& kind : kinds) {
            if (key_.rfind(kind, 0) != 0) continue;
            std::string lower = kind;
            lower[0] = static_cast<char>(lower[0] - 'A' + 'a');
            auto& state = sim_device(lower);
            const std::string setting = key_.substr(kind.size());
            if (setting == "Condition") {
                state.condition = value_;
            } else if (setting == "Status") {
                auto status = drivers::sim::parse_status(value_);
                if (!status) fail(key_ + "= must be ready, busy, not-ready or error");
                state.status = *status;
            } else if (setting == "DelayMs") {
                state.delay_ms = number(600000);
            } else {
                break;
            }
            return;
        }
        fail("unknown key " + key_ + "= in [Simulator]");
    }

    Config& c_;
    std::string origin_;
    int line_ = 0;
    std::string section_, key_, value_;
};

}  // namespace

Config parse_config(const std::string& text, const std::string& origin) {
    Config config;
    Parser parser(config, origin);
    std::istringstream in(text);
    std::string line;
    int number = 0;
    while (std::getline(in, line)) parser.line(++number, line);
    // Keys that only make sense together: checked once all are read, whatever their order.
    if (config.card.reserved >= config.card.budget)
        throw ConfigError(origin + ": [Card] Reserved=" + std::to_string(config.card.reserved) +
                          " leaves nothing of Budget=" + std::to_string(config.card.budget));
    return config;
}

Config load_config(const std::filesystem::path& path, bool must_exist) {
    std::ifstream in(path);
    if (!in) {
        if (must_exist) throw ConfigError(path.string() + ": cannot be read");
        return Config{};
    }
    std::stringstream buffer;
    buffer << in.rdbuf();
    return parse_config(buffer.str(), path.string());
}

}  // namespace rekam
