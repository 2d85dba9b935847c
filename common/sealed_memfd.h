// Bytes handed to another process read-only: a memfd sealed against writing, growing and
// shrinking, so the receiver can map and read it but never change what the sender saw.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "common/unique_fd.h"

namespace rekam {

// Throws std::runtime_error naming `name` when the memfd cannot be made or filled.
UniqueFd sealed_memfd(const std::string& name, std::span<const std::uint8_t> bytes);

}  // namespace rekam
