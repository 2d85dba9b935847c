// The capture positions of the e-KTP procedure and what each one needs.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "drivers/device.h"

namespace rekam {

struct Position {
    std::string_view name;     // D-Bus and package name, e.g. "right-index"
    drivers::DeviceKind kind;  // which device captures it
    int iso_code;   // ISO/IEC 19794-4 finger position 1-10; eye label 1/2 for irises; 0 else
    bool required;  // required by the SOP unless excepted
};

// In SOP order: ten fingers (ISO 1-10), both irises, the face, the signature; the exception
// photo last.
const std::vector<Position>& all_positions();
const Position* find_position(std::string_view name);
std::string position_list();  // "right-thumb, right-index, ..." for error messages

constexpr std::string_view kExceptionPhoto = "exception-photo";

bool is_finger(const Position& p);
bool is_iris(const Position& p);
bool is_signature(const Position& p);

// Reasons an operator may mark a position as an exception, by modality.
bool is_valid_exception_reason(const Position& p, std::string_view reason);
std::string exception_reasons(const Position& p);

}  // namespace rekam
