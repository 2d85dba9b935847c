// enroll: the whole procedure from the terminal, against whatever devices are present.
#include <iostream>

#include "common/strings.h"
#include "daemon/positions.h"
#include "dbus/names.h"
#include "tools/client/session_client.h"
#include "tools/rekamctl/commands.h"
#include "tools/rekamctl/contact_sheet.h"
#include "tools/rekamctl/output.h"

namespace rekam::ctl {
namespace {

client::Append capture_options(const EnrollOptions& o) {
    bus::Dict d;
    if (o.requested_score) d.emplace_back("requested-score", bus::u32(o.requested_score));
    if (o.timeout_ms) d.emplace_back("timeout-ms", bus::u32(o.timeout_ms));
    return client::dict_arg(std::move(d));
}

}  // namespace

int cmd_enroll(const Global& g, const EnrollOptions& o) {
    client::Connection c(g.bus_address);
    bus::Dict application{{"nik", bus::str(o.nik)},
                          {"kk", bus::str(o.kk)},
                          {"documents", bus::strv(o.documents)},
                          {"operator", bus::str(o.operator_id)}};
    if (!o.name.empty()) application.emplace_back("name", bus::str(o.name));
    auto reply = c.call(bus::kRootPath, bus::kManagerInterface, "OpenSession",
                        client::dict_arg(application));
    const char* path = nullptr;
    bus::check(sd_bus_message_read_basic(reply.get(), 'o', &path), "read session path");
    client::SessionClient session(c, path);
    if (!g.json) std::cout << "session " << session.path() << "\n";

    for (const auto& e : o.exceptions) {
        const auto eq = e.find('=');
        if (eq == std::string::npos) {
            std::cerr << "rekamctl: --exception wants POSITION=REASON, got \"" << e << "\"\n";
            session.close();
            return kUsage;
        }
        session.mark_exception(e.substr(0, eq), e.substr(eq + 1));
    }

    nlohmann::json captures = nlohmann::json::array();
    std::vector<SheetTile> tiles;
    // Missing is the daemon's word on what the SOP still needs, exception photo included.
    for (int round = 0; round < 3; ++round) {
        const auto missing = session.missing();
        if (missing.empty()) break;
        for (const auto& position : missing) {
            const auto result = session.capture_and_wait(position, capture_options(o));
            nlohmann::json j = to_json(result.result);
            j["position"] = position;
            j["outcome"] = result.outcome;
            captures.push_back(j);
            if (!g.json) {
                std::cout << "  " << position << ": " << result.outcome;
                if (result.outcome == "failed")
                    std::cout << " (" << result.message() << ")";
                else
                    std::cout << ", score " << result.score();
                std::cout << "\n";
            }
        }
    }
    const auto still_missing = session.missing();
    if (!still_missing.empty()) {
        std::cerr << "rekamctl: enrollment incomplete, still missing: " << join(still_missing)
                  << "\n";
        session.close();
        return kFailed;
    }
    if (!o.contact_sheet.empty()) {
        for (const auto& p : all_positions()) {
            try {
                auto [info, png] = session.sample(std::string(p.name));
                tiles.push_back(SheetTile{std::string(p.name), info.get_u32("score"),
                                          info.get_bool("forced"), std::move(png)});
            } catch (const client::CallError&) {
                // not captured (an exception): no tile
            }
        }
    }
    const auto [package, sha256] = session.finalize();
    session.close();
    if (!o.contact_sheet.empty())
        write_contact_sheet(o.contact_sheet, "NIK " + o.nik + "  " + package, tiles);
    if (g.json) {
        std::cout << nlohmann::json{{"session", session.path()},
                                    {"package", package},
                                    {"sha256", sha256},
                                    {"captures", captures},
                                    {"contact-sheet", o.contact_sheet}}
                         .dump(2)
                  << "\n";
    } else {
        std::cout << "package  " << package << "\nsha256   " << sha256 << "\n";
        if (!o.contact_sheet.empty()) std::cout << "contact sheet  " << o.contact_sheet << "\n";
    }
    return kOk;
}

}  // namespace rekam::ctl
