// The live preview's wire format: what a viewer reads from the fd Device.OpenPreview returns.
// Part of the D-Bus API contract, so the daemon and every client use this one definition.
//
// The fd is the read end of a pipe carrying one message per frame:
//   64-byte header (little-endian, below), `feedback_size` bytes of feedback codes joined by
//   ',', then `payload_size` bytes of the frame as the device sent it (fourcc GREY, YUYV, MJPG
//   or RGB3; `stride` bytes per line, 0 when compressed).
// A viewer that falls behind misses frames (`dropped` counts them); it never slows the camera.
// EOF means the preview ended (device gone, daemon stopping); closing the fd ends the viewer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rekam::bus::preview {

inline constexpr std::uint32_t kMagic = 0x5650'4b52;  // "RKPV" in memory order
inline constexpr std::uint16_t kVersion = 1;
inline constexpr std::size_t kHeaderSize = 64;
inline constexpr std::int16_t kNoScore = -1;
// A bound no honest frame reaches (a 4K RGB frame is 25 MB): a reader can trust sizes below it.
inline constexpr std::uint32_t kMaxPayload = 64u << 20;

struct FrameHeader {
    std::uint64_t sequence = 0;        // the preview's counter: +1 for every frame the device made
    std::uint64_t timestamp_usec = 0;  // CLOCK_MONOTONIC when the device captured the frame
    std::uint32_t fourcc = 0;
    std::uint32_t width = 0, height = 0, stride = 0;
    std::uint32_t payload_size = 0;
    std::uint16_t feedback_size = 0;
    std::int16_t score = kNoScore;           // latest live quality score 0-100, kNoScore before one
    std::uint64_t score_timestamp_usec = 0;  // capture time of the frame that score is from
    std::uint32_t dropped = 0;               // frames this viewer missed since its previous one
};

void encode(const FrameHeader& header, std::uint8_t out[kHeaderSize]);
// Nullopt when the bytes are not a version-1 header or claim an absurd size.
std::optional<FrameHeader> decode(const std::uint8_t in[kHeaderSize]);

std::string join_feedback(const std::vector<std::string>& codes);
std::vector<std::string> split_feedback(const std::string& joined);

}  // namespace rekam::bus::preview
