// enroll: the whole procedure from the terminal, against whatever devices are present, shown
// as an operator's screen would (enroll_view.h).
#include <unistd.h>

#include <iostream>
#include <map>
#include <optional>

#include "common/strings.h"
#include "daemon/positions.h"
#include "dbus/names.h"
#include "tools/client/session_client.h"
#include "tools/rekamctl/commands.h"
#include "tools/rekamctl/contact_sheet.h"
#include "tools/rekamctl/enroll_view.h"
#include "tools/rekamctl/output.h"

namespace rekam::ctl {
namespace {

constexpr std::uint64_t kCaptureWaitUsec = 120'000'000;  // a citizen who needs long, and more

client::Append capture_options(const EnrollOptions& o) {
    bus::Dict d;
    if (o.requested_score) d.emplace_back("requested-score", bus::u32(o.requested_score));
    if (o.timeout_ms) d.emplace_back("timeout-ms", bus::u32(o.timeout_ms));
    if (o.max_attempts) d.emplace_back("max-attempts", bus::u32(o.max_attempts));
    return client::dict_arg(std::move(d));
}

std::string exceptable_positions() {
    std::vector<std::string> names;
    for (const auto& p : all_positions())
        if (is_finger(p) || is_iris(p)) names.emplace_back(p.name);
    return join(names);
}

struct ExceptionArg {
    std::string position, reason;
};

// The --exception arguments, checked against the daemon's own tables (daemon/positions.h)
// before any session exists: a typing error must not leave an "abandoned" book entry.
std::optional<std::vector<ExceptionArg>> parse_exceptions(const std::vector<std::string>& args) {
    std::vector<ExceptionArg> out;
    for (const auto& e : args) {
        const auto eq = e.find('=');
        if (eq == std::string::npos) {
            std::cerr << "rekamctl: --exception wants POSITION=REASON, got \"" << e << "\"\n";
            return std::nullopt;
        }
        ExceptionArg x{e.substr(0, eq), e.substr(eq + 1)};
        const Position* p = find_position(x.position);
        if (!p || (!is_finger(*p) && !is_iris(*p))) {
            std::cerr << "rekamctl: --exception " << e << ": \"" << x.position
                      << "\" is no finger or iris; one of: " << exceptable_positions() << "\n";
            return std::nullopt;
        }
        if (!is_valid_exception_reason(*p, x.reason)) {
            std::cerr << "rekamctl: --exception " << e << ": \"" << x.reason
                      << "\" is no exception reason for " << x.position
                      << "; one of: " << exception_reasons(*p) << "\n";
            return std::nullopt;
        }
        out.push_back(std::move(x));
    }
    return out;
}

ViewMode view_mode(const Global& g) {
    if (g.json) return ViewMode::Json;
    return isatty(STDOUT_FILENO) ? ViewMode::Terminal : ViewMode::Lines;
}

}  // namespace

int cmd_enroll(const Global& g, const EnrollOptions& o) {
    const auto exceptions = parse_exceptions(o.exceptions);
    if (!exceptions) return kUsage;
    if (o.requested_score > 100) {
        std::cerr << "rekamctl: --requested-score is 0-100, got " << o.requested_score << "\n";
        return kUsage;
    }

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
    EnrollView view(view_mode(g));
    view.session(session.path());

    std::map<std::string, SummaryRow> rows;
    for (const auto& e : *exceptions) {
        session.mark_exception(e.position, e.reason);
        rows[e.position] = SummaryRow{e.position, "exception", 0, 0, e.reason};
    }

    // Missing is the daemon's word on what the SOP still needs, exception photo included.
    for (int round = 0; round < 3; ++round) {
        const auto missing = session.missing();
        if (missing.empty()) break;
        for (const auto& position : missing) {
            view.prompt(position);
            session.capture(position, capture_options(o));
            const auto result = session.wait_finished(
                position, kCaptureWaitUsec, [&](const client::Progress& p) { view.progress(p); });
            if (!result)
                throw client::CallError(bus::error::kTimeout, "no CaptureFinished for " + position);
            view.finished(*result, o.requested_score);
            std::uint32_t attempts = 0;
            for (const auto& [k, v] : result->result)
                if (k == "attempts")
                    if (auto* n = std::get_if<std::uint32_t>(&v.v)) attempts = *n;
            rows[position] =
                SummaryRow{position, result->outcome, result->score(), attempts, result->message()};
        }
    }
    std::vector<SummaryRow> ordered;  // in SOP order, whatever order they were taken in
    for (const auto& p : all_positions())
        if (auto it = rows.find(std::string(p.name)); it != rows.end())
            ordered.push_back(it->second);
    const auto still_missing = session.missing();
    if (!still_missing.empty()) {
        view.incomplete(ordered, session.path(), still_missing);
        std::cerr << "rekamctl: enrollment incomplete, still missing: " << join(still_missing)
                  << "\n";
        session.close();
        return kFailed;
    }
    std::vector<SheetTile> tiles;
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
    view.summary(ordered, session.path(), package, sha256, o.contact_sheet);
    return kOk;
}

}  // namespace rekam::ctl
