// Big-endian writer and bounds-checked reader shared by the ISO/IEC 19794 record codecs.
// ISO 19794 fields are all unsigned big-endian integers of 1, 2, 3 or 4 bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace rekam::bio {

class ByteWriter {
  public:
    void u8(std::uint32_t v) { out_.push_back(static_cast<std::uint8_t>(v)); }
    void u16(std::uint32_t v) { be(v, 2); }
    void u24(std::uint32_t v) { be(v, 3); }
    void u32(std::uint32_t v) { be(v, 4); }
    void bytes(std::span<const std::uint8_t> b) { out_.insert(out_.end(), b.begin(), b.end()); }
    std::size_t size() const { return out_.size(); }
    // Back-patches a 4-byte length once the following bytes are known.
    void patch_u32(std::size_t offset, std::uint32_t v);
    std::vector<std::uint8_t> take() { return std::move(out_); }

  private:
    void be(std::uint32_t v, int n);
    std::vector<std::uint8_t> out_;
};

// Every read names its field; running past the end throws RecordError with the record
// name, the field and the offset.
class ByteReader {
  public:
    ByteReader(std::span<const std::uint8_t> data, std::string record)
        : data_(data), record_(std::move(record)) {}

    std::uint8_t u8(const char* field);
    std::uint16_t u16(const char* field);
    std::uint32_t u24(const char* field);
    std::uint32_t u32(const char* field);
    std::span<const std::uint8_t> bytes(std::size_t n, const char* field);

    std::size_t offset() const { return pos_; }
    std::size_t remaining() const { return data_.size() - pos_; }
    const std::string& record() const { return record_; }

    [[noreturn]] void fail(const char* field, std::size_t at, const std::string& problem) const;
    // Rejects trailing bytes after the last field.
    void expect_end(const char* after) const;

  private:
    std::uint32_t be(int n, const char* field);
    std::span<const std::uint8_t> data_;
    std::string record_;
    std::size_t pos_ = 0;
};

}  // namespace rekam::bio
