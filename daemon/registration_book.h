// The "Buku Registrasi E-KTP": one append-only line per request (accepted, refused or
// abandoned), as the SOP requires. Each line carries a SHA-256 chained over the previous one,
// so an edited or deleted line shows.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "common/unique_fd.h"

namespace rekam {

struct BookEntry {
    std::string time;  // UTC ISO 8601; filled in by append()
    std::string transaction_id;
    std::string operator_id;
    std::string nik;
    std::string name;
    std::string outcome;  // "enrolled", "refused", "abandoned"
    std::string reason;
    std::string package;
    std::string package_sha256;
    std::string entry_hash;  // filled in by append()
};

class RegistrationBook {
  public:
    // Opens (creating 0600) the book file; reads it once to continue the hash chain.
    explicit RegistrationBook(std::filesystem::path file);

    // Appends and fsyncs one entry. Throws std::runtime_error when the line cannot be written
    // whole (full disk): the caller reports it; the book never holds half a line.
    void append(BookEntry entry);
    // The last `limit` entries (0: all), oldest first.
    std::vector<BookEntry> read(std::size_t limit = 0) const;
    // Re-checks every chain link; returns the 1-based line of the first broken one, or 0.
    std::size_t verify_chain() const;

    const std::filesystem::path& file() const { return file_; }

  private:
    std::filesystem::path file_;
    UniqueFd fd_;
    std::string last_hash_;
};

}  // namespace rekam
