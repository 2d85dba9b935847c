#include "drivers/sim/synth/common.h"

#include <array>
#include <utility>

#include "drivers/sim/synth/rng.h"

namespace rekam::sim {
namespace {

constexpr std::array<std::pair<Condition, std::string_view>, 10> kNames{{
    {Condition::Good, "good"},
    {Condition::Dry, "dry"},
    {Condition::Wet, "wet"},
    {Condition::Smudged, "smudged"},
    {Condition::Partial, "partial"},
    {Condition::OffCentre, "off-centre"},
    {Condition::Blurred, "blurred"},
    {Condition::Dark, "dark"},
    {Condition::Light, "light"},
    {Condition::Blank, "blank"},
}};

}  // namespace

std::optional<Condition> parse_condition(std::string_view name) {
    for (const auto& [c, n] : kNames)
        if (n == name) return c;
    if (name == "offcentre" || name == "off-center" || name == "offcenter")
        return Condition::OffCentre;
    return std::nullopt;
}

std::string_view to_string(Condition condition) {
    for (const auto& [c, n] : kNames)
        if (c == condition) return n;
    return "good";
}

std::uint64_t subject_seed(std::string_view subject, std::string_view label) {
    std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a offset basis
    auto feed = [&h](std::string_view s) {
        for (unsigned char ch : s) {
            h ^= ch;
            h *= 0x100000001b3ULL;
        }
    };
    feed(subject);
    feed(std::string_view("\x1f", 1));  // separator: ("ab","c") must differ from ("a","bc")
    feed(label);
    return mix64(h);
}

}  // namespace rekam::sim
