// The one error type of the records library: every reader and codec failure names what went
// wrong and where, so a broken sample in a package can be diagnosed without a hex dump.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

namespace rekam::bio {

class RecordError : public std::runtime_error {
  public:
    explicit RecordError(const std::string& what) : std::runtime_error(what) {}
    // "<record>: <field> at offset <offset>: <problem>"
    RecordError(const std::string& record, const std::string& field, std::size_t offset,
                const std::string& problem)
        : std::runtime_error(record + ": " + field + " at offset " + std::to_string(offset) + ": " +
                             problem) {}
};

}  // namespace rekam::bio
