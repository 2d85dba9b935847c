// JPEG 2000 through OpenJPEG (libopenjp2, Debian's JPEG 2000 library, the reference
// implementation of ISO/IEC 15444-1 conformance testing): a wavelet codec with rate control is
// far too much to write and keep correct by hand. OpenJPEG never touches a file here: it reads
// and writes memory through stream callbacks, and its messages are collected into the
// RecordError it causes.
#include <openjpeg.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <string>
#include <thread>

#include "biometrics/records/codec.h"
#include "biometrics/records/jp2_boxes.h"

namespace rekam::bio {

namespace {

constexpr OPJ_SIZE_T kStreamChunk = 64 * 1024;

struct CodecDeleter {
    void operator()(opj_codec_t* c) const { opj_destroy_codec(c); }
};
struct StreamDeleter {
    void operator()(opj_stream_t* s) const { opj_stream_destroy(s); }
};
struct ImageDeleter {
    void operator()(opj_image_t* i) const { opj_image_destroy(i); }
};
using CodecPtr = std::unique_ptr<opj_codec_t, CodecDeleter>;
using StreamPtr = std::unique_ptr<opj_stream_t, StreamDeleter>;
using ImagePtr = std::unique_ptr<opj_image_t, ImageDeleter>;

// What OpenJPEG said, for the exception: errors first, the last warnings as context.
struct Messages {
    std::string errors;
    std::string warnings;

    static void append(std::string& to, const char* msg) {
        if (to.size() > 400) return;  // a corrupt stream can repeat one complaint per code-block
        std::string line(msg);
        while (!line.empty() && (line.back() == '\n' || line.back() == ' ')) line.pop_back();
        if (!to.empty()) to += "; ";
        to += line;
    }
    std::string text() const {
        if (errors.empty() && warnings.empty()) return "OpenJPEG gave no reason";
        if (warnings.empty()) return errors;
        return errors + (errors.empty() ? "" : " ") + "(warnings: " + warnings + ")";
    }
};

void on_error(const char* msg, void* user) {
    Messages::append(static_cast<Messages*>(user)->errors, msg);
}
void on_warning(const char* msg, void* user) {
    Messages::append(static_cast<Messages*>(user)->warnings, msg);
}
void on_info(const char*, void*) {}

// Worker threads for an image of `samples`: OpenJPEG splits the code-blocks among them, worth
// it from a face photo up; smaller images are coded on the calling thread (0: OpenJPEG's pool
// then runs each job at once, where 1 would hand every job to a single worker and wait).
// Always set, so OPJ_NUM_THREADS in the environment changes nothing.
int threads_for(std::uint64_t samples) {
    if (samples < (std::uint64_t{1} << 18)) return 0;
    return static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 4u));
}

CodecPtr make_codec(OPJ_CODEC_FORMAT format, bool decoder, Messages* messages) {
    CodecPtr codec(decoder ? opj_create_decompress(format) : opj_create_compress(format));
    if (!codec) throw RecordError("OpenJPEG: cannot create a codec (out of memory)");
    opj_set_error_handler(codec.get(), on_error, messages);
    opj_set_warning_handler(codec.get(), on_warning, messages);
    opj_set_info_handler(codec.get(), on_info, messages);
    return codec;
}

// Memory streams. OpenJPEG's JP2 writer seeks back to patch box lengths, so the output
// stream overwrites at its position and grows on demand.
struct Output {
    std::vector<std::uint8_t> bytes;
    std::size_t pos = 0;
};
OPJ_SIZE_T write_out(void* buf, OPJ_SIZE_T n, void* user) {
    auto* out = static_cast<Output*>(user);
    if (out->bytes.size() < out->pos + n) out->bytes.resize(out->pos + n);
    std::memcpy(out->bytes.data() + out->pos, buf, n);
    out->pos += n;
    return n;
}
OPJ_OFF_T skip_out(OPJ_OFF_T n, void* user) {
    auto* out = static_cast<Output*>(user);
    if (n < 0 && static_cast<std::size_t>(-n) > out->pos) return -1;
    out->pos = static_cast<std::size_t>(static_cast<OPJ_OFF_T>(out->pos) + n);
    return n;
}
OPJ_BOOL seek_out(OPJ_OFF_T n, void* user) {
    if (n < 0) return OPJ_FALSE;
    static_cast<Output*>(user)->pos = static_cast<std::size_t>(n);
    return OPJ_TRUE;
}

struct Input {
    std::span<const std::uint8_t> bytes;
    std::size_t pos = 0;
};
OPJ_SIZE_T read_in(void* buf, OPJ_SIZE_T n, void* user) {
    auto* in = static_cast<Input*>(user);
    const std::size_t left = in->bytes.size() - in->pos;
    if (left == 0) return static_cast<OPJ_SIZE_T>(-1);  // OpenJPEG's end of stream
    n = std::min(n, left);
    std::memcpy(buf, in->bytes.data() + in->pos, n);
    in->pos += n;
    return n;
}
OPJ_OFF_T skip_in(OPJ_OFF_T n, void* user) {
    auto* in = static_cast<Input*>(user);
    const auto to = static_cast<OPJ_OFF_T>(in->pos) + n;
    if (to < 0 || static_cast<std::size_t>(to) > in->bytes.size()) return -1;
    in->pos = static_cast<std::size_t>(to);
    return n;
}
OPJ_BOOL seek_in(OPJ_OFF_T n, void* user) {
    auto* in = static_cast<Input*>(user);
    if (n < 0 || static_cast<std::size_t>(n) > in->bytes.size()) return OPJ_FALSE;
    in->pos = static_cast<std::size_t>(n);
    return OPJ_TRUE;
}

ImagePtr to_opj_image(const Image& image) {
    opj_image_cmptparm_t params[3] = {};
    for (int c = 0; c < image.channels; ++c) {
        params[c].dx = params[c].dy = 1;
        params[c].w = static_cast<OPJ_UINT32>(image.width);
        params[c].h = static_cast<OPJ_UINT32>(image.height);
        params[c].prec = 8;
        params[c].sgnd = 0;
    }
    ImagePtr out(opj_image_create(static_cast<OPJ_UINT32>(image.channels), params,
                                  image.channels == 1 ? OPJ_CLRSPC_GRAY : OPJ_CLRSPC_SRGB));
    if (!out) throw RecordError("OpenJPEG: cannot allocate the image (out of memory)");
    out->x0 = out->y0 = 0;
    out->x1 = static_cast<OPJ_UINT32>(image.width);
    out->y1 = static_cast<OPJ_UINT32>(image.height);
    const std::size_t n = static_cast<std::size_t>(image.width) * image.height;
    for (int c = 0; c < image.channels; ++c) {
        OPJ_INT32* dst = out->comps[c].data;
        const std::uint8_t* src = image.pixels.data() + c;
        for (std::size_t i = 0; i < n; ++i) dst[i] = src[i * image.channels];
    }
    return out;
}

// One encoding pass. `ratio` 0 means lossless (reversible 5/3, no rate limit). Each pass needs
// an OpenJPEG image of its own: with a single tile the encoder transforms the image's buffers
// in place.
std::vector<std::uint8_t> encode_pass(const char* op, const Image& image, double ratio) {
    const auto opj_image = to_opj_image(image);
    Messages messages;
    const auto codec = make_codec(OPJ_CODEC_JP2, false, &messages);
    opj_cparameters_t params;
    opj_set_default_encoder_parameters(&params);
    params.tcp_numlayers = 1;
    params.cp_disto_alloc = 1;
    params.tcp_rates[0] = static_cast<float>(ratio);
    params.irreversible = ratio > 0 ? 1 : 0;
    params.tcp_mct = image.channels == 3 ? 1 : 0;
    // Lossy: selective arithmetic coding bypass (code-block style bit 0, part of every Part 1
    // decoder) stores the low bit-planes raw. On the 480x640 token image at 4.5 KB it cut the
    // encoder's CPU time by a fifth for 0.01 dB of PSNR.
    if (ratio > 0) params.mode = 1;
    // Every resolution level halves the image; the coarsest must keep at least a pixel.
    const int shortest = std::min(image.width, image.height);
    while (params.numresolution > 1 && (1 << (params.numresolution - 1)) > shortest)
        --params.numresolution;
    // Lossless: the reversible colour transform's chroma (B-G, R-G) spans 9 bits, but OpenJPEG
    // 2.5 sizes every component's bit-planes from its 8-bit input, leaving the chroma one bit
    // short; a photo with clipped channels then overflowed its coarse wavelet bands and came
    // back altered (a fuzzer finding, tests/fuzz/regressions/jp2/lossless-rct-overflow-12x9).
    // A third guard bit gives the bit back.
    const char* const lossless_options[] = {"GUARD_BITS=3", nullptr};
    if (!opj_setup_encoder(codec.get(), &params, opj_image.get()) ||
        (ratio == 0 && !opj_encoder_set_extra_options(codec.get(), lossless_options)) ||
        !opj_codec_set_threads(codec.get(), threads_for(image.pixels.size())))
        throw RecordError(std::string(op) + ": OpenJPEG setup: " + messages.text());
    Output out;
    StreamPtr stream(opj_stream_create(kStreamChunk, OPJ_FALSE));
    if (!stream) throw RecordError(std::string(op) + ": out of memory");
    opj_stream_set_user_data(stream.get(), &out, nullptr);
    opj_stream_set_write_function(stream.get(), write_out);
    opj_stream_set_skip_function(stream.get(), skip_out);
    opj_stream_set_seek_function(stream.get(), seek_out);
    if (!opj_start_compress(codec.get(), opj_image.get(), stream.get()) ||
        !opj_encode(codec.get(), stream.get()) || !opj_end_compress(codec.get(), stream.get()))
        throw RecordError(std::string(op) + ": " + messages.text());
    stream.reset();  // flushes what is still buffered
    if (image.ppi > 0) jp2::add_capture_resolution(out.bytes, image.ppi);
    return std::move(out.bytes);
}

void check_input(const char* op, const Image& image) {
    if (!image.consistent())
        throw RecordError(std::string(op) + ": image is empty or its buffer does not match " +
                          std::to_string(image.width) + "x" + std::to_string(image.height) + "x" +
                          std::to_string(image.channels));
}

std::string dims(std::uint64_t w, std::uint64_t h, std::uint64_t c) {
    return std::to_string(w) + "x" + std::to_string(h) + "x" + std::to_string(c);
}

void check_size(std::uint64_t w, std::uint64_t h, std::uint64_t components) {
    if (w < 1 || h < 1 || w > kMaxImageDimension || h > kMaxImageDimension ||
        w * h * components > kMaxJp2Samples)
        throw RecordError("decode_jp2: dimensions " + dims(w, h, components) + " outside 1-" +
                          std::to_string(kMaxImageDimension) + " a side and " +
                          std::to_string(kMaxJp2Samples) + " samples");
}

// The layout rekam can turn into an Image: same-sized, unsubsampled components of 1-16 bits,
// grey (plus alpha) or RGB (plus alpha). Throws RecordError otherwise.
void check_layout(const opj_image_t& img) {
    if (img.numcomps < 1 || img.numcomps > 4 || !img.comps)
        throw RecordError("decode_jp2: " + std::to_string(img.numcomps) +
                          " components (only grey or RGB, with or without alpha)");
    if (img.color_space == OPJ_CLRSPC_SYCC || img.color_space == OPJ_CLRSPC_EYCC ||
        img.color_space == OPJ_CLRSPC_CMYK)
        throw RecordError("decode_jp2: colour space " + std::to_string(img.color_space) +
                          " is not grey or sRGB");
    if (img.color_space == OPJ_CLRSPC_GRAY && img.numcomps > 2)
        throw RecordError("decode_jp2: grey image with " + std::to_string(img.numcomps) +
                          " components");
    const opj_image_comp_t& first = img.comps[0];
    for (OPJ_UINT32 c = 0; c < img.numcomps; ++c) {
        const opj_image_comp_t& comp = img.comps[c];
        if (comp.dx != 1 || comp.dy != 1 || comp.w != first.w || comp.h != first.h)
            throw RecordError("decode_jp2: component " + std::to_string(c) +
                              " is subsampled or differs in size");
        if (comp.prec < 1 || comp.prec > 16)
            throw RecordError("decode_jp2: component " + std::to_string(c) + " has " +
                              std::to_string(comp.prec) + " bits (1-16 accepted)");
    }
    check_size(first.w, first.h, img.numcomps);
}

// The codestream's own claims, before OpenJPEG allocates anything for them.
jp2::Siz check_siz(std::span<const std::uint8_t> codestream) {
    const auto siz = jp2::read_siz(codestream);
    if (!siz) throw RecordError("decode_jp2: no valid SIZ marker at the start of the codestream");
    if (siz->components < 1 || siz->components > 4)
        throw RecordError("decode_jp2: " + std::to_string(siz->components) +
                          " components (only grey or RGB, with or without alpha)");
    check_size(siz->width, siz->height, siz->components);
    if (siz->tiles > kMaxJp2Tiles)
        throw RecordError("decode_jp2: " + std::to_string(siz->tiles) + " tiles (at most " +
                          std::to_string(kMaxJp2Tiles) + ")");
    return *siz;
}

std::uint8_t to_8bit(OPJ_INT32 v, const opj_image_comp_t& comp) {
    const std::int64_t top = (std::int64_t{1} << comp.prec) - 1;
    std::int64_t u = comp.sgnd ? std::int64_t{v} + (std::int64_t{1} << (comp.prec - 1)) : v;
    u = std::clamp<std::int64_t>(u, 0, top);
    if (comp.prec == 8) return static_cast<std::uint8_t>(u);
    if (comp.prec > 8) return static_cast<std::uint8_t>(u >> (comp.prec - 8));
    return static_cast<std::uint8_t>((u * 255 + top / 2) / top);
}

}  // namespace

std::vector<std::uint8_t> encode_jp2_lossless(const Image& image) {
    check_input("encode_jp2_lossless", image);
    return encode_pass("encode_jp2_lossless", image, 0.0);
}

std::vector<std::uint8_t> encode_jp2_lossy(const Image& image, const Jp2Target& target) {
    static constexpr const char* op = "encode_jp2_lossy";
    check_input(op, image);
    const double raw = static_cast<double>(image.pixels.size());
    if (target.ratio > 0) {
        if (!(target.ratio >= 1.0) || !std::isfinite(target.ratio))
            throw RecordError(std::string(op) + ": compression ratio " +
                              std::to_string(target.ratio) + " is below 1");
        return encode_pass(op, image, target.ratio);
    }
    const std::size_t budget = target.max_bytes;
    if (budget == 0) throw RecordError(std::string(op) + ": no ratio and no byte budget");
    // OpenJPEG's rate covers the codestream, give or take a few bytes of its headers; the
    // first pass leaves room for the JP2 boxes around it (about 85 bytes, 26 more with a
    // resolution), so it usually fits, a few percent under the budget. A pass that is still
    // over is redone aiming lower by the overshoot plus 2 %; the output only ever shrinks, and
    // a pass that does not shrink it means the floor (headers, coarsest packets) is reached.
    constexpr std::size_t kJp2Boxes = 128;
    double ratio = std::max(
        1.0, raw / static_cast<double>(budget > 2 * kJp2Boxes ? budget - kJp2Boxes : budget / 2));
    std::size_t smallest = SIZE_MAX;
    for (int pass = 0; pass < 8; ++pass) {
        auto out = encode_pass(op, image, ratio);
        if (out.size() <= budget) return out;
        if (out.size() >= smallest) break;
        smallest = out.size();
        ratio *= static_cast<double>(out.size()) / static_cast<double>(budget) * 1.02;
    }
    throw RecordError(std::string(op) + ": " + dims(image.width, image.height, image.channels) +
                      " does not fit a budget of " + std::to_string(budget) +
                      " bytes (smallest JPEG 2000 reached: " + std::to_string(smallest) +
                      " bytes)");
}

Image decode_jp2(std::span<const std::uint8_t> data) {
    OPJ_CODEC_FORMAT format;
    if (jp2::is_jp2_file(data))
        format = OPJ_CODEC_JP2;
    else if (jp2::is_j2k_codestream(data))
        format = OPJ_CODEC_J2K;
    else
        throw RecordError(
            "decode_jp2: neither a JP2 file nor a J2K codestream (bad signature at offset 0)");
    const jp2::Siz siz = check_siz(format == OPJ_CODEC_JP2 ? jp2::codestream(data) : data);
    Messages messages;
    const auto codec = make_codec(format, true, &messages);
    opj_dparameters_t params;
    opj_set_default_decoder_parameters(&params);
    if (!opj_setup_decoder(codec.get(), &params) ||
        !opj_codec_set_threads(codec.get(),
                               threads_for(std::uint64_t{siz.width} * siz.height * siz.components)))
        throw RecordError("decode_jp2: OpenJPEG setup: " + messages.text());
    // Strict: a truncated codestream is an error, not a silently blurred image.
    opj_decoder_set_strict_mode(codec.get(), OPJ_TRUE);
    Input in{data, 0};
    StreamPtr stream(opj_stream_create(kStreamChunk, OPJ_TRUE));
    if (!stream) throw RecordError("decode_jp2: out of memory");
    opj_stream_set_user_data(stream.get(), &in, nullptr);
    opj_stream_set_user_data_length(stream.get(), data.size());
    opj_stream_set_read_function(stream.get(), read_in);
    opj_stream_set_skip_function(stream.get(), skip_in);
    opj_stream_set_seek_function(stream.get(), seek_in);
    opj_image_t* raw = nullptr;
    const bool header_ok = opj_read_header(stream.get(), codec.get(), &raw);
    ImagePtr img(raw);
    if (!header_ok || !img)
        throw RecordError("decode_jp2: header: " + messages.text() + " (near input offset " +
                          std::to_string(in.pos) + ")");
    // Sizes are checked on the header, before OpenJPEG allocates the tiles; the layout again
    // after decoding, which applies a JP2 palette and may change the components.
    check_layout(*img);
    if (!opj_decode(codec.get(), stream.get(), img.get()) ||
        !opj_end_decompress(codec.get(), stream.get()))
        throw RecordError("decode_jp2: " + messages.text() + " (near input offset " +
                          std::to_string(in.pos) + ")");
    check_layout(*img);
    for (OPJ_UINT32 c = 0; c < img->numcomps; ++c)
        if (!img->comps[c].data)
            throw RecordError("decode_jp2: component " + std::to_string(c) + " was not decoded");
    Image image;
    image.width = static_cast<int>(img->comps[0].w);
    image.height = static_cast<int>(img->comps[0].h);
    image.channels = img->numcomps >= 3 ? 3 : 1;
    image.pixels.resize(static_cast<std::size_t>(image.width) * image.height * image.channels);
    const std::size_t n = static_cast<std::size_t>(image.width) * image.height;
    for (int c = 0; c < image.channels; ++c) {
        const opj_image_comp_t& comp = img->comps[c];
        std::uint8_t* dst = image.pixels.data() + c;
        for (std::size_t i = 0; i < n; ++i) dst[i * image.channels] = to_8bit(comp.data[i], comp);
    }
    if (format == OPJ_CODEC_JP2) image.ppi = jp2::read_resolution(data).value_or(0.0);
    return image;
}

}  // namespace rekam::bio
