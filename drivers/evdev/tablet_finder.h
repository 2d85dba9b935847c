// Where the signature pads are: pen tablets udev knows (ID_INPUT_TABLET=1 on an event node),
// each with the role udev or the configuration gives it (never their order), and what libwacom
// knows of it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "drivers/device.h"

namespace rekam::drivers::evdev {

struct TabletNode {
    std::string node;  // /dev/input/eventN
    std::string role;  // kRoleProperty (ID_REKAM_ROLE), empty when udev gave none
};

// Every pen tablet event node, in no promised order. Uninitialised devices count too: a real one
// gets its role once udev has run (a rescan picks it up), and under umockdev none is initialised.
std::vector<TabletNode> find_pen_tablets();

// What libwacom's database says of a tablet, when it knows it.
struct TabletModel {
    std::string name;     // "Wacom DTU1141"
    std::string model;    // "DTU-1141", empty when the database has none
    double width_mm = 0;  // the active area
    double height_mm = 0;
    bool integrated = false;  // a pen display: the pen writes on a screen
};
std::optional<TabletModel> identify(const std::string& node);

}  // namespace rekam::drivers::evdev
