// book: the registration book, as rekamd keeps it, page by page; --verify re-computes its chain
// from the same entries, so it needs nothing but the polkit action that reads the book.
#include <algorithm>
#include <iostream>

#include "daemon/registration_book.h"
#include "dbus/names.h"
#include "tools/client/connection.h"
#include "tools/rekamctl/commands.h"
#include "tools/rekamctl/output.h"

namespace rekam::ctl {
namespace {

constexpr std::uint32_t kPage = 1000;  // rekamd's largest page

struct Page {
    std::vector<bus::Arguments> entries;
    std::uint64_t next = 0;  // 0: the book ends here
};

Page read_page(client::Connection& c, const bus::Dict& options) {
    auto reply = c.call(bus::kRootPath, bus::kManagerInterface, "ReadRegistrationBook",
                        [&](sd_bus_message* m) { bus::append_dict(m, options); });
    Page page;
    bus::check(sd_bus_message_enter_container(reply.get(), 'a', "a{sv}"), "read book");
    while (sd_bus_message_at_end(reply.get(), 0) == 0)
        page.entries.push_back(bus::read_arguments(reply.get(), "entry"));
    bus::check(sd_bus_message_exit_container(reply.get()), "read book");
    bus::check(sd_bus_message_read_basic(reply.get(), 't', &page.next), "read next");
    return page;
}

// Every entry from the first (last == 0) or the last `last` ones, oldest first.
template <typename Visit>
void each_entry(client::Connection& c, std::uint32_t last, Visit visit) {
    bus::Dict first = {{"limit", bus::u32(kPage)}};
    if (last) {
        first = {{"from-end", bus::boolean(true)},
                 {"offset", bus::u32(last)},
                 {"limit", bus::u32(std::min(last, kPage))}};
    }
    std::uint64_t seen = 0;
    Page page = read_page(c, first);
    for (;;) {
        for (const auto& e : page.entries) {
            if (last && seen == last) return;
            visit(e);
            ++seen;
        }
        if (!page.next || (last && seen == last)) return;
        page = read_page(c, {{"offset", bus::Value{page.next}}, {"limit", bus::u32(kPage)}});
    }
}

BookEntry entry_of(const bus::Arguments& e) {
    BookEntry b;
    for (const auto& [key, member] : kBookFields) b.*member = e.get_string(key);
    return b;
}

int verify(const Global& g, client::Connection& c) {
    std::string previous = book_initial_hash();
    std::uint64_t count = 0, broken = 0;
    std::string broken_time;
    each_entry(c, 0, [&](const bus::Arguments& e) {
        ++count;
        if (broken) return;
        const BookEntry entry = entry_of(e);
        if (book_entry_hash(previous, entry) != entry.entry_hash) {
            broken = count;
            broken_time = entry.time;
        }
        previous = entry.entry_hash;
    });
    if (g.json) {
        nlohmann::json out = {{"entries", count}, {"intact", broken == 0}};
        if (broken) out["broken-entry"] = broken;
        std::cout << out.dump(2) << "\n";
    } else if (broken) {
        std::cout << "registration book DAMAGED: the chain breaks at entry " << broken << " of "
                  << count << (broken_time.empty() ? "" : " (" + broken_time + ")")
                  << ": it or the one before it was edited, removed or damaged\n";
    } else {
        std::cout << "registration book intact: " << count << " entries, chain verified\n";
    }
    return broken ? kFailed : kOk;
}

}  // namespace

int cmd_book(const Global& g, const BookOptions& o) {
    client::Connection c(g.bus_address);
    if (o.verify) return verify(g, c);
    nlohmann::json entries = nlohmann::json::array();
    std::vector<std::vector<std::string>> rows;
    each_entry(c, o.limit, [&](const bus::Arguments& e) {
        if (g.json) {
            entries.push_back(to_json(e.entries()));
            return;
        }
        const std::string outcome = e.get_string("outcome");
        rows.push_back({e.get_string("time"), e.get_string("operator"), e.get_string("nik"),
                        outcome,
                        outcome == "enrolled" ? e.get_string("package") : e.get_string("reason")});
    });
    if (g.json)
        std::cout << entries.dump(2) << "\n";
    else
        print_table({"TIME", "OPERATOR", "NIK", "OUTCOME", "PACKAGE / REASON"}, rows);
    return kOk;
}

}  // namespace rekam::ctl
