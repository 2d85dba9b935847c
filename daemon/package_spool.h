// The spool after Finalize: a package waits there until Adminduk has confirmed its receipt
// (Manager.AcknowledgePackage) or it outlives [Spool] MaxAgeDays=. Either way the registration
// book says so first and the file goes after, so a crash in between leaves a file whose
// release is booked, and finish_releases() removes it at the next start. Nothing else ever
// removes a package.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/unique_fd.h"
#include "daemon/registration_book.h"

namespace rekam {

// Why acknowledging or opening a package was refused; nothing was done.
struct SpoolRefusal : std::runtime_error {
    enum class Reason {
        Unknown,     // no package of this transaction waits in the spool
        OtherBytes,  // the receipt is for a package with another SHA-256
    };
    SpoolRefusal(Reason r, const std::string& what) : std::runtime_error(what), reason(r) {}
    Reason reason;
};

struct Acknowledgement {
    std::string transaction_id;
    std::string receipt;         // Adminduk's receipt number, booked with it (may be empty)
    std::string package_sha256;  // what Adminduk received, checked when given (may be empty)
    std::string by;              // who acknowledged: the caller's bus name and uid, for the book
};

class PackageSpool {
  public:
    // max_age_days 0: packages wait for their acknowledgement however long it takes.
    PackageSpool(std::filesystem::path dir, RegistrationBook& book, std::uint32_t max_age_days);

    // Books "acknowledged" and removes the package. Throws SpoolRefusal (nothing done),
    // std::runtime_error when the book cannot be written (nothing done either).
    void acknowledge(const Acknowledgement& ack);

    // Books "expired" for, and removes, every package enrolled more than MaxAgeDays before
    // `now`; returns their file names. Nothing when MaxAgeDays is 0.
    std::vector<std::string> expire(std::chrono::system_clock::time_point now);

    // A read-only descriptor of the package of `transaction_id` that waits in the spool, and its
    // booked SHA-256: how a front end that cannot read the spool (0700, rekamd's own) gets it.
    // Throws SpoolRefusal(Unknown) when none waits; std::runtime_error when it cannot be
    // opened.
    std::pair<UniqueFd, std::string> open(const std::string& transaction_id) const;

    // Start-up: removes package files whose release the book already holds (a stop between
    // the book entry and the removal); returns their names.
    std::vector<std::string> finish_releases();

    std::uint32_t max_age_days() const { return max_age_days_; }

  private:
    BookEntry waiting(const std::string& transaction_id) const;  // its "enrolled" entry, or throws
    void release(const BookEntry& enrolled, const std::string& outcome, const std::string& reason);
    void remove(const std::string& name);

    std::filesystem::path dir_;
    RegistrationBook& book_;
    std::uint32_t max_age_days_;
};

// A transaction id as rekamd makes them: a lower-case version 4 UUID.
bool is_transaction_id(const std::string& text);

}  // namespace rekam
