#include "daemon/preview_fanout.h"

#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/uio.h>

#include <algorithm>
#include <cerrno>
#include <system_error>

#include "common/log.h"

namespace rekam {

struct PreviewFanout::Viewer {
    UniqueFd fd;  // the write end, non-blocking
    std::string owner;
    EventSource io;
    // The message being written, while one is (payload set): header and feedback, then the
    // shared frame bytes.
    std::vector<std::uint8_t> head;
    std::shared_ptr<const std::vector<std::uint8_t>> payload;
    std::size_t written = 0;
    bool want_out = false;
    bool gone = false;
    std::uint32_t missed = 0;  // frames skipped since the last one sent
};

PreviewFanout::PreviewFanout(EventLoop& loop) : loop_(loop) {}

PreviewFanout::~PreviewFanout() = default;

UniqueFd PreviewFanout::add_viewer(std::string owner) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) < 0)
        throw std::system_error(errno, std::generic_category(), "preview pipe");
    UniqueFd read_end(fds[0]);
    auto viewer = std::make_unique<Viewer>();
    viewer->fd.reset(fds[1]);
    viewer->owner = std::move(owner);
    // Only our end is non-blocking: the viewer chooses for its own end.
    if (fcntl(viewer->fd.get(), F_SETFL, O_NONBLOCK) < 0)
        throw std::system_error(errno, std::generic_category(), "preview pipe O_NONBLOCK");
    // Best effort: the per-user pipe budget may be spent; frames then go out in pieces.
    (void)fcntl(viewer->fd.get(), F_SETPIPE_SZ, kPipeSize);
    Viewer* raw = viewer.get();
    // No events asked: epoll still reports EPOLLERR when the viewer closes its end.
    raw->io = loop_.add_io(raw->fd.get(), 0,
                           [this, raw](std::uint32_t revents) { on_io(*raw, revents); });
    viewers_.push_back(std::move(viewer));
    return read_end;
}

void PreviewFanout::publish(const drivers::RawFrame& frame, const LiveScore& live,
                            const std::string& only_owner) {
    if (!frame.bytes) return;
    for (auto& viewer : viewers_) {
        if (viewer->gone) continue;
        if (!only_owner.empty() && viewer->owner != only_owner) {
            ++viewer->missed;
            continue;
        }
        send(*viewer, frame, live);
    }
    const auto before = viewers_.size();
    std::erase_if(viewers_, [](const auto& v) { return v->gone; });
    if (viewers_.empty() && before > 0 && on_empty_) on_empty_();
}

void PreviewFanout::send(Viewer& viewer, const drivers::RawFrame& frame, const LiveScore& live) {
    int unread = 0;
    if (viewer.payload || (ioctl(viewer.fd.get(), FIONREAD, &unread) == 0 && unread > 0)) {
        ++viewer.missed;
        ++dropped_;
        return;
    }
    bus::preview::FrameHeader h;
    h.sequence = frame.sequence;
    h.timestamp_usec = frame.timestamp_usec;
    h.fourcc = frame.fourcc;
    h.width = frame.width;
    h.height = frame.height;
    h.stride = frame.stride;
    h.payload_size = static_cast<std::uint32_t>(frame.bytes->size());
    const std::size_t feedback = std::min<std::size_t>(live.feedback.size(), 0xffff);
    h.feedback_size = static_cast<std::uint16_t>(feedback);
    h.score = static_cast<std::int16_t>(live.score);
    h.score_timestamp_usec = live.timestamp_usec;
    h.dropped = viewer.missed;
    viewer.head.resize(bus::preview::kHeaderSize + feedback);
    bus::preview::encode(h, viewer.head.data());
    std::copy_n(live.feedback.data(), feedback, viewer.head.data() + bus::preview::kHeaderSize);
    viewer.payload = frame.bytes;
    viewer.written = 0;
    viewer.missed = 0;
    if (!flush(viewer)) viewer.gone = true;
}

bool PreviewFanout::flush(Viewer& viewer) {
    const std::size_t head = viewer.head.size();
    const std::size_t total = head + viewer.payload->size();
    while (viewer.written < total) {
        iovec iov[2];
        int count = 0;
        if (viewer.written < head)
            iov[count++] = {viewer.head.data() + viewer.written, head - viewer.written};
        const std::size_t in_payload = viewer.written > head ? viewer.written - head : 0;
        if (in_payload < viewer.payload->size())
            iov[count++] = {const_cast<std::uint8_t*>(viewer.payload->data()) + in_payload,
                            viewer.payload->size() - in_payload};
        const ssize_t n = writev(viewer.fd.get(), iov, count);
        if (n < 0) {
            if (errno == EINTR) continue;
            if (errno != EAGAIN) return false;  // EPIPE: the viewer closed its end
            if (!viewer.want_out) {
                sd_event_source_set_io_events(viewer.io.get(), EPOLLOUT);
                viewer.want_out = true;
            }
            return true;
        }
        viewer.written += static_cast<std::size_t>(n);
    }
    viewer.payload.reset();
    ++delivered_;
    if (viewer.want_out) {
        sd_event_source_set_io_events(viewer.io.get(), 0);
        viewer.want_out = false;
    }
    return true;
}

void PreviewFanout::on_io(Viewer& viewer, std::uint32_t revents) {
    if (viewer.gone) return;
    if ((revents & (EPOLLERR | EPOLLHUP)) ||
        ((revents & EPOLLOUT) && viewer.payload && !flush(viewer)))
        remove(viewer);
}

void PreviewFanout::remove(Viewer& viewer) {
    log::debug("preview: a viewer closed its end");
    // Freeing a source from inside its own callback is safe: sd-event defers it.
    std::erase_if(viewers_, [&](const auto& v) { return v.get() == &viewer; });
    if (viewers_.empty() && on_empty_) on_empty_();
}

void PreviewFanout::close_all() {
    const bool had = !viewers_.empty();
    viewers_.clear();
    if (had && on_empty_) on_empty_();
}

}  // namespace rekam
