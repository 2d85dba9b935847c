// Which device backends this build has, and how to make them. The simulated kit is made by
// the daemon itself (fault injection talks to it); hardware backends are made here.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/event_loop.h"
#include "drivers/device.h"

namespace rekam {

struct Config;

// "sim" and every hardware backend compiled in, for Enabled= and error messages.
const std::vector<std::string>& available_drivers();

// A hardware backend by name; null for "sim" (the daemon makes that one). Throws
// std::invalid_argument for a name this build does not have.
std::unique_ptr<drivers::Driver> make_hardware_driver(const std::string& name, EventLoop& loop,
                                                      const Config& config);

}  // namespace rekam
