#include "daemon/driver_factory.h"

#include <stdexcept>

#include "daemon/config.h"
#ifdef REKAM_HAVE_FPRINT
#include "drivers/fprint/fprint_driver.h"
#endif

namespace rekam {

const std::vector<std::string>& available_drivers() {
    static const std::vector<std::string> names = {
        "sim",
#ifdef REKAM_HAVE_FPRINT
        "fprint",
#endif
    };
    return names;
}

std::unique_ptr<drivers::Driver> make_hardware_driver(const std::string& name, EventLoop& loop,
                                                      const Config& config) {
    (void)loop;
    (void)config;
    if (name == "sim") return nullptr;
#ifdef REKAM_HAVE_FPRINT
    if (name == "fprint")
        return std::make_unique<drivers::fprint::FprintDriver>(loop,
                                                               drivers::fprint::FprintConfig{});
#endif
    throw std::invalid_argument("unknown driver \"" + name + "\"");
}

}  // namespace rekam
