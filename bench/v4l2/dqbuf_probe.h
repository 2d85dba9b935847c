// The log the DQBUF probe (dqbuf_probe.cpp, preloaded into rekamd) shares with preview_latency:
// when each VIDIOC_DQBUF returned, keyed by the buffer's timestamp, in a file both map.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace rekam::bench {

// The environment variable naming the log file (created and sized by the reader).
inline constexpr const char* kDqbufLogEnv = "REKAM_DQBUF_LOG";

struct DqbufLog {
    static constexpr std::size_t kCapacity = 1 << 14;  // nine minutes at 30 fps
    struct Entry {
        std::uint64_t timestamp_usec;  // the buffer's, as rekamd reads it
        std::uint64_t dqbuf_usec;      // CLOCK_MONOTONIC when DQBUF returned it
    };
    // Entries written so far; entry i is at i % kCapacity. Stored after the entry (release).
    std::atomic<std::uint64_t> count;
    Entry entries[kCapacity];
};
static_assert(std::atomic<std::uint64_t>::is_always_lock_free, "shared between processes");

}  // namespace rekam::bench
