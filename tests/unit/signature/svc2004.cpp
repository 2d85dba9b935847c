#include "svc2004.h"

#include <algorithm>
#include <fstream>
#include <stdexcept>

namespace rekam::bio::testing {

signature::PenDevice dtu1141() {
    signature::PenDevice d;
    d.x = {200, 23472};
    d.y = {200, 13203};
    d.pressure = {0, 1023};
    d.x_units_per_mm = d.y_units_per_mm = 100;
    return d;
}

signature::SigningBox dtu1141_box() {
    const auto d = dtu1141();
    const std::int32_t cx = (d.x.min + d.x.max) / 2, cy = (d.y.min + d.y.max) / 2;
    return {cx - 6000, cy - 3000, cx + 6000, cy + 3000};
}

std::filesystem::path svc2004_dir() {
    return std::filesystem::path(REKAM_SHARED_DATA_DIR) / "signature" / "svc2004_sample_user1";
}

std::vector<std::filesystem::path> svc2004_files() {
    std::vector<std::filesystem::path> out;
    for (int i = 1; i <= 40; ++i) {
        const auto f = svc2004_dir() / ("USER1_" + std::to_string(i) + ".txt");
        if (std::filesystem::exists(f)) out.push_back(f);
    }
    return out;
}

signature::PenTrace load_svc2004(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::size_t n = 0;
    if (!(in >> n)) throw std::runtime_error(file.string() + ": no point count");
    struct Row {
        long x, y, t, down, az, alt, p;
    };
    std::vector<Row> rows(n);
    for (auto& r : rows)
        if (!(in >> r.x >> r.y >> r.t >> r.down >> r.az >> r.alt >> r.p))
            throw std::runtime_error(file.string() + ": fewer points than announced");
    long x0 = rows.at(0).x, x1 = x0, y0 = rows[0].y, y1 = y0;
    for (const auto& r : rows) {
        x0 = std::min(x0, r.x), x1 = std::max(x1, r.x);
        y0 = std::min(y0, r.y), y1 = std::max(y1, r.y);
    }
    signature::PenTrace tr;
    tr.device = dtu1141();
    tr.box = dtu1141_box();
    const long cx = (tr.box.left + tr.box.right) / 2, cy = (tr.box.top + tr.box.bottom) / 2;
    long last_t = rows[0].t;
    for (const auto& r : rows) {
        last_t = std::max(last_t, r.t);
        // SVC2004's y grows upwards, a pad's downwards.
        tr.samples.push_back({static_cast<std::int32_t>(cx + r.x - (x0 + x1) / 2),
                              static_cast<std::int32_t>(cy - (r.y - (y0 + y1) / 2)),
                              (last_t - rows[0].t) * 1000, static_cast<std::int32_t>(r.p),
                              r.down != 0});
    }
    return tr;
}

}  // namespace rekam::bio::testing
