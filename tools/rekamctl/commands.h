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
    bool verify = false;      // re-compute the hash chain instead of listing
};

struct PreviewOptions {
    std::string device;  // object path or kind
    std::string out;     // directory (preview) or PNG file (capture)
    std::uint32_t frames = 30;
    std::uint32_t timeout_ms = 5000;
};

struct VerifyOptions {
    std::string package;
    std::string ca_file;                            // --ca; empty: rekamd.conf's CAFile=
    std::string config = "/etc/rekam/rekamd.conf";  // where CAFile= is looked up
    bool config_given = false;                      // --config: the file must exist
    bool no_trust_check = false;                    // signature and hashes only
};

int cmd_status(const Global& g);
int cmd_devices(const Global& g);
int cmd_diagnose(const Global& g);
int cmd_book(const Global& g, const BookOptions& o);
int cmd_enroll(const Global& g, const EnrollOptions& o);
int cmd_verify(const Global& g, const VerifyOptions& o);
int cmd_preview(const Global& g, const PreviewOptions& o);
int cmd_capture(const Global& g, const PreviewOptions& o);
int cmd_fault(const Global& g, const std::string& device, const std::vector<std::string>& settings);

}  // namespace rekam::ctl
