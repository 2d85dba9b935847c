#include "biometrics/records/finger_minutiae_card.h"

#include <algorithm>
#include <cmath>

#include "biometrics/records/record_error.h"

namespace rekam::bio {
namespace {

constexpr double kMmPerInch = 25.4;
constexpr int kCardUnitsPerMm = 10;
constexpr int kBytesPerMinutia = 3;

long to_card_units(std::uint16_t px, double ppi) {
    return std::lround(px / ppi * kMmPerInch * kCardUnitsPerMm);
}

}  // namespace

std::vector<std::uint8_t> encode_compact_card(const FingerMinutiaeView& view, double ppi,
                                              int max_minutiae) {
    if (!(ppi > 0)) throw RecordError("compact card: the resolution must be positive");
    struct Placed {
        IsoMinutia m;
        long x, y;
        double distance = 0;
    };
    std::vector<Placed> all;
    double cx = 0, cy = 0;
    for (const auto& m : view.minutiae) {
        cx += m.x;
        cy += m.y;
    }
    if (!view.minutiae.empty()) {
        cx /= static_cast<double>(view.minutiae.size());
        cy /= static_cast<double>(view.minutiae.size());
    }
    for (const auto& m : view.minutiae) {
        const long x = to_card_units(m.x, ppi), y = to_card_units(m.y, ppi);
        if (x > 255 || y > 255) continue;  // outside the 25.5 mm the card can address
        all.push_back({m, x, y, std::hypot(m.x - cx, m.y - cy)});
    }
    // 19794-2 removal order: quality, then distance from the centre of mass; ties broken by
    // the standard's last rules (ridge endings first, then the larger angle) for a stable result.
    std::stable_sort(all.begin(), all.end(), [](const Placed& a, const Placed& b) {
        if (a.m.quality != b.m.quality) return a.m.quality > b.m.quality;
        if (a.distance != b.distance) return a.distance < b.distance;
        if (a.m.type != b.m.type) return a.m.type != 1;
        return a.m.angle < b.m.angle;
    });
    all.resize(
        std::min<std::size_t>(all.size(), static_cast<std::size_t>(std::max(0, max_minutiae))));
    std::stable_sort(all.begin(), all.end(), [](const Placed& a, const Placed& b) {
        return a.x != b.x ? a.x < b.x : a.y < b.y;
    });
    std::vector<std::uint8_t> out;
    out.reserve(all.size() * kBytesPerMinutia);
    for (const auto& p : all) {
        const auto type = static_cast<std::uint8_t>(p.m.type <= 2 ? p.m.type : 0);
        const auto angle = static_cast<std::uint8_t>(((p.m.angle + 2) / 4) % 64);
        out.push_back(static_cast<std::uint8_t>(p.x));
        out.push_back(static_cast<std::uint8_t>(p.y));
        out.push_back(static_cast<std::uint8_t>(type << 6 | angle));
    }
    return out;
}

FingerMinutiaeView decode_compact_card(std::span<const std::uint8_t> bytes, double ppi,
                                       int max_minutiae) {
    if (!(ppi > 0)) throw RecordError("compact card: the resolution must be positive");
    if (bytes.size() % kBytesPerMinutia != 0)
        throw RecordError("compact card: " + std::to_string(bytes.size()) +
                          " bytes is not a whole number of 3-byte minutiae");
    if (bytes.size() / kBytesPerMinutia > static_cast<std::size_t>(std::max(0, max_minutiae)))
        throw RecordError("compact card: " + std::to_string(bytes.size() / kBytesPerMinutia) +
                          " minutiae, more than the card's " + std::to_string(max_minutiae));
    FingerMinutiaeView view;
    for (std::size_t at = 0; at < bytes.size(); at += kBytesPerMinutia) {
        const std::uint8_t type = bytes[at + 2] >> 6;
        if (type == 3)
            throw RecordError("compact card", "minutia type", at + 2, "reserved code 11");
        IsoMinutia m;
        m.type = type;
        m.x = static_cast<std::uint16_t>(
            std::lround(bytes[at] / double{kCardUnitsPerMm} / kMmPerInch * ppi));
        m.y = static_cast<std::uint16_t>(
            std::lround(bytes[at + 1] / double{kCardUnitsPerMm} / kMmPerInch * ppi));
        m.angle = static_cast<std::uint8_t>((bytes[at + 2] & 0x3F) * 4);
        view.minutiae.push_back(m);
    }
    return view;
}

}  // namespace rekam::bio
