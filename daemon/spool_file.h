// Files written into the spool (and beside the registration book) so that a crash never leaves
// half of one under its final name: stage_file() writes and fsyncs a temporary ".<name>.partial",
// commit() renames it (never over an existing file) and fsyncs the directory; recover_spool()
// finishes or removes what a crash left.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace rekam {

// A package under its temporary name ".<name>.partial" in the spool, synced, not yet final.
// Removed on destruction unless committed or kept.
class StagedPackage {
  public:
    StagedPackage(std::filesystem::path dir, std::string name, std::string sha256);
    StagedPackage(StagedPackage&& other) noexcept;
    StagedPackage& operator=(StagedPackage&&) = delete;
    StagedPackage(const StagedPackage&) = delete;
    ~StagedPackage();

    const std::string& name() const { return name_; }  // the final file name
    std::filesystem::path path() const { return dir_ / name_; }
    std::filesystem::path temporary() const { return dir_ / temporary_name(name_); }
    const std::string& sha256() const { return sha256_; }
    bool committed() const { return state_ == State::Committed; }

    // Its book entry is written: from now on the temporary is never removed, whatever fails;
    // commit() again, or start-up recovery, gives it its final name.
    void keep() {
        if (state_ == State::Staged) state_ = State::Kept;
    }
    // Rename to the final name (never over an existing file unless `replace`), then fsync the
    // directory. Throws std::runtime_error with the path and errno text.
    void commit(bool replace = false);

    static std::string temporary_name(const std::string& name) { return "." + name + ".partial"; }
    // The package name a temporary file stands for; nullopt for any other file.
    static std::optional<std::string> name_of_temporary(const std::string& file);

  private:
    enum class State { Staged, Kept, Committed, Moved };
    std::filesystem::path dir_;
    std::string name_;
    std::string sha256_;
    State state_ = State::Staged;
};

// Write `bytes` to the temporary of `dir/name` and fsync it (a leftover temporary is replaced).
// Throws std::runtime_error with the path and errno text; nothing is left behind then.
StagedPackage stage_file(const std::filesystem::path& dir, const std::string& name,
                         const std::vector<std::uint8_t>& bytes, std::string sha256 = {});

// stage_file() and commit() in one: for files no book entry goes with.
void write_file_atomically(const std::filesystem::path& dir, const std::string& name,
                           const std::vector<std::uint8_t>& bytes);
// The same, over an existing file of that name (the book's seal): readers see the old file or
// the new one, never a mix.
void replace_file_atomically(const std::filesystem::path& dir, const std::string& name,
                             const std::vector<std::uint8_t>& bytes);

// What start-up found in the spool.
struct SpoolRecovery {
    std::vector<std::string> completed;  // booked packages given their final name
    std::vector<std::string> removed;    // temporaries without a matching book entry
};

// Finishes what a crash interrupted: a temporary whose package `booked_sha256` knows (the
// SHA-256 of its "enrolled" book entry, or nullopt) and matches is renamed to its final name;
// every other temporary is removed. No temporary survives.
SpoolRecovery recover_spool(
    const std::filesystem::path& dir,
    const std::function<std::optional<std::string>(const std::string& name)>& booked_sha256);

}  // namespace rekam
