// rekamd: the e-KTP enrollment-station daemon.
#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>

#include "common/log.h"
#include "daemon/daemon.h"

int main(int argc, char** argv) {
    CLI::App app{"rekamd: biometric capture daemon for e-KTP enrollment stations"};
    std::string config_path = "/etc/rekam/rekamd.conf";
    std::string bus_address;
    std::string state_directory;
    bool debug = false;
    auto* config_option = app.add_option("--config", config_path, "configuration file");
    app.add_option("--bus-address", bus_address,
                   "D-Bus address to serve on instead of the system bus (tests)");
    app.add_option("--state-directory", state_directory,
                   "override [Station] StateDirectory= (tests, demos)");
    app.add_flag("--debug", debug, "log debug messages");
    app.set_version_flag("--version", REKAM_VERSION);
    CLI11_PARSE(app, argc, argv);

    if (debug) rekam::log::set_max_priority(LOG_DEBUG);
    try {
        rekam::DaemonOptions options;
        // The default file may be absent (defaults work); a file named on the command line
        // must exist.
        options.config = rekam::load_config(config_path, config_option->count() > 0);
        if (!state_directory.empty()) options.config.state_directory = state_directory;
        options.bus_address = bus_address;
        if (options.bus_address.empty())
            if (const char* env = std::getenv("REKAM_BUS_ADDRESS")) options.bus_address = env;
        rekam::Daemon daemon(std::move(options));
        return daemon.run();
    } catch (const std::exception& e) {
        rekam::log::error(e.what());
        return EXIT_FAILURE;
    }
}
