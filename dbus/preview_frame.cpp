#include "dbus/preview_frame.h"

#include <endian.h>

#include <cstring>

#include "common/strings.h"

namespace rekam::bus::preview {
namespace {

template <typename T>
void put(std::uint8_t* at, T value) {
    if constexpr (sizeof(T) == 2)
        value = static_cast<T>(htole16(static_cast<std::uint16_t>(value)));
    if constexpr (sizeof(T) == 4)
        value = static_cast<T>(htole32(static_cast<std::uint32_t>(value)));
    if constexpr (sizeof(T) == 8)
        value = static_cast<T>(htole64(static_cast<std::uint64_t>(value)));
    std::memcpy(at, &value, sizeof value);
}

template <typename T>
T get(const std::uint8_t* at) {
    T value;
    std::memcpy(&value, at, sizeof value);
    if constexpr (sizeof(T) == 2) return static_cast<T>(le16toh(static_cast<std::uint16_t>(value)));
    if constexpr (sizeof(T) == 4) return static_cast<T>(le32toh(static_cast<std::uint32_t>(value)));
    if constexpr (sizeof(T) == 8) return static_cast<T>(le64toh(static_cast<std::uint64_t>(value)));
    return value;
}

}  // namespace

void encode(const FrameHeader& h, std::uint8_t out[kHeaderSize]) {
    std::memset(out, 0, kHeaderSize);
    put(out + 0, kMagic);
    put(out + 4, kVersion);
    put(out + 6, static_cast<std::uint16_t>(kHeaderSize));
    put(out + 8, h.sequence);
    put(out + 16, h.timestamp_usec);
    put(out + 24, h.fourcc);
    put(out + 28, h.width);
    put(out + 32, h.height);
    put(out + 36, h.stride);
    put(out + 40, h.payload_size);
    put(out + 44, h.feedback_size);
    put(out + 46, h.score);
    put(out + 48, h.score_timestamp_usec);
    put(out + 56, h.dropped);
}

std::optional<FrameHeader> decode(const std::uint8_t in[kHeaderSize]) {
    if (get<std::uint32_t>(in) != kMagic || get<std::uint16_t>(in + 4) != kVersion ||
        get<std::uint16_t>(in + 6) != kHeaderSize)
        return std::nullopt;
    FrameHeader h;
    h.sequence = get<std::uint64_t>(in + 8);
    h.timestamp_usec = get<std::uint64_t>(in + 16);
    h.fourcc = get<std::uint32_t>(in + 24);
    h.width = get<std::uint32_t>(in + 28);
    h.height = get<std::uint32_t>(in + 32);
    h.stride = get<std::uint32_t>(in + 36);
    h.payload_size = get<std::uint32_t>(in + 40);
    h.feedback_size = get<std::uint16_t>(in + 44);
    h.score = get<std::int16_t>(in + 46);
    h.score_timestamp_usec = get<std::uint64_t>(in + 48);
    h.dropped = get<std::uint32_t>(in + 56);
    if (h.payload_size > kMaxPayload || h.score < kNoScore || h.score > 100) return std::nullopt;
    return h;
}

std::string join_feedback(const std::vector<std::string>& codes) { return join(codes, ","); }

std::vector<std::string> split_feedback(const std::string& joined) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < joined.size()) {
        const auto comma = joined.find(',', start);
        const auto end = comma == std::string::npos ? joined.size() : comma;
        if (end > start) out.push_back(joined.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

}  // namespace rekam::bus::preview
