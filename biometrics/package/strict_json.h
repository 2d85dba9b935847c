// Strict reading of the package's JSON documents (manifest.json, envelope.json): what was signed
// must parse back to exactly what the writer wrote. Internal to biometrics/package.
#pragma once

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "biometrics/package/manifest.h"

namespace rekam::pkg {

// Reads one JSON object strictly: types must match, and finish() refuses keys not read.
// (Not a throwing destructor: an exception from a local's destructor after `return` leaks the
// returned value under GCC and Clang.)
class StrictObject {
  public:
    StrictObject(const nlohmann::json& j, std::string path) : j_(j), path_(std::move(path)) {
        if (!j_.is_object()) throw ManifestError(path_ + ": expected an object");
    }
    void finish() const {
        for (const auto& [key, _] : j_.items())
            if (!seen_.count(key)) throw ManifestError(path_ + "." + key + ": unknown key");
    }
    bool has(const std::string& key) const { return j_.contains(key); }
    const nlohmann::json& at(const std::string& key) {
        auto it = j_.find(key);
        if (it == j_.end()) throw ManifestError(path_ + "." + key + ": missing");
        seen_.insert(key);
        return *it;
    }
    std::string string(const std::string& key) {
        const auto& v = at(key);
        if (!v.is_string()) throw ManifestError(path_ + "." + key + ": expected a string");
        return v.get<std::string>();
    }
    int integer(const std::string& key) {
        const auto& v = at(key);
        if (!v.is_number_integer())
            throw ManifestError(path_ + "." + key + ": expected an integer");
        // get<int>() would wrap 4294967356 to 60: a value the signer never wrote.
        const bool fits = v.is_number_unsigned()
                              ? v.get<std::uint64_t>() <= std::numeric_limits<int>::max()
                              : v.get<std::int64_t>() >= std::numeric_limits<int>::min() &&
                                    v.get<std::int64_t>() <= std::numeric_limits<int>::max();
        if (!fits) throw ManifestError(path_ + "." + key + ": out of range");
        return v.get<int>();
    }
    bool boolean(const std::string& key) {
        const auto& v = at(key);
        if (!v.is_boolean()) throw ManifestError(path_ + "." + key + ": expected true or false");
        return v.get<bool>();
    }
    const nlohmann::json& array(const std::string& key) {
        const auto& v = at(key);
        if (!v.is_array()) throw ManifestError(path_ + "." + key + ": expected an array");
        return v;
    }
    std::vector<std::string> strings(const std::string& key) {
        std::vector<std::string> out;
        for (const auto& v : array(key)) {
            if (!v.is_string()) throw ManifestError(path_ + "." + key + "[]: expected strings");
            out.push_back(v.get<std::string>());
        }
        return out;
    }
    std::string path(const std::string& key) const { return path_ + "." + key; }

  private:
    const nlohmann::json& j_;
    std::string path_;
    std::set<std::string> seen_;
};

}  // namespace rekam::pkg
