// How rekamctl prints: aligned tables for people, JSON for scripts.
#pragma once

#include <nlohmann/json.hpp>
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
nlohmann::json to_json(const bus::Dict& dict);
std::string value_text(const bus::Value& value);

}  // namespace rekam::ctl
