// acknowledge: tell rekamd that Adminduk has confirmed a package's receipt; rekamd books it and
// removes the package from the spool (Manager.AcknowledgePackage, polkit action
// id.rekam.send-packages). For a front end's operator or a script after an upload.
#include <iostream>

#include "dbus/names.h"
#include "tools/client/connection.h"
#include "tools/rekamctl/commands.h"
#include "tools/rekamctl/output.h"

namespace rekam::ctl {

int cmd_acknowledge(const Global& g, const AcknowledgeOptions& o) {
    client::Connection c(g.bus_address);
    bus::Dict options;
    if (!o.receipt.empty()) options.emplace_back("receipt", bus::str(o.receipt));
    if (!o.package_sha256.empty())
        options.emplace_back("package-sha256", bus::str(o.package_sha256));
    c.call(bus::kRootPath, bus::kManagerInterface, "AcknowledgePackage", [&](sd_bus_message* m) {
        bus::check(sd_bus_message_append_basic(m, 's', o.transaction_id.c_str()),
                   "append transaction id");
        bus::append_dict(m, options);
    });
    if (g.json)
        std::cout
            << nlohmann::json{{"transaction-id", o.transaction_id}, {"acknowledged", true}}.dump(2)
            << "\n";
    else
        std::cout << "transaction " << o.transaction_id
                  << " acknowledged: booked, and its package removed from the spool\n";
    return kOk;
}

}  // namespace rekam::ctl
