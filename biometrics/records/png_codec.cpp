// libpng reports errors by longjmp. Every C++ object that lives across setjmp is created
// before it, and nothing with a destructor is created between setjmp and the libpng calls,
// so the jump never skips a destructor. Error text is copied into a plain buffer.
#include <png.h>

#include <cmath>
#include <csetjmp>
#include <cstring>
#include <string>

#include "biometrics/records/codec.h"

namespace rekam::bio {

namespace {

struct PngContext {
    char error[256] = {};
    std::span<const std::uint8_t> input;
    std::size_t pos = 0;
    std::vector<std::uint8_t>* output = nullptr;
};

void on_error(png_structp png, png_const_charp msg) {
    auto* ctx = static_cast<PngContext*>(png_get_error_ptr(png));
    std::snprintf(ctx->error, sizeof ctx->error, "%s", msg);
    png_longjmp(png, 1);
}
void on_warning(png_structp, png_const_charp) {}

void read_bytes(png_structp png, png_bytep out, png_size_t n) {
    auto* ctx = static_cast<PngContext*>(png_get_io_ptr(png));
    if (n > ctx->input.size() - ctx->pos) png_error(png, "truncated PNG data");
    std::memcpy(out, ctx->input.data() + ctx->pos, n);
    ctx->pos += n;
}

void write_bytes(png_structp png, png_bytep data, png_size_t n) {
    auto* ctx = static_cast<PngContext*>(png_get_io_ptr(png));
    ctx->output->insert(ctx->output->end(), data, data + n);
}
void flush_nothing(png_structp) {}

// Owns the libpng read or write structs.
struct ReadStructs {
    png_structp png = nullptr;
    png_infop info = nullptr;
    ~ReadStructs() { png_destroy_read_struct(&png, info ? &info : nullptr, nullptr); }
};
struct WriteStructs {
    png_structp png = nullptr;
    png_infop info = nullptr;
    ~WriteStructs() { png_destroy_write_struct(&png, info ? &info : nullptr); }
};

constexpr double kInchesPerMetre = 39.37007874015748;

// The setjmp frames below hold only plain C data, so a longjmp out of libpng skips no
// destructor and no C++ local can be clobbered; C++ objects live in the callers.
bool write_raw(png_structp png, png_infop info, PngContext* ctx, png_uint_32 w, png_uint_32 h,
               int depth, int colour, png_uint_32 ppm, png_bytepp rows) {
    if (setjmp(png_jmpbuf(png))) return false;
    png_set_write_fn(png, ctx, write_bytes, flush_nothing);
    // Bilevel images are the small ones (the card's signature): every byte counts there.
    if (depth == 1) png_set_compression_level(png, 9);
    png_set_IHDR(png, info, w, h, depth, colour, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    if (ppm > 0) png_set_pHYs(png, info, ppm, ppm, PNG_RESOLUTION_METER);
    png_write_info(png, info);
    png_write_image(png, rows);
    png_write_end(png, nullptr);
    return true;
}

struct PngHeader {
    png_uint_32 width = 0;
    png_uint_32 height = 0;
    int channels = 0;
    png_uint_32 ppm = 0;  // pixels per metre, 0 when unknown
};

bool read_header_raw(png_structp png, png_infop info, PngContext* ctx, PngHeader* out) {
    if (setjmp(png_jmpbuf(png))) return false;
    png_set_read_fn(png, ctx, read_bytes);
    // Bounds libpng itself enforces before anything is allocated for the image.
    png_set_user_limits(png, kMaxImageDimension, kMaxImageDimension);
    png_set_chunk_malloc_max(png, 8u << 20);
    png_read_info(png, info);
    int depth = 0, colour = 0;
    png_get_IHDR(png, info, &out->width, &out->height, &depth, &colour, nullptr, nullptr, nullptr);
    png_set_strip_16(png);
    png_set_packing(png);
    if (colour == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (colour == PNG_COLOR_TYPE_GRAY && depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    if (png_get_valid(png, info, PNG_INFO_tRNS)) png_set_tRNS_to_alpha(png);
    png_set_strip_alpha(png);
    png_read_update_info(png, info);
    out->channels = png_get_channels(png, info);
    png_uint_32 yppm = 0;
    int unit = 0;
    if (!png_get_pHYs(png, info, &out->ppm, &yppm, &unit) || unit != PNG_RESOLUTION_METER)
        out->ppm = 0;
    return true;
}

bool read_rows_raw(png_structp png, png_bytepp rows) {
    if (setjmp(png_jmpbuf(png))) return false;
    png_read_image(png, rows);
    png_read_end(png, nullptr);
    return true;
}

std::vector<std::uint8_t> write_png(const Image& image, int depth, std::vector<png_bytep>& rows) {
    std::vector<std::uint8_t> out;
    PngContext ctx;
    ctx.output = &out;
    WriteStructs s;
    s.png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &ctx, on_error, on_warning);
    if (!s.png) throw RecordError("encode_png: out of memory");
    s.info = png_create_info_struct(s.png);
    if (!s.info) throw RecordError("encode_png: out of memory");
    const auto ppm =
        image.ppi > 0 ? static_cast<png_uint_32>(std::lround(image.ppi * kInchesPerMetre)) : 0;
    if (!write_raw(s.png, s.info, &ctx, static_cast<png_uint_32>(image.width),
                   static_cast<png_uint_32>(image.height), depth,
                   image.channels == 1 ? PNG_COLOR_TYPE_GRAY : PNG_COLOR_TYPE_RGB, ppm,
                   rows.data()))
        throw RecordError(std::string("encode_png: ") + ctx.error);
    return out;
}

void check_consistent(const Image& image, const char* who) {
    if (!image.consistent())
        throw RecordError(std::string(who) + ": image is empty or its buffer does not match " +
                          std::to_string(image.width) + "x" + std::to_string(image.height) + "x" +
                          std::to_string(image.channels));
}

}  // namespace

std::vector<std::uint8_t> encode_png(const Image& image) {
    check_consistent(image, "encode_png");
    std::vector<png_bytep> rows(static_cast<std::size_t>(image.height));
    for (int y = 0; y < image.height; ++y)
        rows[y] = const_cast<png_bytep>(image.pixels.data() + y * image.stride());
    return write_png(image, 8, rows);
}

std::vector<std::uint8_t> encode_png_bilevel(const Image& image) {
    check_consistent(image, "encode_png_bilevel");
    if (image.channels != 1) throw RecordError("encode_png_bilevel: needs a grey image");
    const std::size_t row_bytes = (static_cast<std::size_t>(image.width) + 7) / 8;
    std::vector<std::uint8_t> packed(row_bytes * static_cast<std::size_t>(image.height), 0);
    std::vector<png_bytep> rows(static_cast<std::size_t>(image.height));
    for (int y = 0; y < image.height; ++y) {
        std::uint8_t* row = packed.data() + static_cast<std::size_t>(y) * row_bytes;
        const std::uint8_t* src = image.pixels.data() + y * image.stride();
        for (int x = 0; x < image.width; ++x)
            if (src[x] >= 128) row[x / 8] |= static_cast<std::uint8_t>(0x80 >> (x % 8));
        rows[y] = row;
    }
    return write_png(image, 1, rows);
}

Image decode_png(std::span<const std::uint8_t> png) {
    if (png.size() < 8 || png_sig_cmp(png.data(), 0, 8) != 0)
        throw RecordError("decode_png: not a PNG file (bad signature at offset 0)");
    PngContext ctx;
    ctx.input = png;
    ReadStructs s;
    s.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &ctx, on_error, on_warning);
    if (!s.png) throw RecordError("decode_png: out of memory");
    s.info = png_create_info_struct(s.png);
    if (!s.info) throw RecordError("decode_png: out of memory");
    const auto failed = [&ctx] {
        return RecordError(std::string("decode_png: ") + ctx.error + " (near input offset " +
                           std::to_string(ctx.pos) + ")");
    };
    PngHeader h;
    if (!read_header_raw(s.png, s.info, &ctx, &h)) throw failed();
    if (h.channels != 1 && h.channels != 3)
        throw RecordError("decode_png: unsupported channel count " + std::to_string(h.channels));
    Image image;
    image.width = static_cast<int>(h.width);
    image.height = static_cast<int>(h.height);
    image.channels = h.channels;
    if (h.ppm > 0) image.ppi = std::round(h.ppm / kInchesPerMetre * 10.0) / 10.0;
    image.pixels.resize(static_cast<std::size_t>(h.width) * h.height * h.channels);
    std::vector<png_bytep> rows(h.height);
    for (png_uint_32 y = 0; y < h.height; ++y) rows[y] = image.pixels.data() + y * image.stride();
    if (!read_rows_raw(s.png, rows.data())) throw failed();
    return image;
}

}  // namespace rekam::bio
