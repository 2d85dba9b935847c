#include "daemon/book_checkpoint.h"

#include <openssl/evp.h>

#include <charconv>

namespace rekam {

std::string checkpoint_statement(const CheckpointStatement& s) {
    return std::string(kCheckpointFormat) + " entries=" + std::to_string(s.entries) +
           " head=" + s.head;
}

std::optional<CheckpointStatement> parse_checkpoint_statement(std::string_view text) {
    const std::string_view whole = text;
    const std::string prefix = std::string(kCheckpointFormat) + " entries=";
    if (!text.starts_with(prefix)) return std::nullopt;
    text.remove_prefix(prefix.size());
    CheckpointStatement s;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), s.entries);
    if (ec != std::errc() || end == text.data()) return std::nullopt;
    text.remove_prefix(static_cast<std::size_t>(end - text.data()));
    constexpr std::string_view kHead = " head=";
    if (!text.starts_with(kHead)) return std::nullopt;
    text.remove_prefix(kHead.size());
    if (text.size() != 64 || text.find_first_not_of("0123456789abcdef") != std::string::npos)
        return std::nullopt;
    s.head = std::string(text);
    // Canonical only ("entries=007" is not): the bytes must be what checkpoint_statement() writes.
    if (checkpoint_statement(s) != whole) return std::nullopt;
    return s;
}

std::string base64_encode(std::span<const std::uint8_t> bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3), '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes.data(),
                                  static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

std::optional<std::vector<std::uint8_t>> base64_decode(std::string_view text) {
    if (text.empty() || text.size() % 4 != 0) return std::nullopt;
    std::vector<std::uint8_t> out(text.size() / 4 * 3);
    const int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                                  static_cast<int>(text.size()));
    if (n < 0) return std::nullopt;
    // EVP_DecodeBlock keeps the padding's zero bytes: drop one per '='.
    std::size_t size = static_cast<std::size_t>(n);
    for (std::size_t i = text.size(); i-- > 0 && text[i] == '=';) --size;
    out.resize(size);
    if (base64_encode(out) != text) return std::nullopt;
    return out;
}

}  // namespace rekam
