// The "Buku Registrasi E-KTP": append-only lines, one when a request opens and one when it ends
// (accepted, refused, abandoned or interrupted), as the SOP requires. Each line carries a SHA-256
// chained over the previous one, so an edited or deleted line shows.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/unique_fd.h"

namespace rekam {

struct BookEntry {
    std::string time;  // UTC ISO 8601; filled in by append()
    std::string transaction_id;
    std::string operator_id;
    std::string nik;
    std::string name;
    // "opened" (a session began), then one end: "enrolled", "abandoned" or "interrupted" (the
    // daemon stopped without closing it: found at the next start). "refused" is a whole request
    // in one line. An enrolled package later leaves the spool with "acknowledged" (Adminduk has
    // it) or "expired" ([Spool] MaxAgeDays=). "damaged" only in what read() returns for a line
    // it cannot parse.
    std::string outcome;
    std::string reason;
    std::string package;  // file name in the spool
    std::string package_sha256;
    std::string signature;   // "checkpoint" lines only: base64 CMS (book_checkpoint.h)
    std::string entry_hash;  // filled in by append()
};

// The entry's fields under the names the book file and ReadRegistrationBook both use: one list
// for writing a line, reading it back, and the D-Bus dictionary. "entry-hash" comes last.
struct BookField {
    const char* key;
    std::string BookEntry::*member;
};
inline constexpr BookField kBookFields[] = {
    {"time", &BookEntry::time},
    {"transaction-id", &BookEntry::transaction_id},
    {"operator", &BookEntry::operator_id},
    {"nik", &BookEntry::nik},
    {"name", &BookEntry::name},
    {"outcome", &BookEntry::outcome},
    {"reason", &BookEntry::reason},
    {"package", &BookEntry::package},
    {"package-sha256", &BookEntry::package_sha256},
    {"signature", &BookEntry::signature},
    {"entry-hash", &BookEntry::entry_hash},
};

// The chain link of `entry` after `previous_hash`: what append() records as "entry-hash" and what
// a verifier recomputes (rekamctl book --verify does it from ReadRegistrationBook's entries).
std::string book_entry_hash(const std::string& previous_hash, const BookEntry& entry);
// The hash the first entry chains from (SHA-256 of nothing).
std::string book_initial_hash();
// One line of the book file for `entry` (its entry_hash set), with the newline. Tests use it
// to write big books without append()'s fdatasync per line.
std::string format_book_line(const BookEntry& entry);
// At most `max` bytes of `text`, cut on a UTF-8 boundary: what a field of the book may hold.
std::string book_field(std::string_view text, std::size_t max);

// Every field of an entry is cut to this before it is written (names and ids are bounded
// tighter at OpenSession already); so no line is longer than kMaxBookLineBytes.
inline constexpr std::size_t kMaxBookFieldBytes = 1024;
inline constexpr std::size_t kMaxBookLineBytes = 16 * 1024;

// What opening the book found and did.
struct BookOpening {
    std::size_t quarantined_bytes = 0;  // a torn last line moved into the quarantine file
    bool completed_last_line = false;   // an intact last line whose newline was lost
    std::size_t broken_line = 0;        // first line (1-based) whose chain link fails, or 0
};

class RegistrationBook {
  public:
    // Opens (creating 0600) the book file and reads it once: the chain, the line index, the
    // requests still open. A last line a crash tore is moved into quarantine_file() and cut off
    // (logged); a broken chain before it is logged and kept as it is, for an auditor to see.
    explicit RegistrationBook(std::filesystem::path file);

    // Appends and fdatasyncs one entry. Throws std::runtime_error when the line cannot be
    // written whole (full disk): the caller reports it; the book never holds half a line.
    // With checkpoints enabled, every `every`-th entry is followed by a checkpoint.
    void append(BookEntry entry);

    // Signs the book from now on (book_checkpoint.h): a checkpoint after every `every` entries,
    // `sign` making the detached CMS signature (DER) of a statement. First checks the seal the
    // last stop left: a book shorter than it, or whose line there differs, lost its tail, and
    // a "seal-broken" entry says so (logged as an error).
    using Signer = std::function<std::vector<std::uint8_t>(std::span<const std::uint8_t>)>;
    void enable_checkpoints(std::size_t every, Signer sign);
    // rekamd's stop: a checkpoint (unless the last line is one), then the seal file beside the
    // book naming it. Errors are logged: a stop goes on.
    void seal();
    std::filesystem::path seal_file() const;

    // Number of entries (non-empty lines).
    std::size_t size() const { return lines_.size(); }
    // Entries [first, first + count), oldest first, stopping early once `max_bytes` of lines
    // are read (always at least one entry when any is left). A line that cannot be parsed, or is
    // longer than any entry the daemon writes, comes back with outcome "damaged".
    std::vector<BookEntry> read(std::uint64_t first, std::size_t count,
                                std::size_t max_bytes = 4u << 20) const;
    // Re-checks every chain link, line by line; returns the 1-based line of the first broken
    // one, or 0.
    std::size_t verify_chain() const;

    // Requests booked "opened" and not yet ended, oldest first.
    std::vector<BookEntry> unfinished() const;
    // The newest "enrolled" entry naming this package file, if any.
    std::optional<BookEntry> enrolled(const std::string& package) const;
    // Packages booked "enrolled" and not since "acknowledged" or "expired": what the spool owes
    // Adminduk. All of them oldest first, or the one of a package file.
    std::vector<BookEntry> spooled() const;
    std::optional<BookEntry> spooled(const std::string& package) const;
    // The newest "acknowledged" or "expired" entry naming this package file (a scan of the
    // book: for start-up, not for every call).
    std::optional<BookEntry> released(const std::string& package) const;

    const std::filesystem::path& file() const { return file_; }
    std::filesystem::path quarantine_file() const;
    const BookOpening& opening() const { return opening_; }

  private:
    struct Line {
        std::uint64_t offset;
        std::uint32_t length;  // without the newline
    };
    void scan();
    void quarantine_tail(std::uint64_t from, const std::string& bytes);
    void track(const BookEntry& entry, std::size_t index);
    void write_entry(BookEntry entry);
    void append_checkpoint();
    void check_seal();
    void write_seal();  // the seal names the book's last line
    std::string line_text(std::size_t index) const;
    // The newest entry naming `package` whose outcome passes `outcome` (a scan from the end).
    std::optional<BookEntry> newest(const std::string& package,
                                    const std::function<bool(const std::string&)>& outcome) const;
    // The entries of an index (open_, spooled_), oldest first.
    std::vector<BookEntry> entries_at(const std::map<std::string, std::size_t>& lines) const;

    std::filesystem::path file_;
    UniqueFd fd_;
    std::uint64_t end_ = 0;    // size of the file: the end of its last whole line
    std::vector<Line> lines_;  // 16 bytes a line: a decade of a busy office is a few MB
    std::string last_hash_;
    std::map<std::string, std::size_t> open_;     // transaction id -> its "opened" line
    std::map<std::string, std::size_t> spooled_;  // package file -> its "enrolled" line
    std::size_t checkpoint_every_ = 0;            // 0: no checkpoints
    Signer sign_;
    std::size_t since_checkpoint_ = 0;  // entries after the last checkpoint line
    BookOpening opening_;
};

}  // namespace rekam
