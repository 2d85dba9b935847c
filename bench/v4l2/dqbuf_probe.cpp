// An LD_PRELOAD probe for preview_latency: notes in a shared log (dqbuf_probe.h) when each
// VIDIOC_DQBUF returned inside rekamd, so the viewer's latency can be measured from DQBUF and
// not only from the camera's timestamp. Preload it before the fake V4L2 library: it sees every
// call first and passes it on unchanged. libv4l2 issues syscall(SYS_ioctl) directly, so both
// ioctl() and syscall() are wrapped.
#include "bench/v4l2/dqbuf_probe.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <linux/videodev2.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdarg>
#include <cstdlib>
#include <ctime>

namespace {

using rekam::bench::DqbufLog;

DqbufLog* open_log() {
    const char* path = std::getenv(rekam::bench::kDqbufLogEnv);
    if (!path) return nullptr;
    const int fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0) return nullptr;
    void* p = mmap(nullptr, sizeof(DqbufLog), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    return p == MAP_FAILED ? nullptr : static_cast<DqbufLog*>(p);
}

void note(unsigned long request, void* arg, long rc) {
    if (rc != 0 || request != VIDIOC_DQBUF || !arg) return;
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    static DqbufLog* log = open_log();
    if (!log) return;
    const auto& b = *static_cast<const v4l2_buffer*>(arg);
    // Only the loop thread dequeues, so a plain load-then-store is enough.
    const auto i = log->count.load(std::memory_order_relaxed);
    log->entries[i % DqbufLog::kCapacity] = {
        static_cast<std::uint64_t>(b.timestamp.tv_sec) * 1'000'000u +
            static_cast<std::uint64_t>(b.timestamp.tv_usec),
        static_cast<std::uint64_t>(now.tv_sec) * 1'000'000u +
            static_cast<std::uint64_t>(now.tv_nsec) / 1000u};
    log->count.store(i + 1, std::memory_order_release);
}

template <typename Fn>
Fn next(const char* name) {
    return reinterpret_cast<Fn>(dlsym(RTLD_NEXT, name));
}

}  // namespace

extern "C" {

__attribute__((visibility("default"))) int ioctl(int fd, unsigned long request, ...) {
    va_list ap;
    va_start(ap, request);
    void* arg = va_arg(ap, void*);
    va_end(ap);
    static auto f = next<int (*)(int, unsigned long, ...)>("ioctl");
    const int rc = f(fd, request, arg);
    note(request, arg, rc);
    return rc;
}

__attribute__((visibility("default"))) long syscall(long number, ...) {
    va_list ap;
    va_start(ap, number);
    long a[6];
    for (auto& x : a) x = va_arg(ap, long);
    va_end(ap);
    static auto f = next<long (*)(long, ...)>("syscall");
    const long rc = f(number, a[0], a[1], a[2], a[3], a[4], a[5]);
    if (number == SYS_ioctl)
        note(static_cast<unsigned long>(a[1]), reinterpret_cast<void*>(a[2]), rc);
    return rc;
}

}  // extern "C"
