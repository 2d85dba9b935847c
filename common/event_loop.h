// The daemon's one sd-event loop, with C++ ownership of every event source.
//
// Everything that touches D-Bus objects or session state runs on the loop thread. Worker
// threads (libfprint's GMainContext, simulated sensors, heavy image work) hand results back
// with post(), which is the only thread-safe member.
#pragma once

#include <systemd/sd-event.h>

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>

#include "common/unique_fd.h"

namespace rekam {

// An event source owned by whoever asked for it: destroying it disables and frees the source,
// so a callback can never run on an object that is gone.
class EventSource {
  public:
    EventSource() = default;
    explicit EventSource(sd_event_source* source) : source_(source) {}
    EventSource(EventSource&& other) noexcept;
    EventSource& operator=(EventSource&& other) noexcept;
    EventSource(const EventSource&) = delete;
    EventSource& operator=(const EventSource&) = delete;
    ~EventSource() { reset(); }

    void reset();
    explicit operator bool() const { return source_ != nullptr; }
    sd_event_source* get() const { return source_; }

  private:
    sd_event_source* source_ = nullptr;
};

class EventLoop {
  public:
    using Callback = std::function<void()>;

    EventLoop();
    ~EventLoop();
    EventLoop(const EventLoop&) = delete;
    EventLoop& operator=(const EventLoop&) = delete;

    sd_event* get() const { return event_; }

    // Run until exit(); returns the exit code.
    int run();
    void exit(int code);

    // Call `fn` once, `usec` microseconds from now (CLOCK_MONOTONIC).
    [[nodiscard]] EventSource add_timer(std::uint64_t usec, Callback fn);
    // Call `fn(revents)` whenever `fd` is ready for `events` (EPOLLIN, ...).
    [[nodiscard]] EventSource add_io(int fd, std::uint32_t events,
                                     std::function<void(std::uint32_t)> fn);
    // Handle a signal on the loop (the signal is blocked for the whole process first).
    [[nodiscard]] EventSource add_signal(int signo, Callback fn);

    // Thread-safe: run `fn` on the loop thread soon. Safe to call after the loop stopped running
    // (the callback is then dropped when the loop is destroyed).
    void post(Callback fn);

    static std::uint64_t now_usec();

  private:
    void drain_posted();

    sd_event* event_ = nullptr;
    UniqueFd wake_fd_;
    EventSource wake_source_;
    std::mutex posted_mutex_;
    std::deque<Callback> posted_;
};

}  // namespace rekam
