// Vocabulary shared by the finger, iris and face synthesisers.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace rekam::sim {

// Conditions a capture can be in; Good is the default. Fault injection uses them so the
// quality gate sees genuinely poor pixels (quality is always computed from pixels).
enum class Condition { Good, Dry, Wet, Smudged, Partial, OffCentre, Blurred, Dark, Light, Blank };

std::optional<Condition> parse_condition(std::string_view name);
std::string_view to_string(Condition condition);

// Deterministic 64-bit seed from a subject id (the NIK) and a label ("finger-7", "iris-left").
// FNV-1a over the bytes, finished with a SplitMix64 mix: stable across runs and machines.
std::uint64_t subject_seed(std::string_view subject, std::string_view label);

// One capture of a finger/eye/face: `index` selects the per-impression variation.
struct Impression {
    std::uint32_t index = 0;
    Condition condition = Condition::Good;
};

}  // namespace rekam::sim
