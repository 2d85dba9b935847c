#include "biometrics/records/wsq/wsq_markers.h"

#include <cmath>
#include <cstdio>
#include <sstream>

namespace rekam::bio::wsq {

namespace {

// A segment's length field counts itself; checks it against what the segment may hold and
// returns the offset where the segment ends.
std::size_t segment_end(ByteReader& in, const char* segment, std::size_t min_length,
                        std::size_t max_length) {
    const std::size_t at = in.offset();
    const std::size_t length = in.u16(segment);
    if (length < min_length || length > max_length)
        in.fail(segment, at,
                "length " + std::to_string(length) + " outside " + std::to_string(min_length) +
                    "-" + std::to_string(max_length));
    if (length - 2 > in.remaining())
        in.fail(segment, at,
                "truncated: length " + std::to_string(length) + ", " +
                    std::to_string(in.remaining() + 2) + " bytes left");
    return at + length;
}

void expect_segment_end(const ByteReader& in, const char* segment, std::size_t end) {
    if (in.offset() != end)
        in.fail(segment, in.offset(), "content does not fill the segment's length");
}

void write_scaled16(ByteWriter& out, double v) {
    const Scaled s = to_scaled(v, 0xFFFF);
    out.u8(s.scale);
    out.u16(s.raw);
}

Scaled read_scaled16(ByteReader& in, const char* field) {
    Scaled s;
    s.scale = in.u8(field);
    s.raw = in.u16(field);
    return s;
}

void write_signed_scaled32(ByteWriter& out, float v) {
    out.u8(v < 0 ? 1 : 0);
    const Scaled s = to_scaled(std::fabs(static_cast<double>(v)), 0xFFFFFFFFu);
    out.u8(s.scale);
    out.u32(s.raw);
}

float read_signed_scaled32(ByteReader& in, const char* field) {
    const std::size_t at = in.offset();
    const std::uint8_t sign = in.u8(field);
    if (sign > 1) in.fail(field, at, "sign byte " + std::to_string(sign) + " is not 0 or 1");
    Scaled s;
    s.scale = in.u8(field);
    s.raw = in.u32(field);
    const auto v = static_cast<float>(s.value());
    return sign ? -v : v;
}

}  // namespace

double Scaled::value() const { return raw / std::pow(10.0, scale); }

Scaled to_scaled(double v, std::uint32_t max_raw) {
    Scaled s;
    if (!(v > 0)) return s;
    // The largest exponent that keeps the rounded raw value within max_raw.
    double raw = std::nearbyint(v);
    if (raw > max_raw) return Scaled{0, max_raw};
    while (s.scale < 60) {
        const double next = std::nearbyint(v * std::pow(10.0, s.scale + 1));
        if (next > max_raw) break;
        ++s.scale;
        raw = next;
    }
    s.raw = static_cast<std::uint32_t>(raw);
    return s;
}

void write_marker(ByteWriter& out, Marker m) { out.u16(m); }

void write_comment(ByteWriter& out, std::string_view text) {
    write_marker(out, kCOM);
    out.u16(static_cast<std::uint32_t>(text.size() + 2));
    out.bytes({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()});
}

// The coefficients' right halves, centre first: 5 of the lowpass filter, 4 of the highpass.
void write_transform_table(ByteWriter& out, const Filters& f) {
    write_marker(out, kDTT);
    out.u16(58);
    out.u8(9);
    out.u8(7);
    for (std::size_t i = 4; i < 9; ++i) write_signed_scaled32(out, f.lowpass[i]);
    for (std::size_t i = 3; i < 7; ++i) write_signed_scaled32(out, f.highpass[i]);
}

void write_quant_table(ByteWriter& out, const QuantTable& t) {
    write_marker(out, kDQT);
    out.u16(389);
    write_scaled16(out, t.bin_center);
    for (std::size_t i = 0; i < kTableSubbands; ++i) {
        write_scaled16(out, t.q[i]);
        write_scaled16(out, t.z[i]);
    }
}

void write_frame_header(ByteWriter& out, const FrameHeader& h) {
    write_marker(out, kSOF);
    out.u16(17);
    out.u8(0);    // black
    out.u8(255);  // white
    out.u16(static_cast<std::uint32_t>(h.height));
    out.u16(static_cast<std::uint32_t>(h.width));
    write_scaled16(out, h.shift);
    write_scaled16(out, h.scale);
    out.u8(static_cast<std::uint32_t>(h.encoder));
    out.u16(static_cast<std::uint32_t>(h.software));
}

void write_huffman_table(ByteWriter& out, int id, const HuffmanTable& t) {
    write_marker(out, kDHT);
    out.u16(static_cast<std::uint32_t>(2 + 1 + 16 + t.values.size()));
    out.u8(static_cast<std::uint32_t>(id));
    for (auto c : t.counts) out.u8(c);
    out.bytes(t.values);
}

void write_block_header(ByteWriter& out, int table_id) {
    write_marker(out, kSOB);
    out.u16(3);
    out.u8(static_cast<std::uint32_t>(table_id));
}

std::uint16_t read_marker(ByteReader& in) { return in.u16("marker"); }

std::string read_comment(ByteReader& in) {
    const std::size_t end = segment_end(in, "COM segment", 2, 0xFFFF);
    const auto text = in.bytes(end - in.offset(), "COM text");
    return {text.begin(), text.end()};
}

Filters read_transform_table(ByteReader& in) {
    const std::size_t end = segment_end(in, "DTT segment", 58, 58);
    const std::size_t at = in.offset();
    const int lowpass_length = in.u8("DTT lowpass length");
    const int highpass_length = in.u8("DTT highpass length");
    // Version 3.1 fixes the 9/7 pair; other lengths are no WSQ this decoder can reconstruct.
    if (lowpass_length != 9 || highpass_length != 7)
        in.fail("DTT filter lengths", at,
                std::to_string(lowpass_length) + "/" + std::to_string(highpass_length) +
                    " taps, the specification's filters have 9/7");
    Filters f{};
    for (std::size_t i = 0; i < 5; ++i)
        f.lowpass[4 + i] = f.lowpass[4 - i] = read_signed_scaled32(in, "DTT lowpass coefficient");
    for (std::size_t i = 0; i < 4; ++i)
        f.highpass[3 + i] = f.highpass[3 - i] =
            read_signed_scaled32(in, "DTT highpass coefficient");
    expect_segment_end(in, "DTT segment", end);
    return f;
}

QuantTable read_quant_table(ByteReader& in) {
    const std::size_t end = segment_end(in, "DQT segment", 389, 389);
    QuantTable t;
    t.bin_center = read_scaled16(in, "DQT bin centre").value();
    for (std::size_t i = 0; i < kTableSubbands; ++i) {
        t.q[i] = read_scaled16(in, "DQT bin width").value();
        t.z[i] = read_scaled16(in, "DQT zero-bin width").value();
    }
    expect_segment_end(in, "DQT segment", end);
    return t;
}

FrameHeader read_frame_header(ByteReader& in) {
    const std::size_t end = segment_end(in, "SOF segment", 17, 17);
    FrameHeader h;
    in.u8("SOF black");
    in.u8("SOF white");
    h.height = in.u16("SOF height");
    h.width = in.u16("SOF width");
    h.shift = read_scaled16(in, "SOF mean shift").value();
    h.scale = read_scaled16(in, "SOF rescale").value();
    h.encoder = in.u8("SOF encoder");
    h.software = in.u16("SOF software");
    expect_segment_end(in, "SOF segment", end);
    return h;
}

void read_huffman_tables(ByteReader& in,
                         std::array<std::optional<HuffmanTable>, kHuffmanTables>& tables) {
    const std::size_t end = segment_end(in, "DHT segment", 2 + 17, 0xFFFF);
    std::array<bool, kHuffmanTables> in_this_segment{};
    while (in.offset() < end) {
        const std::size_t at = in.offset();
        const int id = in.u8("DHT table id");
        if (id >= kHuffmanTables)
            in.fail("DHT table id", at, "table " + std::to_string(id) + " (0-7 allowed)");
        if (in_this_segment[static_cast<std::size_t>(id)])
            in.fail("DHT table id", at,
                    "table " + std::to_string(id) + " defined twice in one segment");
        in_this_segment[static_cast<std::size_t>(id)] = true;
        HuffmanTable t;
        std::size_t total = 0;
        // Canonical codes must fit: after the codes of length L, at most 2^L are used.
        std::uint32_t used = 0;
        for (std::size_t len = 0; len < 16; ++len) {
            t.counts[len] = in.u8("DHT code counts");
            total += t.counts[len];
            used = (used << 1) + t.counts[len];
            if (used > (1u << (len + 1)))
                in.fail("DHT code counts", at + 1 + len,
                        "more codes of length " + std::to_string(len + 1) + " than fit");
        }
        if (total > 256) in.fail("DHT code counts", at + 1, std::to_string(total) + " symbols");
        const auto values = in.bytes(total, "DHT symbols");
        t.values.assign(values.begin(), values.end());
        if (in.offset() > end) in.fail("DHT segment", at, "table runs past the segment's end");
        tables[static_cast<std::size_t>(id)] = std::move(t);
    }
}

int read_block_header(ByteReader& in) {
    const std::size_t end = segment_end(in, "SOB segment", 3, 3);
    const std::size_t at = in.offset();
    const int id = in.u8("SOB table id");
    if (id >= kHuffmanTables)
        in.fail("SOB table id", at, "table " + std::to_string(id) + " (0-7 allowed)");
    expect_segment_end(in, "SOB segment", end);
    return id;
}

std::string nistcom(int width, int height, int ppi, double bitrate) {
    char rate[32];
    std::snprintf(rate, sizeof rate, "%f", bitrate);
    return "NIST_COM 9\nPIX_WIDTH " + std::to_string(width) + "\nPIX_HEIGHT " +
           std::to_string(height) + "\nPIX_DEPTH 8\nPPI " + std::to_string(ppi) +
           "\nLOSSY 1\nCOLORSPACE GRAY\nCOMPRESSION WSQ\nWSQ_BITRATE " + rate;
}

std::optional<int> nistcom_ppi(std::string_view comment) {
    if (comment.substr(0, 9) != "NIST_COM ") return std::nullopt;
    std::istringstream lines{std::string(comment)};
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind("PPI ", 0) != 0) continue;
        int ppi = 0;
        std::size_t used = 0;
        try {
            ppi = std::stoi(line.substr(4), &used);
        } catch (const std::exception&) {
            return std::nullopt;
        }
        if (used == 0 || ppi <= 0 || ppi > 100000) return std::nullopt;
        return ppi;
    }
    return std::nullopt;
}

}  // namespace rekam::bio::wsq
