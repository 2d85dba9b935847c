#include "daemon/registration_book.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "biometrics/package/hash_chain.h"
#include "biometrics/package/manifest.h"
#include "common/log.h"
#include "daemon/book_checkpoint.h"
#include "daemon/spool_file.h"

namespace rekam {
namespace {

// The hashed part of a line: every field but the hash itself (nlohmann::json keeps keys sorted,
// so the text does not depend on the table's order).
nlohmann::json to_json_without_hash(const BookEntry& e) {
    nlohmann::json j = nlohmann::json::object();
    for (const auto& [key, member] : kBookFields) {
        // Only checkpoints carry a signature: other lines keep the bytes (and hashes) of books
        // written before checkpoints existed.
        if (member == &BookEntry::entry_hash ||
            (member == &BookEntry::signature && e.signature.empty()))
            continue;
        j[key] = e.*member;
    }
    return j;
}

BookEntry from_json(const nlohmann::json& j) {
    BookEntry e;
    for (const auto& [key, member] : kBookFields) {
        const auto it = j.find(key);
        if (it != j.end() && it->is_string()) e.*member = it->get<std::string>();
    }
    return e;
}

// A line as an entry: nullopt unless it is a JSON object with its chain link.
std::optional<BookEntry> parse_line(const std::string& line) {
    const nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!j.is_object()) return std::nullopt;
    const auto hash = j.find("entry-hash");
    if (hash == j.end() || !hash->is_string()) return std::nullopt;
    return from_json(j);
}

BookEntry damaged(std::size_t index, const std::string& why) {
    BookEntry e;
    e.outcome = "damaged";
    e.reason = "line " + std::to_string(index + 1) + " of the book " + why;
    return e;
}

bool is_end(const std::string& outcome) {
    return outcome == "enrolled" || outcome == "abandoned" || outcome == "interrupted" ||
           outcome == "refused";
}

// A package leaves the spool: Adminduk confirmed receipt, or it outlived [Spool] MaxAgeDays=.
bool is_release(const std::string& outcome) {
    return outcome == "acknowledged" || outcome == "expired";
}

[[noreturn]] void fail(const std::string& what, const std::filesystem::path& path, int error) {
    throw std::runtime_error(what + " " + path.string() + ": " + std::strerror(error));
}

void write_all(int fd, const std::string& bytes, const std::filesystem::path& path) {
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            fail("cannot write", path, errno);
        }
        done += static_cast<std::size_t>(n);
    }
}

}  // namespace

std::string book_initial_hash() { return pkg::HashChain::initial_hex(); }

std::string book_entry_hash(const std::string& previous_hash, const BookEntry& entry) {
    const std::string text = previous_hash + to_json_without_hash(entry).dump();
    return pkg::to_hex(
        pkg::sha256(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size())));
}

std::string book_field(std::string_view text, std::size_t max) {
    if (text.size() <= max) return std::string(text);
    std::size_t cut = max;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    return std::string(text.substr(0, cut));
}

RegistrationBook::RegistrationBook(std::filesystem::path file) : file_(std::move(file)) {
    // O_RDWR: the same descriptor appends and serves reads (pread ignores O_APPEND).
    fd_.reset(open(file_.c_str(), O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (!fd_) fail("cannot open the registration book", file_, errno);
    last_hash_ = book_initial_hash();
    scan();
}

std::filesystem::path RegistrationBook::quarantine_file() const {
    return file_.string() + ".quarantine";
}

void RegistrationBook::track(const BookEntry& entry, std::size_t index) {
    if (entry.outcome == "checkpoint")
        since_checkpoint_ = 0;
    else
        ++since_checkpoint_;
    if (entry.transaction_id.empty()) return;
    if (entry.outcome == "opened")
        open_[entry.transaction_id] = index;
    else if (is_end(entry.outcome))
        open_.erase(entry.transaction_id);
    if (entry.package.empty()) return;
    if (entry.outcome == "enrolled")
        spooled_[entry.package] = index;
    else if (is_release(entry.outcome))
        spooled_.erase(entry.package);
}

// One pass over the file: index every line, follow the chain, note open requests. The last
// line is judged apart: only there can a crash have left a torn write.
void RegistrationBook::scan() {
    std::vector<std::pair<std::uint64_t, std::string>> held;  // the last whole line, unjudged
    auto take = [&](std::uint64_t offset, const std::string& text) {
        const std::size_t index = lines_.size();
        lines_.push_back(Line{offset, static_cast<std::uint32_t>(text.size())});
        const auto entry = parse_line(text);
        if (!entry) {
            if (!opening_.broken_line) opening_.broken_line = index + 1;
            return;
        }
        if (!opening_.broken_line && book_entry_hash(last_hash_, *entry) != entry->entry_hash)
            opening_.broken_line = index + 1;
        last_hash_ = entry->entry_hash;
        track(*entry, index);
    };

    std::string pending;
    std::uint64_t pending_start = 0;
    std::uint64_t position = 0;
    std::vector<char> buffer(1 << 20);
    for (;;) {
        const ssize_t n = pread(fd_.get(), buffer.data(), buffer.size(), position);
        if (n < 0) {
            if (errno == EINTR) continue;
            fail("cannot read the registration book", file_, errno);
        }
        if (n == 0) break;
        const char* at = buffer.data();
        const char* const stop = buffer.data() + n;
        while (at < stop) {
            const char* newline = static_cast<const char*>(std::memchr(at, '\n', stop - at));
            pending.append(at, newline ? newline : stop);
            if (!newline) break;
            if (!pending.empty()) {
                if (!held.empty()) take(held.front().first, held.front().second);
                held.assign(1, {pending_start, std::move(pending)});
            }
            pending.clear();
            pending_start = position + static_cast<std::uint64_t>(newline + 1 - buffer.data());
            at = newline + 1;
        }
        position += n;
    }
    end_ = position;

    if (!pending.empty()) {
        // No newline at the end: a write cut short. Kept only if it is a whole, chaining entry.
        if (!held.empty()) take(held.front().first, held.front().second);
        const auto entry = parse_line(pending);
        if (entry && book_entry_hash(last_hash_, *entry) == entry->entry_hash) {
            write_all(fd_.get(), "\n", file_);
            if (fdatasync(fd_.get()) < 0) fail("cannot sync", file_, errno);
            end_ += 1;
            take(pending_start, pending);
            opening_.completed_last_line = true;
            log::notice("the registration book's last line had lost its newline; completed it");
        } else {
            quarantine_tail(pending_start, pending);
        }
    } else if (!held.empty()) {
        if (parse_line(held.front().second))
            take(held.front().first, held.front().second);
        else
            quarantine_tail(held.front().first, held.front().second + "\n");
    }
    if (opening_.broken_line)
        log::error("the registration book ", file_.string(),
                   " is damaged: its chain breaks at line ", opening_.broken_line, " of ",
                   lines_.size(), "; kept as it is (rekamctl book --verify shows it)");
}

// The torn bytes go to the quarantine file (synced first: nothing is lost), then the book is
// cut back to its last whole line.
void RegistrationBook::quarantine_tail(std::uint64_t from, const std::string& bytes) {
    const std::filesystem::path quarantine = quarantine_file();
    UniqueFd q(
        open(quarantine.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (!q) fail("cannot open", quarantine, errno);
    write_all(q.get(), bytes.ends_with('\n') ? bytes : bytes + "\n", quarantine);
    if (fsync(q.get()) < 0) fail("cannot sync", quarantine, errno);
    if (ftruncate(fd_.get(), static_cast<off_t>(from)) < 0 || fdatasync(fd_.get()) < 0)
        fail("cannot cut the torn last line off", file_, errno);
    end_ = from;
    opening_.quarantined_bytes = bytes.size();
    log::warning(
        "the registration book's last line was torn (a crash while it was written): ", bytes.size(),
        " byte(s) moved to ", quarantine.string(), "; the book goes on from line ", lines_.size());
}

std::string format_book_line(const BookEntry& entry) {
    nlohmann::json body = to_json_without_hash(entry);
    body["entry-hash"] = entry.entry_hash;
    return body.dump() + "\n";
}

void RegistrationBook::append(BookEntry entry) {
    write_entry(std::move(entry));
    if (!checkpoint_every_ || since_checkpoint_ < checkpoint_every_) return;
    try {
        append_checkpoint();
    } catch (const std::exception& e) {
        // The entry itself is in the book; the next one tries the checkpoint again.
        log::error("cannot write a checkpoint into the registration book: ", e.what());
    }
}

void RegistrationBook::append_checkpoint() {
    BookEntry checkpoint;
    checkpoint.outcome = "checkpoint";
    checkpoint.reason = checkpoint_statement({lines_.size(), last_hash_});
    checkpoint.signature = base64_encode(
        sign_(std::span(reinterpret_cast<const std::uint8_t*>(checkpoint.reason.data()),
                        checkpoint.reason.size())));
    write_entry(std::move(checkpoint));
}

std::filesystem::path RegistrationBook::seal_file() const { return file_.string() + ".seal"; }

void RegistrationBook::enable_checkpoints(std::size_t every, Signer sign) {
    checkpoint_every_ = every;
    sign_ = std::move(sign);
    check_seal();
}

// The seal names the stop's checkpoint: its line number and entry-hash. The book must still
// hold that line; if it is shorter, or holds another line there, its tail was cut off (or the
// book replaced) while rekamd was stopped. A book with checkpoints but no seal lost the seal.
void RegistrationBook::check_seal() {
    std::string problem;
    const std::string text = [&] {
        std::ifstream in(seal_file());
        return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }();
    if (text.empty()) {
        bool checkpointed = false;
        for (std::size_t i = lines_.size(); !checkpointed && i-- > 0;)
            checkpointed = line_text(i).find("\"outcome\":\"checkpoint\"") != std::string::npos;
        if (checkpointed)
            problem = "the seal " + seal_file().string() +
                      " is missing although the book has checkpoints: its tail cannot be checked";
    } else {
        const auto j = nlohmann::json::parse(text, nullptr, false);
        const bool readable = j.is_object() && j.contains("lines") &&
                              j["lines"].is_number_unsigned() && j.contains("entry-hash") &&
                              j["entry-hash"].is_string();
        if (!readable) {
            problem = "the seal " + seal_file().string() + " cannot be read";
        } else {
            const auto lines = j["lines"].get<std::uint64_t>();
            const auto hash = j["entry-hash"].get<std::string>();
            std::optional<BookEntry> sealed;
            if (lines >= 1 && lines <= lines_.size()) sealed = parse_line(line_text(lines - 1));
            if (!sealed || sealed->entry_hash != hash)
                problem = "rekamd sealed the book at line " + std::to_string(lines) +
                          " (entry-hash " + hash + ") when it stopped, but it now " +
                          (lines > lines_.size()
                               ? "ends at line " + std::to_string(lines_.size()) + ": its last " +
                                     std::to_string(lines - lines_.size()) + " line(s) were removed"
                               : "holds another line there: it was cut and written again");
        }
    }
    if (problem.empty()) return;
    log::error("registration book: ", problem);
    BookEntry entry;
    entry.outcome = "seal-broken";
    entry.reason = problem;
    write_entry(std::move(entry));
    // Reported once: the seal now names this line, whatever the next stop does.
    try {
        write_seal();
    } catch (const std::exception& e) {
        log::error("cannot renew the registration book's seal: ", e.what());
    }
}

void RegistrationBook::write_seal() {
    const nlohmann::json j{{"lines", lines_.size()}, {"entry-hash", last_hash_}};
    const std::string text = j.dump() + "\n";
    replace_file_atomically(seal_file().parent_path(), seal_file().filename().string(),
                            std::vector<std::uint8_t>(text.begin(), text.end()));
}

void RegistrationBook::seal() {
    if (!checkpoint_every_) return;
    try {
        if (since_checkpoint_ > 0 || lines_.empty()) append_checkpoint();
        write_seal();
    } catch (const std::exception& e) {
        log::error("cannot seal the registration book: ", e.what());
    }
}

void RegistrationBook::write_entry(BookEntry entry) {
    entry.time = pkg::format_utc(std::chrono::system_clock::now());
    for (std::string* field :
         {&entry.transaction_id, &entry.operator_id, &entry.nik, &entry.name, &entry.outcome,
          &entry.reason, &entry.package, &entry.package_sha256})
        *field = book_field(*field, kMaxBookFieldBytes);
    entry.entry_hash = book_entry_hash(last_hash_, entry);
    const std::string line = format_book_line(entry);
    // One write() of one line under O_APPEND; a short write (full disk) is cut back off.
    const ssize_t n = ::write(fd_.get(), line.data(), line.size());
    if (n != static_cast<ssize_t>(line.size())) {
        const int saved = n < 0 ? errno : ENOSPC;
        if (n > 0 && ftruncate(fd_.get(), static_cast<off_t>(end_)) < 0) { /* nothing more */
        }
        fail("cannot write the registration book", file_, saved);
    }
    if (fdatasync(fd_.get()) < 0) {
        const int saved = errno;
        if (ftruncate(fd_.get(), static_cast<off_t>(end_)) < 0) { /* nothing more */
        }
        fail("cannot sync the registration book", file_, saved);
    }
    lines_.push_back(Line{end_, static_cast<std::uint32_t>(line.size() - 1)});
    end_ += line.size();
    last_hash_ = entry.entry_hash;
    track(entry, lines_.size() - 1);
}

std::string RegistrationBook::line_text(std::size_t index) const {
    const Line& line = lines_.at(index);
    std::string text(line.length, '\0');
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n =
            pread(fd_.get(), text.data() + done, text.size() - done, line.offset + done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) fail("cannot read the registration book", file_, errno);
        if (n == 0)
            throw std::runtime_error("the registration book " + file_.string() +
                                     " became shorter while rekamd was reading it");
        done += static_cast<std::size_t>(n);
    }
    return text;
}

std::vector<BookEntry> RegistrationBook::read(std::uint64_t first, std::size_t count,
                                              std::size_t max_bytes) const {
    std::vector<BookEntry> out;
    std::size_t bytes = 0;
    for (std::uint64_t i = first; i < lines_.size() && out.size() < count; ++i) {
        if (!out.empty() && bytes >= max_bytes) break;
        const std::size_t index = static_cast<std::size_t>(i);
        if (lines_[index].length > kMaxBookLineBytes) {
            out.push_back(
                damaged(index, "is too long (" + std::to_string(lines_[index].length) + " bytes)"));
            continue;
        }
        const std::string text = line_text(index);
        bytes += text.size();
        auto entry = parse_line(text);
        out.push_back(entry ? std::move(*entry) : damaged(index, "cannot be read"));
    }
    return out;
}

std::size_t RegistrationBook::verify_chain() const {
    std::string previous = book_initial_hash();
    for (std::size_t i = 0; i < lines_.size(); ++i) {
        const auto entry = parse_line(line_text(i));
        if (!entry || book_entry_hash(previous, *entry) != entry->entry_hash) return i + 1;
        previous = entry->entry_hash;
    }
    return 0;
}

std::vector<BookEntry> RegistrationBook::entries_at(
    const std::map<std::string, std::size_t>& lines) const {
    std::vector<std::size_t> indices;
    for (const auto& [_, index] : lines) indices.push_back(index);
    std::sort(indices.begin(), indices.end());
    std::vector<BookEntry> out;
    for (std::size_t index : indices)
        if (auto entry = parse_line(line_text(index))) out.push_back(std::move(*entry));
    return out;
}

std::vector<BookEntry> RegistrationBook::unfinished() const { return entries_at(open_); }

std::vector<BookEntry> RegistrationBook::spooled() const { return entries_at(spooled_); }

std::optional<BookEntry> RegistrationBook::spooled(const std::string& package) const {
    const auto it = spooled_.find(package);
    if (it == spooled_.end()) return std::nullopt;
    return parse_line(line_text(it->second));
}

std::optional<BookEntry> RegistrationBook::newest(
    const std::string& package, const std::function<bool(const std::string&)>& outcome) const {
    for (std::size_t i = lines_.size(); i-- > 0;) {
        if (lines_[i].length > kMaxBookLineBytes) continue;
        const std::string text = line_text(i);
        if (text.find(package) == std::string::npos) continue;
        auto entry = parse_line(text);
        if (entry && entry->package == package && outcome(entry->outcome)) return entry;
    }
    return std::nullopt;
}

std::optional<BookEntry> RegistrationBook::released(const std::string& package) const {
    return newest(package, is_release);
}

std::optional<BookEntry> RegistrationBook::enrolled(const std::string& package) const {
    // From the newest: a package waiting for its name was booked just before a crash.
    return newest(package, [](const std::string& outcome) { return outcome == "enrolled"; });
}

}  // namespace rekam
