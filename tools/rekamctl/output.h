// How rekamctl prints: aligned tables for people, JSON for scripts.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "dbus/message.h"

namespace rekam::ctl {

// Exit codes: scripts can tell a failed check from a broken call.
enum Exit : int {
    kOk = 0,
    kFailed = 1,       // the thing checked is not fine (verification failed, self-test failed)
    kUsage = 2,        // bad command line
    kUnavailable = 3,  // rekamd unreachable or a D-Bus call refused
};

void print_table(const std::vector<std::string>& header,
                 const std::vector<std::vector<std::string>>& rows);
// An a{sv} as a JSON object; its keys are kebab-case already (the D-Bus dictionaries' style).
// Byte arrays (records) become base64 strings.
nlohmann::json to_json(const bus::Dict& dict);
// D-Bus properties as a JSON object, their PascalCase names in kebab-case ("UsbId": "usb-id"),
// so every key rekamctl prints has one style.
nlohmann::json properties_json(const bus::Dict& properties);
std::string kebab_case(std::string_view pascal);
// A driver's check result ("frame-ms": "12") as a number when it is one, so JSON numbers are
// numbers; anything else stays a string.
nlohmann::json number_or_string(const std::string& text);
std::string value_text(const bus::Value& value);
std::string base64(std::span<const std::uint8_t> bytes);

}  // namespace rekam::ctl
