#include "biometrics/records/jp2_boxes.h"

#include <array>
#include <cmath>
#include <cstring>
#include <string>

#include "biometrics/records/record_error.h"

namespace rekam::bio::jp2 {

namespace {

constexpr std::array<std::uint8_t, 12> kSignature = {0x00, 0x00, 0x00, 0x0C, 'j',  'P',
                                                     ' ',  ' ',  0x0D, 0x0A, 0x87, 0x0A};
constexpr double kMetresPerInch = 0.0254;

std::uint32_t be32(const std::uint8_t* p) {
    return std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 | std::uint32_t{p[2]} << 8 | p[3];
}
std::uint16_t be16(const std::uint8_t* p) { return static_cast<std::uint16_t>(p[0] << 8 | p[1]); }
void put32(std::uint8_t* p, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) p[i] = static_cast<std::uint8_t>(v >> (24 - 8 * i));
}
void append16(std::vector<std::uint8_t>& out, std::uint16_t v) {
    out.push_back(static_cast<std::uint8_t>(v >> 8));
    out.push_back(static_cast<std::uint8_t>(v));
}

struct Box {
    std::size_t offset = 0;  // of the box header
    std::size_t header = 8;  // 8, or 16 with an extended length
    std::size_t length = 0;  // header included
    char type[5] = {};
    std::span<const std::uint8_t> body(std::span<const std::uint8_t> data) const {
        return data.subspan(offset + header, length - header);
    }
};

// The box at `offset` of `data`, or nullopt when its header or length does not fit.
std::optional<Box> box_at(std::span<const std::uint8_t> data, std::size_t offset) {
    if (data.size() - offset < 8) return std::nullopt;
    Box box;
    box.offset = offset;
    std::memcpy(box.type, data.data() + offset + 4, 4);
    const std::uint32_t lbox = be32(data.data() + offset);
    if (lbox == 0) {
        box.length = data.size() - offset;  // the last box runs to the end of the file
    } else if (lbox == 1) {
        if (data.size() - offset < 16) return std::nullopt;
        const std::uint64_t xl =
            std::uint64_t{be32(data.data() + offset + 8)} << 32 | be32(data.data() + offset + 12);
        box.header = 16;
        if (xl > data.size() - offset) return std::nullopt;
        box.length = static_cast<std::size_t>(xl);
    } else {
        box.length = lbox;
    }
    if (box.length < box.header || box.length > data.size() - offset) return std::nullopt;
    return box;
}

// The first box of type `type` among the boxes that fill `data`.
std::optional<Box> find_box(std::span<const std::uint8_t> data, const char* type) {
    for (std::size_t at = 0; at < data.size();) {
        const auto box = box_at(data, at);
        if (!box) return std::nullopt;
        if (std::memcmp(box->type, type, 4) == 0) return box;
        at += box->length;
    }
    return std::nullopt;
}

// resc/resd body: VR_N VR_D HR_N HR_D (16 bits each) VR_E HR_E (signed 8 bits); grid points
// per metre = N / D * 10^E.
std::optional<double> ppi_of(std::span<const std::uint8_t> body) {
    if (body.size() != 10) return std::nullopt;
    const auto per_metre = [](std::uint16_t n, std::uint16_t d, std::int8_t e) {
        return d == 0 ? 0.0 : n / static_cast<double>(d) * std::pow(10.0, e);
    };
    const double v = per_metre(be16(&body[0]), be16(&body[2]), static_cast<std::int8_t>(body[8]));
    const double h = per_metre(be16(&body[4]), be16(&body[6]), static_cast<std::int8_t>(body[9]));
    const double ppi_v = std::round(v * kMetresPerInch * 10.0) / 10.0;
    const double ppi_h = std::round(h * kMetresPerInch * 10.0) / 10.0;
    if (ppi_v <= 0 || ppi_v != ppi_h) return std::nullopt;
    return ppi_h;
}

}  // namespace

bool is_jp2_file(std::span<const std::uint8_t> data) {
    return data.size() >= kSignature.size() &&
           std::memcmp(data.data(), kSignature.data(), kSignature.size()) == 0;
}

bool is_j2k_codestream(std::span<const std::uint8_t> data) {
    return data.size() >= 4 && data[0] == 0xFF && data[1] == 0x4F && data[2] == 0xFF &&
           data[3] == 0x51;
}

std::optional<Siz> read_siz(std::span<const std::uint8_t> cs) {
    // SOC, SIZ, Lsiz Rsiz, Xsiz Ysiz XOsiz YOsiz XTsiz YTsiz XTOsiz YTOsiz (32 bits each), Csiz
    if (!is_j2k_codestream(cs) || cs.size() < 42) return std::nullopt;
    const std::uint8_t* p = cs.data() + 8;
    const std::uint32_t x = be32(p), y = be32(p + 4), xo = be32(p + 8), yo = be32(p + 12);
    const std::uint32_t xt = be32(p + 16), yt = be32(p + 20), xto = be32(p + 24),
                        yto = be32(p + 28);
    if (x <= xo || y <= yo || xt == 0 || yt == 0 || xto > xo || yto > yo) return std::nullopt;
    Siz siz;
    siz.width = x - xo;
    siz.height = y - yo;
    siz.components = be16(p + 32);
    const std::uint64_t across = (std::uint64_t{x} - xto + xt - 1) / xt;
    const std::uint64_t down = (std::uint64_t{y} - yto + yt - 1) / yt;
    siz.tiles = across * down;
    return siz;
}

std::span<const std::uint8_t> codestream(std::span<const std::uint8_t> file) {
    if (!is_jp2_file(file)) return {};
    const auto jp2c = find_box(file, "jp2c");
    return jp2c ? jp2c->body(file) : std::span<const std::uint8_t>{};
}

void add_capture_resolution(std::vector<std::uint8_t>& file, double ppi) {
    if (!(ppi > 0 && ppi <= 65535))
        throw RecordError("JP2 resolution box: ppi " + std::to_string(ppi) + " out of range");
    const auto jp2h = find_box(file, "jp2h");
    if (!jp2h || jp2h->header != 8)
        throw RecordError("JP2 resolution box: no JP2 header box in the encoder's output");
    // ppi / 0.0254 per metre = ppi * 50 / 127 * 10^2: N = ppi * 50 (0.02 ppi steps), D = 127,
    // E = 2; when ppi * 50 passes 16 bits, a larger exponent trades precision for range.
    int exponent = 2;
    double n = ppi * 50.0;
    while (std::lround(n) > 0xFFFF) {
        n /= 10.0;
        ++exponent;
    }
    const auto num = static_cast<std::uint16_t>(std::lround(n));
    std::vector<std::uint8_t> res = {0, 0, 0, 26, 'r', 'e', 's', ' ',
                                     0, 0, 0, 18, 'r', 'e', 's', 'c'};
    for (int i = 0; i < 2; ++i) {  // vertical, then horizontal
        append16(res, num);
        append16(res, 127);
    }
    res.push_back(static_cast<std::uint8_t>(exponent));
    res.push_back(static_cast<std::uint8_t>(exponent));
    const std::size_t end = jp2h->offset + jp2h->length;
    file.insert(file.begin() + static_cast<std::ptrdiff_t>(end), res.begin(), res.end());
    put32(file.data() + jp2h->offset, static_cast<std::uint32_t>(jp2h->length + res.size()));
}

std::optional<double> read_resolution(std::span<const std::uint8_t> file) {
    if (!is_jp2_file(file)) return std::nullopt;
    const auto jp2h = find_box(file, "jp2h");
    if (!jp2h) return std::nullopt;
    const auto header = jp2h->body(file);
    const auto res = find_box(header, "res ");
    if (!res) return std::nullopt;
    const auto boxes = res->body(header);
    for (const char* type : {"resc", "resd"})
        if (const auto box = find_box(boxes, type))
            if (const auto ppi = ppi_of(box->body(boxes))) return ppi;
    return std::nullopt;
}

}  // namespace rekam::bio::jp2
