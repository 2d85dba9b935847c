#include "daemon/registration_book.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "biometrics/package/hash_chain.h"
#include "biometrics/package/manifest.h"

namespace rekam {
namespace {

nlohmann::json to_json_without_hash(const BookEntry& e) {
    return nlohmann::json{{"time", e.time},
                          {"transaction-id", e.transaction_id},
                          {"operator", e.operator_id},
                          {"nik", e.nik},
                          {"name", e.name},
                          {"outcome", e.outcome},
                          {"reason", e.reason},
                          {"package", e.package},
                          {"package-sha256", e.package_sha256}};
}

std::string chain(const std::string& previous, const nlohmann::json& body) {
    const std::string text = previous + body.dump();
    return pkg::to_hex(
        pkg::sha256(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size())));
}

BookEntry from_json(const nlohmann::json& j) {
    BookEntry e;
    e.time = j.value("time", "");
    e.transaction_id = j.value("transaction-id", "");
    e.operator_id = j.value("operator", "");
    e.nik = j.value("nik", "");
    e.name = j.value("name", "");
    e.outcome = j.value("outcome", "");
    e.reason = j.value("reason", "");
    e.package = j.value("package", "");
    e.package_sha256 = j.value("package-sha256", "");
    e.entry_hash = j.value("entry-hash", "");
    return e;
}

std::vector<std::string> lines_of(const std::filesystem::path& file) {
    std::vector<std::string> lines;
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line))
        if (!line.empty()) lines.push_back(line);
    return lines;
}

}  // namespace

RegistrationBook::RegistrationBook(std::filesystem::path file) : file_(std::move(file)) {
    fd_.reset(open(file_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (!fd_)
        throw std::runtime_error("cannot open the registration book " + file_.string() + ": " +
                                 std::strerror(errno));
    last_hash_ = pkg::HashChain::initial_hex();
    const auto lines = lines_of(file_);
    if (!lines.empty()) {
        try {
            last_hash_ = nlohmann::json::parse(lines.back()).at("entry-hash").get<std::string>();
        } catch (const std::exception& e) {
            throw std::runtime_error("the registration book " + file_.string() +
                                     " has a damaged last line: " + e.what());
        }
    }
}

void RegistrationBook::append(BookEntry entry) {
    entry.time = pkg::format_utc(std::chrono::system_clock::now());
    nlohmann::json body = to_json_without_hash(entry);
    entry.entry_hash = chain(last_hash_, body);
    body["entry-hash"] = entry.entry_hash;
    const std::string line = body.dump() + "\n";
    // One write() of one line under O_APPEND; a short write (full disk) is cut back off.
    const off_t before = lseek(fd_.get(), 0, SEEK_END);
    const ssize_t n = ::write(fd_.get(), line.data(), line.size());
    if (n != static_cast<ssize_t>(line.size())) {
        const int saved = n < 0 ? errno : ENOSPC;
        if (before >= 0 && ftruncate(fd_.get(), before) < 0) { /* nothing more we can do */
        }
        throw std::runtime_error("cannot write the registration book " + file_.string() + ": " +
                                 std::strerror(saved));
    }
    if (fdatasync(fd_.get()) < 0)
        throw std::runtime_error("cannot sync the registration book: " +
                                 std::string(std::strerror(errno)));
    last_hash_ = entry.entry_hash;
}

std::vector<BookEntry> RegistrationBook::read(std::size_t limit) const {
    const auto lines = lines_of(file_);
    const std::size_t first = limit && lines.size() > limit ? lines.size() - limit : 0;
    std::vector<BookEntry> out;
    for (std::size_t i = first; i < lines.size(); ++i) {
        try {
            out.push_back(from_json(nlohmann::json::parse(lines[i])));
        } catch (const std::exception&) {
            BookEntry damaged;
            damaged.outcome = "damaged";
            damaged.reason = "line " + std::to_string(i + 1) + " of the book cannot be read";
            out.push_back(std::move(damaged));
        }
    }
    return out;
}

std::size_t RegistrationBook::verify_chain() const {
    std::string previous = pkg::HashChain::initial_hex();
    const auto lines = lines_of(file_);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        try {
            nlohmann::json j = nlohmann::json::parse(lines[i]);
            const std::string recorded = j.at("entry-hash").get<std::string>();
            j.erase("entry-hash");
            if (chain(previous, to_json_without_hash(from_json(j))) != recorded) return i + 1;
            previous = recorded;
        } catch (const std::exception&) {
            return i + 1;
        }
    }
    return 0;
}

}  // namespace rekam
