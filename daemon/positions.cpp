#include "daemon/positions.h"

#include <array>

#include "common/strings.h"

namespace rekam {
namespace {

using drivers::DeviceKind;

constexpr std::array kFingerReasons = {"amputated", "unable-to-print", "bandaged"};
constexpr std::array kIrisReasons = {"missing-eye", "unable-to-capture"};
// A citizen who cannot write (illiterate, a disability, a bandaged hand): the card then
// carries no signature, as the clerk's note says why.
constexpr std::array kSignatureReasons = {"unable-to-sign"};

}  // namespace

const std::vector<Position>& all_positions() {
    static const std::vector<Position> positions = {
        {"right-thumb", DeviceKind::Fingerprint, 1, true},
        {"right-index", DeviceKind::Fingerprint, 2, true},
        {"right-middle", DeviceKind::Fingerprint, 3, true},
        {"right-ring", DeviceKind::Fingerprint, 4, true},
        {"right-little", DeviceKind::Fingerprint, 5, true},
        {"left-thumb", DeviceKind::Fingerprint, 6, true},
        {"left-index", DeviceKind::Fingerprint, 7, true},
        {"left-middle", DeviceKind::Fingerprint, 8, true},
        {"left-ring", DeviceKind::Fingerprint, 9, true},
        {"left-little", DeviceKind::Fingerprint, 10, true},
        {"right-iris", DeviceKind::Iris, 1, true},
        {"left-iris", DeviceKind::Iris, 2, true},
        {"face", DeviceKind::Face, 0, true},
        {"signature", DeviceKind::Signature, 0, true},
        {kExceptionPhoto, DeviceKind::Face, 0, false},
    };
    return positions;
}

const Position* find_position(std::string_view name) {
    for (const auto& p : all_positions())
        if (p.name == name) return &p;
    return nullptr;
}

std::string position_list() { return join(all_positions(), ", ", &Position::name); }

bool is_finger(const Position& p) { return p.kind == DeviceKind::Fingerprint; }
bool is_iris(const Position& p) { return p.kind == DeviceKind::Iris; }
bool is_signature(const Position& p) { return p.kind == DeviceKind::Signature; }

bool is_valid_exception_reason(const Position& p, std::string_view reason) {
    if (is_finger(p)) {
        for (auto r : kFingerReasons)
            if (reason == r) return true;
    } else if (is_iris(p)) {
        for (auto r : kIrisReasons)
            if (reason == r) return true;
    } else if (is_signature(p)) {
        for (auto r : kSignatureReasons)
            if (reason == r) return true;
    }
    return false;
}

std::string exception_reasons(const Position& p) {
    if (is_finger(p)) return join(kFingerReasons);
    if (is_iris(p)) return join(kIrisReasons);
    if (is_signature(p)) return join(kSignatureReasons);
    return "(none: " + std::string(p.name) + " cannot be excepted)";
}

}  // namespace rekam
