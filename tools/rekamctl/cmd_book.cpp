// book: the registration book, as rekamd keeps it.
#include <iostream>

#include "dbus/names.h"
#include "tools/client/connection.h"
#include "tools/rekamctl/commands.h"
#include "tools/rekamctl/output.h"

namespace rekam::ctl {

int cmd_book(const Global& g, std::uint32_t limit) {
    client::Connection c(g.bus_address);
    bus::Dict options;
    if (limit) options.emplace_back("limit", bus::u32(limit));
    auto reply = c.call(bus::kRootPath, bus::kManagerInterface, "ReadRegistrationBook",
                        [&](sd_bus_message* m) { bus::append_dict(m, options); });
    nlohmann::json entries = nlohmann::json::array();
    std::vector<std::vector<std::string>> rows;
    bus::check(sd_bus_message_enter_container(reply.get(), 'a', "a{sv}"), "read book");
    while (sd_bus_message_at_end(reply.get(), 0) == 0) {
        const auto e = bus::read_arguments(reply.get(), "entry");
        entries.push_back(to_json(e.entries()));
        rows.push_back({e.get_string("time"), e.get_string("operator"), e.get_string("nik"),
                        e.get_string("outcome"),
                        e.get_string("outcome") == "enrolled" ? e.get_string("package")
                                                              : e.get_string("reason")});
    }
    if (g.json)
        std::cout << entries.dump(2) << "\n";
    else
        print_table({"TIME", "OPERATOR", "NIK", "OUTCOME", "PACKAGE / REASON"}, rows);
    return kOk;
}

}  // namespace rekam::ctl
