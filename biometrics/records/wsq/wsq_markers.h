// WSQ file syntax (IAFIS-IC-0110 v3.1, annex on the interchange format): the markers and the
// marker segments (frame header, transform, quantisation and Huffman tables, block headers,
// comments), written to a ByteWriter and read from a ByteReader that names every field.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "biometrics/records/byte_io.h"
#include "biometrics/records/wsq/wsq_wavelet.h"

namespace rekam::bio::wsq {

enum Marker : std::uint16_t {
    kSOI = 0xFFA0,  // start of image
    kEOI = 0xFFA1,  // end of image
    kSOF = 0xFFA2,  // start of frame
    kSOB = 0xFFA3,  // start of block
    kDTT = 0xFFA4,  // define transform table
    kDQT = 0xFFA5,  // define quantisation table
    kDHT = 0xFFA6,  // define Huffman table(s)
    kDRT = 0xFFA7,  // define restart interval
    kCOM = 0xFFA8,  // comment
};

struct FrameHeader {
    int width = 0;
    int height = 0;
    double shift = 0;  // M: the mean subtracted before the transform
    double scale = 1;  // R: the divisor that brings pixels to about +-128
    int encoder = 2;   // WSQ encoder number of the specification version
    int software = 0;  // software implementation number (0: unregistered)
};

// Bin widths Q, zero-bin widths Z and the bin centre C of the 64 subbands; Q = 0 means the
// subband is not coded.
struct QuantTable {
    double bin_center = 0.44;
    std::array<double, kTableSubbands> q{};
    std::array<double, kTableSubbands> z{};
};

// JPEG-style table: how many codes have each length 1-16, then the symbols in code order.
struct HuffmanTable {
    std::array<std::uint8_t, 16> counts{};
    std::vector<std::uint8_t> values;
};
inline constexpr int kHuffmanTables = 8;

// Numbers in the tables are an integer and a decimal exponent: value = raw / 10^scale.
struct Scaled {
    std::uint8_t scale = 0;
    std::uint32_t raw = 0;
    double value() const;
};
// The most precise form of a non-negative v whose raw part fits max_raw.
Scaled to_scaled(double v, std::uint32_t max_raw);

void write_marker(ByteWriter& out, Marker m);
void write_comment(ByteWriter& out, std::string_view text);
void write_transform_table(ByteWriter& out, const Filters& filters);
void write_quant_table(ByteWriter& out, const QuantTable& table);
void write_frame_header(ByteWriter& out, const FrameHeader& header);
void write_huffman_table(ByteWriter& out, int id, const HuffmanTable& table);
void write_block_header(ByteWriter& out, int table_id);

// Readers take the reader just past the marker and consume the whole segment.
std::uint16_t read_marker(ByteReader& in);
std::string read_comment(ByteReader& in);
Filters read_transform_table(ByteReader& in);
QuantTable read_quant_table(ByteReader& in);
FrameHeader read_frame_header(ByteReader& in);
// One DHT segment may define several tables, each once; a later segment may replace a table
// (for the blocks after it).
void read_huffman_tables(ByteReader& in,
                         std::array<std::optional<HuffmanTable>, kHuffmanTables>& tables);
int read_block_header(ByteReader& in);

// The NISTCOM comment ("NIST_COM n\nPIX_WIDTH w\n...") NBIS and most encoders write first.
std::string nistcom(int width, int height, int ppi, double bitrate);
// PPI of a NISTCOM comment; nullopt when the comment is no NISTCOM or states no positive PPI.
std::optional<int> nistcom_ppi(std::string_view comment);

}  // namespace rekam::bio::wsq
