// encode_wsq / decode_wsq: the order of the stages and of the file's segments. The stages are
// in wsq_wavelet, wsq_quantize, wsq_huffman; the segment syntax in wsq_markers.
#include "biometrics/records/wsq_codec.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>

#include "biometrics/records/byte_io.h"
#include "biometrics/records/wsq/wsq_huffman.h"
#include "biometrics/records/wsq/wsq_markers.h"
#include "biometrics/records/wsq/wsq_quantize.h"
#include "biometrics/records/wsq/wsq_wavelet.h"

namespace rekam::bio {

namespace {

using namespace wsq;

constexpr double kDefaultPpi = 500;

// The three blocks of coefficients and the Huffman table each is coded with (as NBIS: the
// coarse subbands get their own table, the two finer blocks share one).
struct Block {
    int first;
    int last;
    int table;
};
constexpr Block kBlocks[] = {{0, 19, 0}, {19, 52, 1}, {52, kCodedSubbands, 1}};

void check_size(long long width, long long height, long long max_pixels, const char* who) {
    max_pixels = std::min(max_pixels, kMaxWsqPixels);
    if (width < 1 || height < 1 || width > kMaxImageDimension || height > kMaxImageDimension ||
        width * height > max_pixels)
        throw RecordError(std::string(who) + ": " + std::to_string(width) + "x" +
                          std::to_string(height) + " is outside 1-" +
                          std::to_string(kMaxImageDimension) + " a side or over " +
                          std::to_string(max_pixels) + " pixels");
}

}  // namespace

std::vector<std::uint8_t> encode_wsq(const Image& grey, double bitrate) {
    if (!grey.consistent() || grey.channels != 1)
        throw RecordError("encode_wsq: needs a consistent 8-bit grey image");
    check_size(grey.width, grey.height, kMaxWsqPixels, "encode_wsq");
    if (!(bitrate > 0 && bitrate <= 8))
        throw RecordError("encode_wsq: bit rate " + std::to_string(bitrate) +
                          " outside (0, 8] bits per pixel");

    // Shift by the mean and scale so the pixels span about +-128; the decoder gets the
    // rounded values the frame header stores, so the encoder uses those too.
    double sum = 0;
    int low = 255, high = 0;
    for (auto p : grey.pixels) {
        sum += p;
        low = std::min<int>(low, p);
        high = std::max<int>(high, p);
    }
    FrameHeader frame;
    frame.width = grey.width;
    frame.height = grey.height;
    frame.shift = to_scaled(sum / static_cast<double>(grey.pixels.size()), 0xFFFF).value();
    const double spread = std::max(frame.shift - low, high - frame.shift) / 128.0;
    frame.scale = to_scaled(spread > 0 ? spread : 1.0, 0xFFFF).value();

    std::vector<float> plane(grey.pixels.size());
    for (std::size_t i = 0; i < plane.size(); ++i)
        plane[i] = static_cast<float>((grey.pixels[i] - frame.shift) / frame.scale);
    const Filters filters = standard_filters();
    decompose(plane, grey.width, grey.height, filters);
    const Layout layout = subband_layout(grey.width, grey.height);
    const QuantTable bins = choose_bins(plane, grey.width, layout, bitrate);

    std::vector<std::int32_t> blocks[3];
    SymbolCounts counts[2] = {};
    for (int b = 0; b < 3; ++b) {
        blocks[b] = quantize(plane, grey.width, layout, bins, kBlocks[b].first, kBlocks[b].last);
        count_symbols(blocks[b], counts[kBlocks[b].table]);
    }
    const HuffmanTable tables[2] = {build_table(counts[0]), build_table(counts[1])};

    const int ppi = grey.ppi >= 1 && grey.ppi <= 100000 ? static_cast<int>(std::lround(grey.ppi))
                                                        : static_cast<int>(kDefaultPpi);
    ByteWriter out;
    write_marker(out, kSOI);
    write_comment(out, nistcom(grey.width, grey.height, ppi, bitrate));
    write_transform_table(out, filters);
    write_quant_table(out, bins);
    write_frame_header(out, frame);
    for (int b = 0; b < 3; ++b) {
        const int t = kBlocks[b].table;
        if (b == 0 || kBlocks[b - 1].table != t) write_huffman_table(out, t, tables[t]);
        write_block_header(out, t);
        encode_block(blocks[b], tables[t], out);
    }
    write_marker(out, kEOI);
    return out.take();
}

Image decode_wsq(std::span<const std::uint8_t> wsq, long long max_pixels) {
    ByteReader in(wsq, "WSQ");
    if (in.u16("SOI marker") != kSOI) in.fail("SOI marker", 0, "not a WSQ file");

    std::optional<FrameHeader> frame;
    std::optional<Filters> filters;
    std::optional<QuantTable> bins;
    std::array<std::optional<HuffmanTable>, kHuffmanTables> tables;
    std::optional<int> ppi;
    Layout layout;
    std::size_t expected = 0;
    std::vector<std::int32_t> coefficients;
    int blocks = 0;

    for (;;) {
        const std::size_t at = in.offset();
        const std::uint16_t marker = read_marker(in);
        const auto before_blocks = [&](const char* what) {
            if (blocks > 0)
                in.fail(what, at, "table redefined after the first block (not supported)");
        };
        switch (marker) {
            case kCOM: {
                const std::string text = read_comment(in);
                if (!ppi) ppi = nistcom_ppi(text);
                break;
            }
            case kDTT:
                before_blocks("DTT segment");
                filters = read_transform_table(in);
                break;
            case kDQT:
                before_blocks("DQT segment");
                bins = read_quant_table(in);
                break;
            case kDHT:
                read_huffman_tables(in, tables);
                break;
            case kSOF:
                if (frame) in.fail("SOF segment", at, "second frame header");
                frame = read_frame_header(in);
                check_size(frame->width, frame->height, max_pixels, "decode_wsq");
                layout = subband_layout(frame->width, frame->height);
                break;
            case kSOB: {
                const int id = read_block_header(in);
                if (!frame || !filters || !bins)
                    in.fail("SOB segment", at,
                            std::string("block before the ") + (!frame     ? "frame header"
                                                                : !filters ? "DTT"
                                                                           : "DQT"));
                if (!tables[static_cast<std::size_t>(id)])
                    in.fail("SOB table id", at + 4,
                            "Huffman table " + std::to_string(id) + " is not defined");
                if (blocks++ == 0) expected = coded_count(*bins, layout, 0, kCodedSubbands);
                const std::size_t end =
                    decode_block(wsq, in.offset(), *tables[static_cast<std::size_t>(id)], expected,
                                 coefficients);
                in.bytes(end - in.offset(), "block data");
                break;
            }
            case kEOI: {
                if (!frame || !filters || !bins)
                    in.fail("EOI marker", at, "image ends before its frame header and tables");
                if (blocks == 0) expected = coded_count(*bins, layout, 0, kCodedSubbands);
                if (coefficients.size() != expected)
                    in.fail("EOI marker", at,
                            "blocks hold " + std::to_string(coefficients.size()) +
                                " coefficients, the coded subbands " + std::to_string(expected));
                std::vector<float> plane(static_cast<std::size_t>(frame->width) * frame->height);
                dequantize(coefficients, *bins, layout, plane, frame->width);
                coefficients = {};
                reconstruct(plane, frame->width, frame->height, *filters);
                Image image = Image::grey(frame->width, frame->height, ppi.value_or(kDefaultPpi));
                for (std::size_t i = 0; i < plane.size(); ++i) {
                    const double v = plane[i] * frame->scale + frame->shift + 0.5;
                    // Written so NaN (from absurd filters or bins) also lands on 0.
                    image.pixels[i] = v >= 255.0 ? 255
                                      : v >= 0.0 ? static_cast<std::uint8_t>(v)
                                                 : 0;
                }
                return image;
            }
            case kDRT:
                in.fail("DRT segment", at, "restart intervals are not supported");
            default:
                in.fail("marker", at, "unexpected marker or data " + std::to_string(marker));
        }
    }
}

}  // namespace rekam::bio
