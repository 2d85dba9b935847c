// The capture hash chain of an enroll package, as in MOSIP SBI:
//   link_0 = SHA-256("")
//   link_n = SHA-256(link_{n-1} || SHA-256(record_n))   (raw 32-byte digests concatenated)
// over the sample records in capture order. The manifest stores each sample's link and the
// head as lower-case hex, so a removed, reordered or replaced capture breaks the chain.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace rekam::pkg {

using Digest = std::array<std::uint8_t, 32>;

Digest sha256(std::span<const std::uint8_t> data);
std::string to_hex(std::span<const std::uint8_t> bytes);      // lower case
std::optional<Digest> digest_from_hex(std::string_view hex);  // accepts lower case only

class HashChain {
  public:
    HashChain();  // starts at SHA-256("")

    // Adds one record; returns the new link (also the new head).
    const Digest& append(std::span<const std::uint8_t> record);
    const Digest& head() const { return head_; }
    std::string head_hex() const { return to_hex(head_); }

    static std::string initial_hex();
    // Recomputes the chain over `records` and compares every link and the head.
    static bool verify(const std::vector<std::span<const std::uint8_t>>& records,
                       const std::vector<std::string>& links_hex, std::string_view head_hex);

  private:
    Digest head_;
};

}  // namespace rekam::pkg
