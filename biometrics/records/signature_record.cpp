#include "biometrics/records/signature_record.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <string>
#include <string_view>

#include "biometrics/records/byte_io.h"
#include "biometrics/records/record_common.h"
#include "biometrics/records/record_error.h"

namespace rekam::bio {
namespace {

constexpr const char* kRecord = "ISO 19794-7 signature record";
constexpr std::string_view kFormat = "SDI";  // ISO/IEC 19794-7:2007
constexpr std::string_view kVersion = " 10";
constexpr std::uint32_t kMaxPoints = 0xFFFFFF;

// Preamble bits of a channel description.
constexpr unsigned kHasScaling = 0x80, kHasMin = 0x40, kHasMax = 0x20, kHasMean = 0x10,
                   kHasStdDev = 0x08, kConstant = 0x04, kLinearRemoved = 0x02, kReserved = 0x01;

void check(bool ok, const char* field, const std::string& problem) {
    check_range(ok, kRecord, field, problem);
}

bool is_signed(int bit) {
    using C = SignatureChannel;
    for (C c : {C::X, C::Y, C::Z, C::VX, C::VY, C::AX, C::AY, C::TX, C::TY})
        if (static_cast<int>(c) == bit) return true;
    return false;
}
bool is_switch(int bit) { return bit == static_cast<int>(SignatureChannel::S); }

// Signed channels are stored offset by 32768 (the values and their descriptions alike).
long offset(int bit, std::int32_t v) { return is_signed(bit) ? long{v} + 32768 : long{v}; }

// The stored form of a channel value, or -1 when it does not fit.
long stored(int bit, std::int32_t v) {
    const long s = offset(bit, v);
    const long max = is_switch(bit) ? 0xFF : 0xFFFF;
    return s < 0 || s > max ? -1 : s;
}
std::int32_t value_of(int bit, std::uint32_t s) {
    return is_signed(bit) ? static_cast<std::int32_t>(s) - 32768 : static_cast<std::int32_t>(s);
}

std::uint16_t encode_scaling(double v) {
    check(std::isfinite(v) && v >= 0x1p-16 && v < 0x1p16, "scaling value",
          "must be in 2^-16 .. 2^16, is " + std::to_string(v));
    int e = std::ilogb(v);
    long f = std::lround((std::ldexp(v, -e) - 1.0) * 2048.0);
    if (f == 2048) f = 0, ++e;
    check(e <= 15, "scaling value", "too large");
    return static_cast<std::uint16_t>((e + 16) << 11 | f);
}
double decode_scaling(std::uint16_t raw) {
    return std::ldexp(1.0 + (raw & 0x7FF) / 2048.0, (raw >> 11) - 16);
}

void write_value(ByteWriter& w, int bit, std::int32_t v, const char* field) {
    const long s = stored(bit, v);
    // The message is built only on failure: this runs for every value of every point.
    if (s < 0)
        check(false, field,
              "channel " + std::to_string(bit) + " value " + std::to_string(v) + " does not fit");
    if (is_switch(bit))
        w.u8(static_cast<std::uint32_t>(s));
    else
        w.u16(static_cast<std::uint32_t>(s));
}
std::int32_t read_value(ByteReader& r, int bit, const char* field) {
    return value_of(bit, is_switch(bit) ? r.u8(field) : r.u16(field));
}

void write_description(ByteWriter& w, int bit, const SignatureChannelDescription& d) {
    unsigned pre = 0;
    if (d.scaling) pre |= kHasScaling;
    if (d.minimum) pre |= kHasMin;
    if (d.maximum) pre |= kHasMax;
    if (d.mean) pre |= kHasMean;
    if (d.standard_deviation) pre |= kHasStdDev;
    if (d.constant) pre |= kConstant;
    if (d.linear_component_removed) pre |= kLinearRemoved;
    w.u8(pre);
    // Descriptive values are 16 bits even for S.
    auto u16_value = [&](std::int32_t v, const char* field) {
        const long s = offset(bit, v);
        check(s >= 0 && s <= 0xFFFF, field, std::to_string(v) + " does not fit");
        w.u16(static_cast<std::uint32_t>(s));
    };
    if (d.scaling) w.u16(encode_scaling(*d.scaling));
    if (d.minimum) u16_value(*d.minimum, "channel minimum");
    if (d.maximum) u16_value(*d.maximum, "channel maximum");
    if (d.mean) u16_value(*d.mean, "channel mean");
    if (d.standard_deviation) w.u16(*d.standard_deviation);
}

SignatureChannelDescription read_description(ByteReader& r, int bit) {
    SignatureChannelDescription d;
    const std::size_t at = r.offset();
    const unsigned pre = r.u8("channel description preamble");
    if (pre & kReserved) r.fail("channel description preamble", at, "reserved bit 0 is set");
    auto value = [&](const char* field) { return value_of(bit, r.u16(field)); };
    if (pre & kHasScaling) d.scaling = decode_scaling(r.u16("channel scaling value"));
    if (pre & kHasMin) d.minimum = value("channel minimum");
    if (pre & kHasMax) d.maximum = value("channel maximum");
    if (pre & kHasMean) d.mean = value("channel mean");
    if (pre & kHasStdDev) d.standard_deviation = r.u16("channel standard deviation");
    d.constant = pre & kConstant;
    d.linear_component_removed = pre & kLinearRemoved;
    return d;
}

std::size_t point_size(std::uint16_t channels) {
    std::size_t n = 0;
    for (int bit = 15; bit >= 0; --bit)
        if (channels >> bit & 1) n += is_switch(bit) ? 1 : 2;
    return n;
}

}  // namespace

int SignatureRecord::channel_count() const { return std::popcount(channels); }

int SignatureRecord::slot(SignatureChannel c) const {
    if (!has(c)) return -1;
    return std::popcount(static_cast<std::uint16_t>(channels >> (static_cast<int>(c) + 1)));
}

std::size_t SignatureRecord::point_count() const {
    const int n = channel_count();
    return n ? values.size() / static_cast<std::size_t>(n) : 0;
}

std::vector<std::uint8_t> encode(const SignatureRecord& rec) {
    check(rec.channels != 0, "channel inclusion", "no channel included");
    const auto n = static_cast<std::size_t>(rec.channel_count());
    check(rec.values.size() % n == 0, "sample points", "values are not whole points");
    check(rec.point_count() <= kMaxPoints, "number of sample points", "at most 16777215");
    check(rec.extended_data.size() <= 0xFFFF, "extended data length", "at most 65535 bytes");
    ByteWriter w;
    write_identifiers(w, kFormat, kVersion);
    w.u16(rec.channels);
    for (int bit = 15; bit >= 0; --bit)
        if (rec.channels >> bit & 1) write_description(w, bit, rec.descriptions[bit]);
    w.u8(0);  // reserved
    w.u8(rec.extended_data.empty() ? 0 : 1);
    w.u24(static_cast<std::uint32_t>(rec.point_count()));
    std::size_t i = 0;
    for (std::size_t p = 0; p < rec.point_count(); ++p)
        for (int bit = 15; bit >= 0; --bit)
            if (rec.channels >> bit & 1) write_value(w, bit, rec.values[i++], "sample point");
    if (!rec.extended_data.empty()) {
        w.u16(static_cast<std::uint32_t>(rec.extended_data.size()));
        w.bytes(rec.extended_data);
    }
    return w.take();
}

SignatureRecord decode_signature_record(std::span<const std::uint8_t> bytes) {
    ByteReader r(bytes, kRecord);
    SignatureRecord rec;
    read_identifiers(r, kFormat, kVersion);
    rec.channels = r.u16("channel inclusion");
    if (rec.channels == 0) r.fail("channel inclusion", 8, "no channel included");
    for (int bit = 15; bit >= 0; --bit)
        if (rec.channels >> bit & 1) rec.descriptions[bit] = read_description(r, bit);
    const std::size_t reserved_at = r.offset();
    if (r.u8("reserved") != 0) r.fail("reserved", reserved_at, "must be 0");
    const std::size_t flag_at = r.offset();
    const unsigned flag = r.u8("extended data flag");
    if (flag > 1) r.fail("extended data flag", flag_at, "must be 0 or 1");
    const std::uint32_t points = r.u24("number of sample points");
    const std::size_t size = point_size(rec.channels);
    // Checked before anything is allocated: a forged count must not reserve gigabytes.
    const std::size_t tail = flag ? 2 : 0;
    if (r.remaining() < tail || (r.remaining() - tail) / size < points)
        r.fail("sample points", r.offset(),
               std::to_string(points) + " points of " + std::to_string(size) +
                   " bytes do not fit the record");
    rec.values.reserve(std::size_t{points} * static_cast<std::size_t>(rec.channel_count()));
    for (std::uint32_t p = 0; p < points; ++p)
        for (int bit = 15; bit >= 0; --bit) {
            if (!(rec.channels >> bit & 1)) continue;
            const std::size_t at = r.offset();
            const std::int32_t v = read_value(r, bit, "sample point");
            if (is_switch(bit) && v > 1) r.fail("tip switch (S)", at, "must be 0 or 1");
            rec.values.push_back(v);
        }
    if (flag) {
        const std::size_t len_at = r.offset();
        const std::uint16_t len = r.u16("extended data length");
        if (len == 0) r.fail("extended data length", len_at, "flagged but empty");
        const auto ext = r.bytes(len, "extended data");
        rec.extended_data.assign(ext.begin(), ext.end());
    }
    r.expect_end("last sample point");
    return rec;
}

SignatureRecord make_signature_record(const signature::PenTrace& tr) {
    using C = SignatureChannel;
    const auto& dev = tr.device;
    const auto& s = tr.samples;
    check(s.size() <= kMaxPoints, "number of sample points", "at most 16777215");
    SignatureRecord rec;
    rec.channels = 1u << int(C::X) | 1u << int(C::Y) | 1u << int(C::T) | 1u << int(C::S);
    if (dev.has_pressure()) rec.channels |= 1u << int(C::F);

    // Whole-number coarsening when a range does not fit 16 bits (no pad needs it today).
    auto step = [](double span, double limit) { return std::max(1.0, std::ceil(span / limit)); };
    const double kx = step(dev.x.span(), 32767), ky = step(dev.y.span(), 32767);
    const double kf = step(dev.pressure.span(), 65535);
    const std::int64_t t0 = s.empty() ? 0 : s.front().t_us;
    for (std::size_t i = 1; i < s.size(); ++i)
        check(s[i].t_us >= s[i - 1].t_us, "T", "samples go back in time");
    const double duration_ms = s.empty() ? 0 : (s.back().t_us - t0) / 1000.0;
    const double kt = step(duration_ms, 65535);

    auto& dx = rec.descriptions[int(C::X)];
    auto& dy = rec.descriptions[int(C::Y)];
    if (dev.x_units_per_mm > 0) dx.scaling = dev.x_units_per_mm / kx;
    if (dev.y_units_per_mm > 0) dy.scaling = dev.y_units_per_mm / ky;
    dx.minimum = dy.minimum = 0;
    dx.maximum = static_cast<std::int32_t>(std::floor(dev.x.span() / kx));
    dy.maximum = static_cast<std::int32_t>(std::floor(dev.y.span() / ky));
    rec.descriptions[int(C::T)].scaling = 1000.0 / kt;  // units per second
    if (dev.has_pressure()) {
        auto& df = rec.descriptions[int(C::F)];
        df.minimum = 0;
        df.maximum = static_cast<std::int32_t>(std::floor(dev.pressure.span() / kf));
    }

    rec.values.reserve(s.size() * static_cast<std::size_t>(rec.channel_count()));
    for (const auto& p : s) {
        auto axis = [](std::int32_t v, const signature::AxisRange& r, double k) {
            return static_cast<std::int32_t>(
                std::lround((std::clamp(v, r.min, r.max) - r.min) / k));
        };
        rec.values.push_back(axis(p.x, dev.x, kx));
        rec.values.push_back(axis(p.y, dev.y, ky));
        rec.values.push_back(static_cast<std::int32_t>(std::lround((p.t_us - t0) / 1000.0 / kt)));
        if (dev.has_pressure()) rec.values.push_back(axis(p.pressure, dev.pressure, kf));
        rec.values.push_back(p.down ? 1 : 0);
    }
    return rec;
}

std::vector<signature::PenSample> to_pen_samples(const SignatureRecord& rec,
                                                 const signature::PenDevice& dev) {
    using C = SignatureChannel;
    if (!rec.has(C::X) || !rec.has(C::Y) || !rec.has(C::T))
        throw RecordError(std::string(kRecord) + ": X, Y and T are needed for pen samples");
    // Record units to device units: both in units/mm when both say so, else 1:1.
    auto factor = [](const std::optional<double>& record_scale, double device_scale) {
        return record_scale && device_scale > 0 ? device_scale / *record_scale : 1.0;
    };
    const double fx = factor(rec.descriptions[int(C::X)].scaling, dev.x_units_per_mm);
    const double fy = factor(rec.descriptions[int(C::Y)].scaling, dev.y_units_per_mm);
    const auto& t_scale = rec.descriptions[int(C::T)].scaling;
    const double us_per_t = 1e6 / (t_scale ? *t_scale : 1000.0);
    // Pressure has no physical unit: the described maximum maps onto the device's range.
    const auto& f_max = rec.descriptions[int(C::F)].maximum;
    const double ff = f_max && *f_max > 0 ? dev.pressure.span() / *f_max : 1.0;
    const int n = rec.channel_count();
    const int sx = rec.slot(C::X), sy = rec.slot(C::Y), st = rec.slot(C::T);
    const int sf = rec.slot(C::F), ss = rec.slot(C::S);
    std::vector<signature::PenSample> out;
    out.reserve(rec.point_count());
    // Saturated: a record's scaling may be anything in 2^-16..2^16, the device's int32 is not.
    auto to_int = [](double v) {
        return static_cast<std::int32_t>(std::clamp(std::round(v), -2147483648.0, 2147483647.0));
    };
    for (std::size_t p = 0; p < rec.point_count(); ++p) {
        const std::int32_t* v = rec.values.data() + p * static_cast<std::size_t>(n);
        signature::PenSample s;
        s.x = to_int(dev.x.min + v[sx] * fx);
        s.y = to_int(dev.y.min + v[sy] * fy);
        s.t_us = std::llround(v[st] * us_per_t);
        s.pressure = sf >= 0 ? to_int(dev.pressure.min + v[sf] * ff) : 0;
        s.down = ss >= 0 ? v[ss] != 0 : (sf < 0 || v[sf] > 0);
        out.push_back(s);
    }
    return out;
}

}  // namespace rekam::bio
