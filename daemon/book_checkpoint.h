// The registration book's checkpoints: every so many entries, and at each stop, rekamd appends a
// line (outcome "checkpoint") whose reason is a statement of how many entries precede it and the
// chain's head after them, and whose signature is the station's detached CMS signature over that
// statement (DER, base64). A verifier recomputes both from the entries before it, so an edited
// entry, a checkpoint signed with another key, or one that lies about the book all show; the
// last checkpoint of a stop is also kept beside the book (the seal), so a tail cut off the book
// file while rekamd was stopped shows at the next start as a "seal-broken" entry.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace rekam {

inline constexpr std::string_view kCheckpointFormat = "rekam-book-checkpoint/1";

struct CheckpointStatement {
    std::uint64_t entries = 0;  // entries before the checkpoint line
    std::string head;           // the entry-hash of the last of them (the initial hash if none)
    bool operator==(const CheckpointStatement&) const = default;
};

// "rekam-book-checkpoint/1 entries=<n> head=<64 hex>": the exact bytes that are signed.
std::string checkpoint_statement(const CheckpointStatement& s);
std::optional<CheckpointStatement> parse_checkpoint_statement(std::string_view text);

std::string base64_encode(std::span<const std::uint8_t> bytes);
// nullopt for anything but canonical base64.
std::optional<std::vector<std::uint8_t>> base64_decode(std::string_view text);

}  // namespace rekam
