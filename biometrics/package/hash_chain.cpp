#include "biometrics/package/hash_chain.h"

#include <openssl/evp.h>

#include "biometrics/package/openssl_ptr.h"

namespace rekam::pkg {

Digest sha256(std::span<const std::uint8_t> data) {
    Digest d{};
    unsigned int len = 0;
    if (EVP_Digest(data.data(), data.size(), d.data(), &len, EVP_sha256(), nullptr) != 1 ||
        len != d.size())
        throw_openssl("SHA-256");
    return d;
}

std::string to_hex(std::span<const std::uint8_t> bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (auto b : bytes) {
        out.push_back(kDigits[b >> 4]);
        out.push_back(kDigits[b & 0x0F]);
    }
    return out;
}

std::optional<Digest> digest_from_hex(std::string_view hex) {
    if (hex.size() != 64) return std::nullopt;
    Digest d{};
    for (std::size_t i = 0; i < 64; ++i) {
        const char c = hex[i];
        int v;
        if (c >= '0' && c <= '9')
            v = c - '0';
        else if (c >= 'a' && c <= 'f')
            v = c - 'a' + 10;
        else
            return std::nullopt;
        d[i / 2] = static_cast<std::uint8_t>(d[i / 2] << 4 | v);
    }
    return d;
}

HashChain::HashChain() : head_(sha256({})) {}

const Digest& HashChain::append(std::span<const std::uint8_t> record) {
    const Digest record_hash = sha256(record);
    std::array<std::uint8_t, 64> joined{};
    std::copy(head_.begin(), head_.end(), joined.begin());
    std::copy(record_hash.begin(), record_hash.end(), joined.begin() + 32);
    head_ = sha256(joined);
    return head_;
}

std::string HashChain::initial_hex() { return to_hex(sha256({})); }

bool HashChain::verify(const std::vector<std::span<const std::uint8_t>>& records,
                       const std::vector<std::string>& links_hex, std::string_view head_hex) {
    if (records.size() != links_hex.size()) return false;
    HashChain chain;
    for (std::size_t i = 0; i < records.size(); ++i)
        if (to_hex(chain.append(records[i])) != links_hex[i]) return false;
    return chain.head_hex() == head_hex;
}

}  // namespace rekam::pkg
