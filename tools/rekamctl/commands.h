// rekamctl's verbs. Each returns an exit code (output.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace rekam::ctl {

struct Global {
    std::string bus_address;
    bool json = false;
};

struct EnrollOptions {
    std::string nik, kk, operator_id, name;
    std::vector<std::string> documents;
    std::vector<std::string> exceptions;  // "position=reason"
    std::uint32_t requested_score = 0;    // 0: the station's default
    std::uint32_t timeout_ms = 0;         // 0: the station's default
    std::uint32_t max_attempts = 0;       // 0: until the score or the timeout
    std::string contact_sheet;
};

struct BookOptions {
    std::uint32_t limit = 0;  // 0: the whole book
    bool verify = false;      // re-compute the hash chain and check the checkpoints
    std::string ca_file;      // --ca: the checkpoints' signer must chain to it
    std::string config = "/etc/rekam/rekamd.conf";  // where CAFile= is looked up
    bool config_given = false;
};

struct AcknowledgeOptions {
    std::string transaction_id;
    std::string receipt;         // Adminduk's receipt number
    std::string package_sha256;  // what Adminduk received: checked against the book
};

struct PreviewOptions {
    std::string device;  // object path, name as `devices` prints it, or kind
    std::string out;     // directory (preview) or PNG file (capture)
    std::uint32_t frames = 30;
    // 0: 5 s for a camera frame, the station's capture timeout for a test capture.
    std::uint32_t timeout_ms = 0;
    // Test captures (fingerprint readers; any device with --overlay):
    bool overlay = false;      // draw what the capture found over the image
    std::string position;      // empty: the daemon's default for the device's kind
    int requested_score = -1;  // -1: the station's default
};

struct DiagnoseOptions {
    bool capture = true;  // one scored test capture per device (--no-capture: none)
    std::uint32_t capture_timeout_ms = 10000;
    std::string html;  // --html FILE: also write the report as a page with the images
};

struct VerifyOptions {
    std::string package;
    std::string ca_file;                            // --ca; empty: rekamd.conf's CAFile=
    std::string config = "/etc/rekam/rekamd.conf";  // where CAFile= is looked up
    bool config_given = false;                      // --config: the file must exist
    bool no_trust_check = false;                    // signature and hashes only
    std::string decrypt_key;  // --decrypt-key: a recipient's private key for a sealed package
};

int cmd_status(const Global& g);
int cmd_devices(const Global& g);
int cmd_diagnose(const Global& g, const DiagnoseOptions& o);
int cmd_book(const Global& g, const BookOptions& o);
int cmd_acknowledge(const Global& g, const AcknowledgeOptions& o);
int cmd_enroll(const Global& g, const EnrollOptions& o);
int cmd_verify(const Global& g, const VerifyOptions& o);
int cmd_preview(const Global& g, const PreviewOptions& o);
int cmd_capture(const Global& g, const PreviewOptions& o);
int cmd_fault(const Global& g, const std::string& device, const std::vector<std::string>& settings);

}  // namespace rekam::ctl
