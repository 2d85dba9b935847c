#include "common/event_loop.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>

#include <csignal>
#include <cstring>
#include <stdexcept>
#include <string>
#include <utility>

namespace rekam {
namespace {

[[noreturn]] void fail(const char* what, int r) {
    throw std::runtime_error(std::string(what) + ": " + std::strerror(-r));
}

// Callbacks live in heap boxes owned by the source (freed through the destroy callback), so the
// EventSource handle stays a plain pointer wrapper.
template <typename F>
struct Box {
    F fn;
    static void destroy(void* userdata) { delete static_cast<Box*>(userdata); }
};

}  // namespace

EventSource::EventSource(EventSource&& other) noexcept
    : source_(std::exchange(other.source_, nullptr)) {}

EventSource& EventSource::operator=(EventSource&& other) noexcept {
    if (this != &other) {
        reset();
        source_ = std::exchange(other.source_, nullptr);
    }
    return *this;
}

void EventSource::reset() {
    if (source_) source_ = sd_event_source_disable_unref(source_);
}

EventLoop::EventLoop() {
    int r = sd_event_new(&event_);
    if (r < 0) fail("sd_event_new", r);
    wake_fd_.reset(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
    if (!wake_fd_) fail("eventfd", -errno);
    wake_source_ = add_io(wake_fd_.get(), EPOLLIN, [this](std::uint32_t) {
        std::uint64_t n;
        (void)!read(wake_fd_.get(), &n, sizeof n);
        drain_posted();
    });
}

EventLoop::~EventLoop() {
    wake_source_.reset();
    sd_event_unref(event_);
}

int EventLoop::run() {
    int r = sd_event_loop(event_);
    if (r < 0) fail("sd_event_loop", r);
    return r;
}

void EventLoop::exit(int code) { sd_event_exit(event_, code); }

std::uint64_t EventLoop::now_usec() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::uint64_t>(ts.tv_sec) * 1000000u + ts.tv_nsec / 1000u;
}

EventSource EventLoop::add_timer(std::uint64_t usec, Callback fn) {
    using B = Box<Callback>;
    auto box = std::make_unique<B>(B{std::move(fn)});
    sd_event_source* source = nullptr;
    int r = sd_event_add_time_relative(
        event_, &source, CLOCK_MONOTONIC, usec, 1000,
        [](sd_event_source*, std::uint64_t, void* userdata) -> int {
            static_cast<B*>(userdata)->fn();
            return 0;
        },
        box.get());
    if (r < 0) fail("sd_event_add_time_relative", r);
    sd_event_source_set_destroy_callback(source, &B::destroy);
    box.release();
    return EventSource(source);
}

EventSource EventLoop::add_io(int fd, std::uint32_t events, std::function<void(std::uint32_t)> fn) {
    using B = Box<std::function<void(std::uint32_t)>>;
    auto box = std::make_unique<B>(B{std::move(fn)});
    sd_event_source* source = nullptr;
    int r = sd_event_add_io(
        event_, &source, fd, events,
        [](sd_event_source*, int, std::uint32_t revents, void* userdata) -> int {
            static_cast<B*>(userdata)->fn(revents);
            return 0;
        },
        box.get());
    if (r < 0) fail("sd_event_add_io", r);
    sd_event_source_set_destroy_callback(source, &B::destroy);
    box.release();
    return EventSource(source);
}

EventSource EventLoop::add_signal(int signo, Callback fn) {
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, signo);
    sigprocmask(SIG_BLOCK, &mask, nullptr);
    using B = Box<Callback>;
    auto box = std::make_unique<B>(B{std::move(fn)});
    sd_event_source* source = nullptr;
    int r = sd_event_add_signal(
        event_, &source, signo,
        [](sd_event_source*, const signalfd_siginfo*, void* userdata) -> int {
            static_cast<B*>(userdata)->fn();
            return 0;
        },
        box.get());
    if (r < 0) fail("sd_event_add_signal", r);
    sd_event_source_set_destroy_callback(source, &B::destroy);
    box.release();
    return EventSource(source);
}

void EventLoop::post(Callback fn) {
    {
        std::lock_guard lock(posted_mutex_);
        posted_.push_back(std::move(fn));
    }
    std::uint64_t one = 1;
    (void)!write(wake_fd_.get(), &one, sizeof one);
}

void EventLoop::drain_posted() {
    std::deque<Callback> batch;
    {
        std::lock_guard lock(posted_mutex_);
        batch.swap(posted_);
    }
    for (auto& fn : batch) fn();
}

}  // namespace rekam
