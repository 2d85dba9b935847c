// The manifest.json of an enroll package (format "rekam-enroll/1") as C++ types, with a
// canonical serialisation: the CMS signature covers these exact bytes, so the same manifest
// must always give the same bytes (sorted keys, 2-space indent, UTF-8, final newline).
#pragma once

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace rekam::pkg {

inline constexpr std::string_view kPackageFormat = "rekam-enroll/1";
inline constexpr std::string_view kChainAlgorithm = "sha256-chain/mosip-sbi";

// Record format strings used in samples[].record_format.
inline constexpr std::string_view kFingerImageFormat = "ISO/IEC 19794-4:2011";
inline constexpr std::string_view kFingerMinutiaeFormat = "ISO/IEC 19794-2:2005";
inline constexpr std::string_view kFaceImageFormat = "ISO/IEC 19794-5:2011";
inline constexpr std::string_view kIrisImageFormat = "ISO/IEC 19794-6:2011";
// The signature: its pen trace, and its ink as a picture (no 19794 part holds a signature image).
inline constexpr std::string_view kSignatureFormat = "ISO/IEC 19794-7:2007";
inline constexpr std::string_view kSignatureImageFormat = "PNG (ISO/IEC 15948) signature image";

class ManifestError : public std::runtime_error {
  public:
    explicit ManifestError(const std::string& what) : std::runtime_error(what) {}
};

struct Application {
    std::string nik;
    std::string kk;
    std::vector<std::string> documents;  // "kk-copy", "id-copy", "rt-letter"
    bool operator==(const Application&) const = default;
};

struct SampleQuality {
    int score = 0;  // 0-100
    std::string algorithm;
    std::map<std::string, double> measures;
    std::vector<std::string> feedback;  // machine codes, e.g. "too-dark"
    bool operator==(const SampleQuality&) const = default;
};

struct DeviceInfo {
    std::string driver;
    std::string vendor;
    std::string model;
    std::string serial;
    std::string usb_id;  // "vvvv:pppp", empty when not USB
    bool operator==(const DeviceInfo&) const = default;
};

struct Sample {
    std::string position;  // "right-thumb" ... "left-little", "right-iris", "face", ...
    std::string file;      // path in the tar: "samples/<position>.<ext>"
    std::string sha256;    // lower-case hex of the file
    std::string record_format;
    std::string media_type;  // e.g. "application/octet-stream"
    SampleQuality quality;
    DeviceInfo device;
    int attempts = 1;
    bool forced = false;  // kept although below the requested score
    std::string captured_at;
    std::string chain_hash;  // chain link after this capture, lower-case hex
    bool operator==(const Sample&) const = default;
};

struct ExceptionEntry {
    std::string position;
    std::string reason;  // "amputated", "unable-to-print", "bandaged", ...
    nlohmann::json details = nlohmann::json::object();
    bool operator==(const ExceptionEntry&) const = default;
};

struct ChainInfo {
    std::string algorithm{kChainAlgorithm};
    std::string initial;  // SHA-256("") in hex
    std::string head;
    bool operator==(const ChainInfo&) const = default;
};

// The e-KTP chip's content as the package carries it (card/): what card personalisation writes
// to the chip, each part's bytes and hash, and the total checked against the chip's budget.
inline constexpr std::string_view kCardProfile = "e-ktp-chip/1";
inline constexpr std::string_view kCardDir = "card/";
inline constexpr std::string_view kCompactCardFormat = "ISO/IEC 19794-2:2005 compact card";
inline constexpr std::string_view kCardPortraitFormat = "JPEG 2000 (ISO/IEC 15444-1), JP2";
inline constexpr std::string_view kCardSignatureFormat = "PNG (ISO/IEC 15948)";

struct CardPart {
    std::string part;      // "right-index-template", "left-index-template", "portrait", "signature"
    std::string file;      // "card/<part>.<ext>"; empty for an empty slot
    std::string format;    // kCompactCardFormat, kCardPortraitFormat, kCardSignatureFormat;
                           // empty for an empty slot
    std::string position;  // the capture it comes from ("right-index", "face"), or empty
    int bytes = 0;
    std::string sha256;  // of the file; empty for an empty slot
    std::string note;    // why a slot is empty or a finger stands in for another
    bool operator==(const CardPart&) const = default;
};

struct CardInfo {
    std::string profile{kCardProfile};
    int budget = 0;        // bytes the chip has
    int reserved = 0;      // kept for the biodata, the file system and keys
    int max_minutiae = 0;  // per template, as the card's BIT states it
    int total = 0;         // reserved + every part's bytes; at most the budget
    std::vector<CardPart> parts;
    bool operator==(const CardInfo&) const = default;
};

struct Manifest {
    std::string format{kPackageFormat};
    std::string transaction_id;  // UUID v4
    std::string station_id;
    std::string operator_id;  // JSON key "operator"
    std::string created_at;   // UTC, ISO 8601 with Z
    std::string finalized_at;
    Application application;
    std::vector<Sample> samples;  // in capture order: the chain runs in this order
    std::vector<ExceptionEntry> exceptions;
    ChainInfo chain;
    std::optional<CardInfo> card;  // key "card"; packages before the card profile have none
    bool operator==(const Manifest&) const = default;
};

void to_json(nlohmann::json& j, const Manifest& m);
// Strict: unknown keys, missing keys and wrong types throw ManifestError naming the path.
void from_json(const nlohmann::json& j, Manifest& m);

// The canonical bytes that are signed.
std::string serialize_manifest(const Manifest& m);
Manifest parse_manifest(std::string_view json);

// Random (version 4) UUID from OpenSSL's CSPRNG, lower case.
std::string new_uuid_v4();

// "2024-05-01T10:20:30Z", or with milliseconds "2024-05-01T10:20:30.123Z".
std::string format_utc(std::chrono::system_clock::time_point t, bool milliseconds = false);
// Accepts both forms above; nullopt for anything else, including times the clock cannot
// hold (before 1678 or after 2261).
std::optional<std::chrono::system_clock::time_point> parse_utc(std::string_view text);

}  // namespace rekam::pkg
