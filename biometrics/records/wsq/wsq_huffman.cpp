#include "biometrics/records/wsq/wsq_huffman.h"

#include <algorithm>
#include <string>

#include "biometrics/records/record_error.h"

namespace rekam::bio::wsq {

namespace {

constexpr int kMaxRun = 100;       // symbols 1-100
constexpr int kPlus8 = 101;        // then 8 bits
constexpr int kMinus8 = 102;       // then 8 bits
constexpr int kPlus16 = 103;       // then 16 bits
constexpr int kMinus16 = 104;      // then 16 bits
constexpr int kRun8 = 105;         // then 8 bits
constexpr int kRun16 = 106;        // then 16 bits
constexpr int kValueOffset = 180;  // symbols 107-254 are values -73 ... 74
constexpr int kMinSmall = 107 - kValueOffset;
constexpr int kMaxSmall = 254 - kValueOffset;

// Calls emit(symbol, extra_bits, extra_length) for each symbol that codes the block.
template <typename Emit>
void for_each_symbol(std::span<const std::int32_t> coefficients, Emit emit) {
    std::uint32_t run = 0;
    const auto flush_run = [&] {
        while (run > 0) {
            const std::uint32_t n = std::min<std::uint32_t>(run, 0xFFFF);
            if (n <= kMaxRun)
                emit(static_cast<int>(n), 0u, 0);
            else if (n <= 0xFF)
                emit(kRun8, n, 8);
            else
                emit(kRun16, n, 16);
            run -= n;
        }
    };
    for (const std::int32_t c : coefficients) {
        if (c == 0) {
            ++run;
            continue;
        }
        flush_run();
        const std::int32_t v = std::clamp(c, -kMaxCoefficient, kMaxCoefficient);
        const auto magnitude = static_cast<std::uint32_t>(v < 0 ? -v : v);
        if (v >= kMinSmall && v <= kMaxSmall)
            emit(v + kValueOffset, 0u, 0);
        else if (magnitude <= 0xFF)
            emit(v > 0 ? kPlus8 : kMinus8, magnitude, 8);
        else
            emit(v > 0 ? kPlus16 : kMinus16, magnitude, 16);
    }
    flush_run();
}

struct Code {
    std::uint16_t bits = 0;
    std::uint8_t length = 0;
};

// Canonical code assignment (JPEG annex C): consecutive values within a length, shifted
// left one bit per length.
std::array<Code, 256> codes_of(const HuffmanTable& table) {
    std::array<Code, 256> codes{};
    std::uint32_t code = 0;
    std::size_t k = 0;
    for (std::size_t len = 1; len <= 16; ++len) {
        for (int i = 0; i < table.counts[len - 1]; ++i)
            codes[table.values[k++]] = {static_cast<std::uint16_t>(code++),
                                        static_cast<std::uint8_t>(len)};
        code <<= 1;
    }
    return codes;
}

class BitWriter {
  public:
    explicit BitWriter(ByteWriter& out) : out_(out) {}
    void put(std::uint32_t bits, int length) {
        acc_ = (acc_ << length) | (bits & ((1u << length) - 1));
        count_ += length;
        while (count_ >= 8) {
            count_ -= 8;
            byte(static_cast<std::uint8_t>(acc_ >> count_));
        }
        acc_ &= (1u << count_) - 1;
    }
    // Pads the last byte with ones, which no code starts a whole symbol with.
    void flush() {
        if (count_ > 0) put((1u << (8 - count_)) - 1, 8 - count_);
    }

  private:
    void byte(std::uint8_t b) {
        out_.u8(b);
        if (b == 0xFF) out_.u8(0x00);
    }
    ByteWriter& out_;
    std::uint32_t acc_ = 0;
    int count_ = 0;
};

[[noreturn]] void fail(std::size_t at, const std::string& problem) {
    throw RecordError("WSQ", "block data", at, problem);
}

// Reads bits until the next marker, undoing the 0x00 stuffing.
class BitReader {
  public:
    BitReader(std::span<const std::uint8_t> data, std::size_t start) : data_(data), pos_(start) {}

    // 0 or 1, or -1 once the next byte is a marker.
    int bit() {
        if (count_ == 0 && !fill()) return -1;
        --count_;
        return (byte_ >> count_) & 1;
    }
    std::uint32_t bits(int n, const char* what) {
        std::uint32_t v = 0;
        for (int i = 0; i < n; ++i) {
            const int b = bit();
            if (b < 0) fail(pos_, std::string("marker inside the extra bits of ") + what);
            v = (v << 1) | static_cast<std::uint32_t>(b);
        }
        return v;
    }
    std::size_t position() const { return pos_; }

  private:
    bool fill() {
        if (pos_ >= data_.size()) fail(pos_, "truncated: the data ends inside a block");
        const std::uint8_t b = data_[pos_];
        if (b == 0xFF) {
            if (pos_ + 1 >= data_.size()) fail(pos_, "truncated: the data ends after 0xFF");
            if (data_[pos_ + 1] != 0x00) return false;  // a marker: the block ends here
            pos_ += 2;
        } else {
            ++pos_;
        }
        byte_ = b;
        count_ = 8;
        return true;
    }
    std::span<const std::uint8_t> data_;
    std::size_t pos_;
    std::uint8_t byte_ = 0;
    int count_ = 0;
};

// JPEG annex F.2.2.3 decoding: per length, the smallest and largest code and where its
// symbols start in the value list.
class Decoder {
  public:
    explicit Decoder(const HuffmanTable& table) : values_(table.values) {
        std::int32_t code = 0;
        std::size_t k = 0;
        for (std::size_t len = 1; len <= 16; ++len) {
            const int n = table.counts[len - 1];
            first_index_[len] = k;
            min_code_[len] = code;
            max_code_[len] = n ? code + n - 1 : -1;
            code = (code + n) << 1;
            k += static_cast<std::size_t>(n);
        }
    }
    // The next symbol, or -1 when the block's marker comes first (the bits read so far
    // were its padding).
    int next(BitReader& in) const {
        std::int32_t code = 0;
        for (std::size_t len = 1; len <= 16; ++len) {
            const int b = in.bit();
            if (b < 0) return -1;
            code = (code << 1) | b;
            if (code <= max_code_[len])
                return values_[first_index_[len] + static_cast<std::size_t>(code - min_code_[len])];
        }
        fail(in.position(), "a bit pattern that is no code of the block's Huffman table");
    }

  private:
    const std::vector<std::uint8_t>& values_;
    std::array<std::int32_t, 17> min_code_{};
    std::array<std::int32_t, 17> max_code_{};
    std::array<std::size_t, 17> first_index_{};
};

}  // namespace

void count_symbols(std::span<const std::int32_t> coefficients, SymbolCounts& counts) {
    for_each_symbol(coefficients, [&](int symbol, std::uint32_t, int) { ++counts[symbol]; });
}

// JPEG annex K.2: Huffman's merge with a reserved symbol of frequency 1 (so no real symbol
// gets the all-ones code), then lengths over 16 folded back (figure K.3).
HuffmanTable build_table(const SymbolCounts& counts) {
    constexpr int kReserved = 256;
    std::array<std::uint64_t, 257> freq{};
    std::copy(counts.begin(), counts.end(), freq.begin());
    if (std::all_of(counts.begin(), counts.end(), [](auto c) { return c == 0; })) freq[1] = 1;
    freq[kReserved] = 1;
    std::array<int, 257> size{};
    std::array<int, 257> next{};
    next.fill(-1);
    for (;;) {
        // The two least frequent live entries; ties go to the larger symbol.
        int v1 = -1, v2 = -1;
        for (int i = 0; i <= kReserved; ++i)
            if (freq[i] && (v1 < 0 || freq[i] <= freq[v1])) v1 = i;
        for (int i = 0; i <= kReserved; ++i)
            if (freq[i] && i != v1 && (v2 < 0 || freq[i] <= freq[v2])) v2 = i;
        if (v2 < 0) break;
        freq[v1] += freq[v2];
        freq[v2] = 0;
        int i = v1;
        for (++size[i]; next[i] >= 0; ++size[i]) i = next[i];
        next[i] = v2;
        for (i = v2, ++size[i]; next[i] >= 0; ++size[i]) i = next[i];
    }
    std::array<int, 33> bits{};
    for (int i = 0; i <= kReserved; ++i)
        if (size[i]) ++bits[static_cast<std::size_t>(size[i])];
    for (int i = 32; i > 16; --i)
        while (bits[i] > 0) {
            int j = i - 2;
            while (bits[j] == 0) --j;
            bits[i] -= 2;
            bits[i - 1] += 1;
            bits[j + 1] += 2;
            bits[j] -= 1;
        }
    int longest = 16;
    while (bits[longest] == 0) --longest;
    bits[longest] -= 1;  // the reserved symbol's code

    HuffmanTable table;
    for (int len = 1; len <= 16; ++len)
        table.counts[len - 1] = static_cast<std::uint8_t>(bits[len]);
    for (int len = 1; len <= 32; ++len)
        for (int s = 0; s < kReserved; ++s)
            if (size[s] == len) table.values.push_back(static_cast<std::uint8_t>(s));
    return table;
}

void encode_block(std::span<const std::int32_t> coefficients, const HuffmanTable& table,
                  ByteWriter& out) {
    const auto codes = codes_of(table);
    BitWriter bits(out);
    for_each_symbol(coefficients, [&](int symbol, std::uint32_t extra, int extra_length) {
        const Code& c = codes[static_cast<std::size_t>(symbol)];
        if (c.length == 0) throw RecordError("encode_wsq: symbol missing from the Huffman table");
        bits.put(c.bits, c.length);
        if (extra_length) bits.put(extra, extra_length);
    });
    bits.flush();
}

std::size_t decode_block(std::span<const std::uint8_t> data, std::size_t start,
                         const HuffmanTable& table, std::size_t limit,
                         std::vector<std::int32_t>& out) {
    const Decoder decoder(table);
    BitReader in(data, start);
    const auto add = [&](std::int32_t value, std::uint32_t count) {
        if (count > limit - out.size())
            fail(in.position(), "more coefficients than the frame's coded subbands hold (" +
                                    std::to_string(limit) + ")");
        out.insert(out.end(), count, value);
    };
    for (;;) {
        const int symbol = decoder.next(in);
        if (symbol < 0) return in.position();
        if (symbol >= 1 && symbol <= kMaxRun)
            add(0, static_cast<std::uint32_t>(symbol));
        else if (symbol == kPlus8 || symbol == kMinus8) {
            const auto v = static_cast<std::int32_t>(in.bits(8, "an 8-bit coefficient"));
            add(symbol == kPlus8 ? v : -v, 1);
        } else if (symbol == kPlus16 || symbol == kMinus16) {
            const auto v = static_cast<std::int32_t>(in.bits(16, "a 16-bit coefficient"));
            add(symbol == kPlus16 ? v : -v, 1);
        } else if (symbol == kRun8)
            add(0, in.bits(8, "an 8-bit zero run"));
        else if (symbol == kRun16)
            add(0, in.bits(16, "a 16-bit zero run"));
        else if (symbol > kRun16 && symbol < 255)
            add(symbol - kValueOffset, 1);
        else
            fail(in.position(), "symbol " + std::to_string(symbol) + " has no meaning in WSQ");
    }
}

}  // namespace rekam::bio::wsq
