// libFuzzer target: a viewer reading the live preview stream (PreviewReader over an fd holding
// the input) must get whole frames, EOF, or std::runtime_error; every header it accepts must
// encode and decode back to itself, and its sizes must match what was read.
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <stdexcept>

#include "dbus/preview_frame.h"
#include "tools/client/preview_client.h"

namespace {

bool same(const rekam::bus::preview::FrameHeader& a, const rekam::bus::preview::FrameHeader& b) {
    return a.sequence == b.sequence && a.timestamp_usec == b.timestamp_usec &&
           a.fourcc == b.fourcc && a.width == b.width && a.height == b.height &&
           a.stride == b.stride && a.payload_size == b.payload_size &&
           a.feedback_size == b.feedback_size && a.score == b.score &&
           a.score_timestamp_usec == b.score_timestamp_usec && a.dropped == b.dropped;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace preview = rekam::bus::preview;
    rekam::UniqueFd fd(memfd_create("rekam-preview-fuzz", MFD_CLOEXEC));
    if (!fd || write(fd.get(), data, size) != static_cast<ssize_t>(size) ||
        lseek(fd.get(), 0, SEEK_SET) != 0)
        std::abort();  // the harness itself failed, not the reader
    rekam::client::PreviewReader reader(std::move(fd));
    try {
        while (const auto frame = reader.next()) {
            std::uint8_t again[preview::kHeaderSize];
            preview::encode(frame->header, again);
            const auto back = preview::decode(again);
            if (!back || !same(*back, frame->header)) std::abort();
            if (frame->payload.size() != frame->header.payload_size) std::abort();
            for (const auto& code : frame->feedback)
                if (code.empty() || code.find(',') != std::string::npos) std::abort();
        }
    } catch (const std::runtime_error&) {
    }
    return 0;
}
