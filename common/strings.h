// Lists in messages: "right-thumb, right-index", "GREY/YUYV".
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace rekam {

// `items` joined by `separator`, each turned into text by `project` first (identity by default).
template <typename Range, typename Project = std::identity>
std::string join(const Range& items, std::string_view separator = ", ", Project project = {}) {
    std::string out;
    bool first = true;
    for (const auto& item : items) {
        if (!first) out += separator;
        first = false;
        out += std::string_view(std::invoke(project, item));
    }
    return out;
}

}  // namespace rekam
