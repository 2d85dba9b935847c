// book: the registration book, as rekamd keeps it, page by page; --verify re-computes its chain
// and checks its signed checkpoints from the same entries, so it needs nothing but the polkit
// action that reads the book (and the CA the station's certificate chains to).
#include <algorithm>
#include <iostream>

#include "biometrics/package/signature_check.h"
#include "daemon/book_checkpoint.h"
#include "daemon/registration_book.h"
#include "dbus/names.h"
#include "tools/client/connection.h"
#include "tools/rekamctl/commands.h"
#include "tools/rekamctl/output.h"
#include "tools/rekamctl/trust_anchor.h"

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

// What book --verify found: the first of each kind of damage.
struct BookCheck {
    std::uint64_t entries = 0;
    std::uint64_t broken = 0;  // first entry whose chain link fails
    std::string broken_time;
    std::uint64_t checkpoints = 0;
    std::uint64_t forged = 0;  // first checkpoint that lies or is not the station's
    std::string forged_why;
    std::uint64_t seal_broken = 0;  // first "seal-broken" entry: a tail cut off while stopped
    std::string seal_broken_why;
    std::string signer;  // the checkpoints' signer
    bool trusted = true;

    bool ok() const { return !broken && !forged && !seal_broken; }
};

// A checkpoint states the entries before it and the chain's head after them, signed by the
// station; `previous` is the head before this line, `index` its 1-based position.
std::optional<std::string> checkpoint_problem(const BookEntry& e, std::uint64_t index,
                                              const std::string& previous, STACK_OF(X509) * anchors,
                                              bool anchored, BookCheck& check) {
    const auto statement = parse_checkpoint_statement(e.reason);
    if (!statement) return "its statement \"" + e.reason.substr(0, 96) + "\" cannot be read";
    if (statement->entries != index - 1 || statement->head != previous)
        return "it states " + std::to_string(statement->entries) +
               " entries before it, the book has " + std::to_string(index - 1) +
               (statement->head != previous ? ", and another chain head" : "");
    const auto der = base64_decode(e.signature);
    if (!der) return "its signature is not base64";
    pkg::VerifyReport report;
    pkg::check_signature(
        *der, std::span(reinterpret_cast<const std::uint8_t*>(e.reason.data()), e.reason.size()),
        anchors, report);
    if (!report.signature_valid)
        return "its signature does not verify" +
               (report.problems.empty() ? "" : ": " + report.problems[0].message);
    if (anchored && !report.trusted)
        return "it is signed by " + report.signer + ", who does not chain to the CA";
    if (!check.signer.empty() && report.signer != check.signer)
        return "it is signed by " + report.signer + ", the checkpoints before it by " +
               check.signer;
    check.signer = report.signer;
    check.trusted = check.trusted && report.trusted;
    return std::nullopt;
}

int verify(const Global& g, const BookOptions& o, client::Connection& c) {
    const std::optional<Anchor> anchor = find_anchor(o.ca_file, o.config, o.config_given);
    pkg::VerifyReport anchor_report;
    pkg::VerifyOptions anchor_options;
    if (anchor) anchor_options.ca_file = anchor->file;
    const auto anchors = pkg::load_anchors(anchor_options, anchor_report);
    if (!anchor_report.problems.empty())
        throw std::runtime_error("the CA " + anchor->file +
                                 " cannot be used: " + anchor_report.problems[0].message);

    BookCheck check;
    std::string previous = book_initial_hash();
    each_entry(c, 0, [&](const bus::Arguments& a) {
        const std::uint64_t index = ++check.entries;
        const BookEntry entry = entry_of(a);
        if (!check.broken && book_entry_hash(previous, entry) != entry.entry_hash) {
            check.broken = index;
            check.broken_time = entry.time;
        }
        if (entry.outcome == "checkpoint") {
            ++check.checkpoints;
            const auto problem = checkpoint_problem(entry, index, previous, anchors.get(),
                                                    anchor.has_value(), check);
            if (problem && !check.forged) {
                check.forged = index;
                check.forged_why = *problem;
            }
        } else if (entry.outcome == "seal-broken" && !check.seal_broken) {
            check.seal_broken = index;
            check.seal_broken_why = entry.reason;
        }
        previous = entry.entry_hash;
    });

    const std::string signer = check.checkpoints == 0 ? "no checkpoint yet"
                               : !anchor              ? "signer not checked (no CA: --ca)"
                                                      : "signed by " + check.signer + ", trusted";
    if (g.json) {
        nlohmann::json out = {
            {"entries", check.entries},
            {"intact", check.ok()},
            {"checkpoints", check.checkpoints},
            {"checkpoint-signer", check.signer},
            {"checkpoints-trusted", anchor.has_value() && check.trusted && check.checkpoints > 0}};
        if (check.broken) out["broken-entry"] = check.broken;
        if (check.forged) {
            out["forged-checkpoint"] = check.forged;
            out["forged-why"] = check.forged_why;
        }
        if (check.seal_broken) {
            out["tail-removed-entry"] = check.seal_broken;
            out["tail-removed"] = check.seal_broken_why;
        }
        std::cout << out.dump(2) << "\n";
        return check.ok() ? kOk : kFailed;
    }
    if (check.ok()) {
        std::cout << "registration book intact: " << check.entries << " entries, chain verified, "
                  << check.checkpoints << " checkpoint(s), " << signer << "\n";
        return kOk;
    }
    std::cout << "registration book DAMAGED (" << check.entries << " entries)\n";
    if (check.broken)
        std::cout << "  the chain breaks at entry " << check.broken
                  << (check.broken_time.empty() ? "" : " (" + check.broken_time + ")")
                  << ": it or the one before it was edited, removed or damaged\n";
    if (check.forged)
        std::cout << "  the checkpoint at entry " << check.forged
                  << " is forged: " << check.forged_why << "\n";
    if (check.seal_broken)
        std::cout << "  entries were removed while rekamd was stopped (entry " << check.seal_broken
                  << "): " << check.seal_broken_why << "\n";
    return kFailed;
}

}  // namespace

int cmd_book(const Global& g, const BookOptions& o) {
    client::Connection c(g.bus_address);
    if (o.verify) return verify(g, o, c);
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
