// Handwritten signatures for the simulated signature pad: a deterministic function of (citizen,
// attempt). Each citizen gets a fixed hand (how many pen strokes, how many letters in each, their
// heights, widths, slant, loops, speed, pen pressure, whether an underline flourish ends it);
// each attempt varies it a little (timing, size, tilt, position, letter shapes), as a person's
// signatures do. The pen is modelled as coupled oscillations (Hollerbach's model of cursive
// writing): x advances while x and y swing at the letter rhythm, which draws loops and arcades.
// No device, no clock: the sim device replays the samples at their times.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "biometrics/signature/pen.h"
#include "drivers/sim/synth/common.h"

namespace rekam::sim {

// Faults the simulated pad can be told to produce. Blank: the pen hovers but never touches.
enum class SignatureFault { None, TooShort, NoPressure, OutsideBox, Blank };

std::optional<SignatureFault> parse_signature_fault(std::string_view name);
std::string_view to_string(SignatureFault fault);
// The shared conditions of the other devices, for one fault vocabulary across the kit: Partial
// signs too briefly, Light without pressure, OffCentre outside the box, Blank not at all;
// the rest mean nothing for a pen and give None.
SignatureFault signature_fault(Condition condition);

class SignatureSynth {
  public:
    // `rate_hz`: the pad's report rate (a DTU-1141 reports at about 200 Hz).
    SignatureSynth(std::string_view citizen, const bio::signature::PenDevice& device,
                   const bio::signature::SigningBox& box, double rate_hz = 200.0);

    // The samples of one attempt, times from 0, hover samples (tip up) during lifts and before
    // and after the signature. Throws std::invalid_argument when the device has no resolution.
    bio::signature::PenTrace sign(std::uint32_t attempt,
                                  SignatureFault fault = SignatureFault::None) const;

  private:
    std::string citizen_;
    bio::signature::PenDevice device_;
    bio::signature::SigningBox box_;
    double rate_hz_;
};

}  // namespace rekam::sim
