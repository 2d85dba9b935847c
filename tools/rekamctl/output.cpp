#include "tools/rekamctl/output.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <iostream>

#include "common/strings.h"

namespace rekam::ctl {

void print_table(const std::vector<std::string>& header,
                 const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::size_t> width(header.size());
    for (std::size_t i = 0; i < header.size(); ++i) width[i] = header[i].size();
    for (const auto& row : rows)
        for (std::size_t i = 0; i < row.size() && i < width.size(); ++i)
            width[i] = std::max(width[i], row[i].size());
    auto line = [&](const std::vector<std::string>& cells) {
        for (std::size_t i = 0; i < cells.size(); ++i) {
            std::cout << cells[i];
            if (i + 1 < cells.size()) std::cout << std::string(width[i] - cells[i].size() + 2, ' ');
        }
        std::cout << '\n';
    };
    line(header);
    for (const auto& row : rows) line(row);
}

nlohmann::json to_json(const bus::Dict& dict) {
    nlohmann::json j = nlohmann::json::object();
    for (const auto& [key, value] : dict) {
        std::visit(
            [&](const auto& x) {
                using T = std::decay_t<decltype(x)>;
                if constexpr (std::is_same_v<T, bus::ObjectPath>)
                    j[key] = x.value;
                else if constexpr (std::is_same_v<T, bus::Bytes>)
                    j[key] = base64(x.value);
                else if constexpr (std::is_same_v<T, bus::Dict>)
                    j[key] = to_json(x);
                else
                    j[key] = x;
            },
            value.v);
    }
    return j;
}

std::string base64(std::span<const std::uint8_t> bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes.data(),
                                  static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

nlohmann::json properties_json(const bus::Dict& properties) {
    nlohmann::json j = nlohmann::json::object();
    const nlohmann::json named = to_json(properties);
    for (const auto& item : named.items()) j[kebab_case(item.key())] = item.value();
    return j;
}

std::string kebab_case(std::string_view pascal) {
    std::string out;
    for (const char c : pascal) {
        if (std::isupper(static_cast<unsigned char>(c))) {
            if (!out.empty()) out += '-';
            out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        } else {
            out += c;
        }
    }
    return out;
}

nlohmann::json number_or_string(const std::string& text) {
    // Plain decimal integers only: "0123" or "1e3" are not what a driver means by a count.
    const bool integer = !text.empty() && text.size() <= 18 &&
                         text.find_first_not_of("0123456789") == std::string::npos &&
                         (text.size() == 1 || text[0] != '0');
    if (integer) return std::stoll(text);
    return text;
}

std::string value_text(const bus::Value& value) {
    return std::visit(
        [](const auto& x) -> std::string {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, bool>)
                return x ? "yes" : "no";
            else if constexpr (std::is_same_v<T, std::string>)
                return x;
            else if constexpr (std::is_same_v<T, bus::ObjectPath>)
                return x.value;
            else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
                return join(x, ",");
            } else if constexpr (std::is_same_v<T, bus::Bytes>)
                return std::to_string(x.value.size()) + " bytes";
            else if constexpr (std::is_same_v<T, bus::Dict>)
                return to_json(x).dump();
            else
                return std::to_string(x);
        },
        value.v);
}

}  // namespace rekam::ctl
