// The contact sheet: every capture of an enrollment on one PNG, with its position and score,
// for the clerk to glance over before the package leaves the station.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace rekam::ctl {

struct SheetTile {
    std::string position;
    std::uint32_t score = 0;
    bool forced = false;
    std::vector<std::uint8_t> png;
};

// Throws std::runtime_error when the PNG cannot be written.
void write_contact_sheet(const std::filesystem::path& out, const std::string& title,
                         const std::vector<SheetTile>& tiles);

}  // namespace rekam::ctl
