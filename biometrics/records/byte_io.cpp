#include "biometrics/records/byte_io.h"

#include "biometrics/records/record_error.h"

namespace rekam::bio {

void ByteWriter::be(std::uint32_t v, int n) {
    for (int i = n - 1; i >= 0; --i) out_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

void ByteWriter::patch_u32(std::size_t offset, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out_.at(offset + i) = static_cast<std::uint8_t>(v >> (8 * (3 - i)));
}

std::uint32_t ByteReader::be(int n, const char* field) {
    auto b = bytes(static_cast<std::size_t>(n), field);
    std::uint32_t v = 0;
    for (auto x : b) v = (v << 8) | x;
    return v;
}

std::uint8_t ByteReader::u8(const char* field) { return static_cast<std::uint8_t>(be(1, field)); }
std::uint16_t ByteReader::u16(const char* field) {
    return static_cast<std::uint16_t>(be(2, field));
}
std::uint32_t ByteReader::u24(const char* field) { return be(3, field); }
std::uint32_t ByteReader::u32(const char* field) { return be(4, field); }

std::span<const std::uint8_t> ByteReader::bytes(std::size_t n, const char* field) {
    if (n > remaining())
        fail(field, pos_,
             "truncated: needs " + std::to_string(n) + " bytes, " + std::to_string(remaining()) +
                 " left");
    auto out = data_.subspan(pos_, n);
    pos_ += n;
    return out;
}

void ByteReader::fail(const char* field, std::size_t at, const std::string& problem) const {
    throw RecordError(record_, field, at, problem);
}

void ByteReader::expect_end(const char* after) const {
    if (remaining() != 0)
        fail(after, pos_, std::to_string(remaining()) + " trailing bytes after the record");
}

}  // namespace rekam::bio
