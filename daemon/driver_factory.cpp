#include "daemon/driver_factory.h"

#include <stdexcept>

#include "daemon/config.h"

namespace rekam {

const std::vector<std::string>& available_drivers() {
    static const std::vector<std::string> names = {
        "sim",
    };
    return names;
}

std::unique_ptr<drivers::Driver> make_hardware_driver(const std::string& name, EventLoop& loop,
                                                      const Config& config) {
    (void)loop;
    (void)config;
    if (name == "sim") return nullptr;
    throw std::invalid_argument("unknown driver \"" + name + "\"");
}

}  // namespace rekam
