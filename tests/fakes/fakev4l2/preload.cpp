// The transport: libc and syscall() entry points that turn calls on the fake device paths into
// calls on FakeCamera. libv4l2 calls syscall(SYS_openat|SYS_ioctl|SYS_mmap...) directly, so
// interposing ioctl() alone would miss it. The device fd is an eventfd (poll/epoll are real);
// buffers live in a memfd (mmap is real). dup()s of it reach the same open file, as in the kernel:
// GStreamer's v4l2src streams through a dup of the fd it opened.
//
// Written by hand because no library does this: umockdev cannot emulate V4L2 ioctls, poll or
// mmap (docs/research/v4l2-testing.md §1.3).
#include <dlfcn.h>
#include <fcntl.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>
#include <cstdarg>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>

#include "tests/fakes/fakev4l2/fake_camera.h"

using rekam::fakev4l2::FakeCamera;
using rekam::fakev4l2::OpenFile;

namespace {

struct Registry {
    std::mutex mutex;
    std::map<std::string, std::shared_ptr<FakeCamera>> cameras;  // by path
    std::map<int, std::shared_ptr<OpenFile>> files;              // by client fd; dups share
    std::map<std::string, rekam::fakev4l2::CameraSpec> specs;

    Registry() {
        const char* env = std::getenv("FAKEV4L2_DEVICES");
        for (auto& spec : rekam::fakev4l2::parse_specs(env ? env : "")) specs[spec.path] = spec;
    }
};

Registry& registry() {
    static Registry* r = new Registry;  // never destroyed: calls can come during exit
    return *r;
}

template <typename Fn>
Fn real(const char* name) {
    return reinterpret_cast<Fn>(dlsym(RTLD_NEXT, name));
}

long fail(int err) {
    errno = err;
    return -1;
}

bool is_fake_path(const char* path) {
    if (!path) return false;
    auto& r = registry();
    std::lock_guard lock(r.mutex);
    return r.specs.count(path) != 0;
}

int real_close(int fd) {
    static auto f = real<int (*)(int)>("close");
    return f(fd);
}

int real_fcntl(int fd, int cmd, void* arg) {
    static auto f = real<int (*)(int, int, ...)>("fcntl");
    return f(fd, cmd, arg);
}

int fake_open(const char* path, int flags) {
    std::shared_ptr<FakeCamera> unplugged;  // destroyed after the lock: it close()s its memfd
    auto& r = registry();
    std::lock_guard lock(r.mutex);
    auto& camera = r.cameras[path];
    if (camera && camera->unplugged()) {
        if (!camera->replug_due()) return static_cast<int>(fail(ENOENT));
        unplugged = std::move(camera);  // replugged: a new device
    }
    if (!camera) camera = std::make_shared<FakeCamera>(r.specs.at(path));
    auto file = std::make_shared<OpenFile>();
    file->camera = camera;
    file->nonblock = (flags & O_NONBLOCK) != 0;
    // Always non-blocking: the fake drains the counter; file->nonblock is what the client sees.
    file->event_fd = eventfd(0, EFD_NONBLOCK | EFD_SEMAPHORE | EFD_CLOEXEC);
    if (file->event_fd < 0) return -1;
    const int fd = real_fcntl(file->event_fd, (flags & O_CLOEXEC) ? F_DUPFD_CLOEXEC : F_DUPFD,
                              reinterpret_cast<void*>(0L));
    if (fd < 0) {
        const int err = errno;
        real_close(file->event_fd);
        return static_cast<int>(fail(err));
    }
    r.files[fd] = file;
    return fd;
}

// `to` now refers to the open file behind `from` (dup, dup2, dup3, F_DUPFD).
void track_dup(int from, int to) {
    auto& r = registry();
    std::lock_guard lock(r.mutex);
    auto it = r.files.find(from);
    if (it != r.files.end()) r.files[to] = it->second;
}

std::shared_ptr<OpenFile> file_of(int fd) {
    auto& r = registry();
    std::lock_guard lock(r.mutex);
    auto it = r.files.find(fd);
    return it == r.files.end() ? nullptr : it->second;
}

long fake_ioctl(OpenFile& file, unsigned long request, void* arg) {
    // Like the kernel: an unknown ioctl is ENOTTY whatever its argument, a known one with a
    // null argument (and a size) is EFAULT.
    // (FakeCamera::ioctl answers a null argument like the kernel: EFAULT or ENOTTY.)
    const int rc = file.camera->ioctl(file, request, arg);
    return rc < 0 ? fail(-rc) : 0;
}

void* fake_mmap(OpenFile& file, void* addr, size_t len, int prot, int flags, off_t off) {
    int memfd = -1;
    const int rc = file.camera->mmap_target(static_cast<std::uint64_t>(off), len, memfd);
    if (rc < 0) {
        errno = -rc;
        return MAP_FAILED;
    }
    static auto real_mmap = real<void* (*)(void*, size_t, int, int, int, off_t)>("mmap");
    return real_mmap(addr, len, prot, flags, memfd, off);
}

// Drops client fd `fd` (false if it is not one). Like the kernel, the device lets go of the open
// file (stream, buffers) only when its last fd goes, whichever fd that is.
bool forget(int fd) {
    std::shared_ptr<OpenFile> file;
    bool last = true;
    {
        auto& r = registry();
        std::lock_guard lock(r.mutex);
        auto it = r.files.find(fd);
        if (it == r.files.end()) return false;
        file = it->second;
        r.files.erase(it);
        for (const auto& [other, f] : r.files) last = last && f != file;
    }
    if (last) {
        file->camera->release(*file);
        real_close(file->event_fd);
    }
    return true;
}

int fake_close(int fd) { return forget(fd) ? real_close(fd) : -2; }

// The file status flags are shared by dups; O_NONBLOCK is kept per open file for DQBUF and
// never cleared on the eventfd itself (the fake's own reads of it must not block).
template <typename Real>
int fake_fcntl(Real f, int fd, int cmd, void* arg) {
    auto file = file_of(fd);
    if (!file) return f(fd, cmd, arg);
    switch (cmd) {
        case F_DUPFD:
        case F_DUPFD_CLOEXEC: {
            const int to = f(fd, cmd, arg);
            if (to >= 0) track_dup(fd, to);
            return to;
        }
        case F_GETFL: {
            const int flags = f(fd, cmd, arg);
            if (flags < 0) return flags;
            return file->nonblock ? flags | O_NONBLOCK : flags & ~O_NONBLOCK;
        }
        case F_SETFL: {
            const long flags = reinterpret_cast<long>(arg);
            const int rc = f(fd, cmd, reinterpret_cast<void*>(flags | O_NONBLOCK));
            if (rc == 0) file->nonblock = (flags & O_NONBLOCK) != 0;
            return rc;
        }
        default:
            return f(fd, cmd, arg);
    }
}

// A character device 81:N, as /dev/videoN is; N is the entry's place in FAKEV4L2_DEVICES.
bool fake_stat_path(const char* path, struct stat* st) {
    if (!path || !st) return false;
    auto& r = registry();
    std::lock_guard lock(r.mutex);
    unsigned minor = 0;
    for (const auto& [p, spec] : r.specs) {
        if (p == path) {
            auto cam = r.cameras.find(p);
            if (cam != r.cameras.end() && cam->second && cam->second->unplugged() &&
                !cam->second->replug_due())
                return false;
            *st = {};
            st->st_mode = S_IFCHR | 0660;
            st->st_rdev = makedev(81, spec.minor >= 0 ? static_cast<unsigned>(spec.minor) : minor);
            st->st_nlink = 1;
            st->st_blksize = 4096;
            return true;
        }
        ++minor;
    }
    return false;
}

}  // namespace

extern "C" {

__attribute__((visibility("default"))) int open(const char* path, int flags, ...) {
    mode_t mode = 0;
    if (flags & (O_CREAT | O_TMPFILE)) {
        va_list ap;
        va_start(ap, flags);
        mode = va_arg(ap, mode_t);
        va_end(ap);
    }
    if (is_fake_path(path)) return fake_open(path, flags);
    static auto f = real<int (*)(const char*, int, ...)>("open");
    return f(path, flags, mode);
}

__attribute__((visibility("default"))) int open64(const char* path, int flags, ...) {
    mode_t mode = 0;
    if (flags & (O_CREAT | O_TMPFILE)) {
        va_list ap;
        va_start(ap, flags);
        mode = va_arg(ap, mode_t);
        va_end(ap);
    }
    if (is_fake_path(path)) return fake_open(path, flags);
    static auto f = real<int (*)(const char*, int, ...)>("open64");
    return f(path, flags, mode);
}

__attribute__((visibility("default"))) int openat(int dirfd, const char* path, int flags, ...) {
    mode_t mode = 0;
    if (flags & (O_CREAT | O_TMPFILE)) {
        va_list ap;
        va_start(ap, flags);
        mode = va_arg(ap, mode_t);
        va_end(ap);
    }
    if (is_fake_path(path)) return fake_open(path, flags);
    static auto f = real<int (*)(int, const char*, int, ...)>("openat");
    return f(dirfd, path, flags, mode);
}

__attribute__((visibility("default"))) int openat64(int dirfd, const char* path, int flags, ...) {
    mode_t mode = 0;
    if (flags & (O_CREAT | O_TMPFILE)) {
        va_list ap;
        va_start(ap, flags);
        mode = va_arg(ap, mode_t);
        va_end(ap);
    }
    if (is_fake_path(path)) return fake_open(path, flags);
    static auto f = real<int (*)(int, const char*, int, ...)>("openat64");
    return f(dirfd, path, flags, mode);
}

__attribute__((visibility("default"))) int __open_2(const char* path, int flags) {
    return open(path, flags);
}
__attribute__((visibility("default"))) int __open64_2(const char* path, int flags) {
    return open64(path, flags);
}

__attribute__((visibility("default"))) int close(int fd) {
    const int rc = fake_close(fd);
    return rc != -2 ? rc : real_close(fd);
}

__attribute__((visibility("default"))) int dup(int fd) {
    static auto f = real<int (*)(int)>("dup");
    const int to = f(fd);
    if (to >= 0) track_dup(fd, to);
    return to;
}

__attribute__((visibility("default"))) int dup3(int from, int to, int flags) {
    static auto f = real<int (*)(int, int, int)>("dup3");
    const int rc = f(from, to, flags);
    if (rc >= 0) {
        forget(to);  // dup3 closed whatever `to` was
        track_dup(from, to);
    }
    return rc;
}

__attribute__((visibility("default"))) int dup2(int from, int to) {
    static auto f = real<int (*)(int, int)>("dup2");
    const int rc = f(from, to);
    if (rc >= 0 && from != to) {  // dup2(fd, fd) is a no-op
        forget(to);
        track_dup(from, to);
    }
    return rc;
}

__attribute__((visibility("default"))) int fcntl(int fd, int cmd, ...) {
    va_list ap;
    va_start(ap, cmd);
    void* arg = va_arg(ap, void*);
    va_end(ap);
    static auto f = real<int (*)(int, int, ...)>("fcntl");
    return fake_fcntl(f, fd, cmd, arg);
}

__attribute__((visibility("default"))) int fcntl64(int fd, int cmd, ...) {
    va_list ap;
    va_start(ap, cmd);
    void* arg = va_arg(ap, void*);
    va_end(ap);
    static auto f = real<int (*)(int, int, ...)>("fcntl64");
    return fake_fcntl(f, fd, cmd, arg);
}

__attribute__((visibility("default"))) int ioctl(int fd, unsigned long request, ...) {
    va_list ap;
    va_start(ap, request);
    void* arg = va_arg(ap, void*);
    va_end(ap);
    if (auto file = file_of(fd)) return static_cast<int>(fake_ioctl(*file, request, arg));
    static auto f = real<int (*)(int, unsigned long, ...)>("ioctl");
    return f(fd, request, arg);
}

__attribute__((visibility("default"))) void* mmap(void* addr, size_t len, int prot, int flags,
                                                  int fd, off_t off) {
    if (auto file = file_of(fd)) return fake_mmap(*file, addr, len, prot, flags, off);
    static auto f = real<void* (*)(void*, size_t, int, int, int, off_t)>("mmap");
    return f(addr, len, prot, flags, fd, off);
}

__attribute__((visibility("default"))) void* mmap64(void* addr, size_t len, int prot, int flags,
                                                    int fd, off_t off) {
    return mmap(addr, len, prot, flags, fd, off);
}

__attribute__((visibility("default"))) int stat(const char* path, struct stat* st) {
    if (fake_stat_path(path, st)) return 0;
    static auto f = real<int (*)(const char*, struct stat*)>("stat");
    return f(path, st);
}
__attribute__((visibility("default"))) int stat64(const char* path, struct stat64* st) {
    if (fake_stat_path(path, reinterpret_cast<struct stat*>(st))) return 0;
    static auto f = real<int (*)(const char*, struct stat64*)>("stat64");
    return f(path, st);
}
__attribute__((visibility("default"))) int fstatat(int dirfd, const char* path, struct stat* st,
                                                   int flags) {
    if (fake_stat_path(path, st)) return 0;
    static auto f = real<int (*)(int, const char*, struct stat*, int)>("fstatat");
    return f(dirfd, path, st, flags);
}
__attribute__((visibility("default"))) int fstatat64(int dirfd, const char* path, struct stat64* st,
                                                     int flags) {
    if (fake_stat_path(path, reinterpret_cast<struct stat*>(st))) return 0;
    static auto f = real<int (*)(int, const char*, struct stat64*, int)>("fstatat64");
    return f(dirfd, path, st, flags);
}

__attribute__((visibility("default"))) long syscall(long number, ...) {
    va_list ap;
    va_start(ap, number);
    long a[6];
    for (auto& x : a) x = va_arg(ap, long);
    va_end(ap);
    switch (number) {
        case SYS_openat:
            if (is_fake_path(reinterpret_cast<const char*>(a[1])))
                return fake_open(reinterpret_cast<const char*>(a[1]), static_cast<int>(a[2]));
            break;
        case SYS_open:
            if (is_fake_path(reinterpret_cast<const char*>(a[0])))
                return fake_open(reinterpret_cast<const char*>(a[0]), static_cast<int>(a[1]));
            break;
        case SYS_ioctl:
            if (auto file = file_of(static_cast<int>(a[0])))
                return fake_ioctl(*file, static_cast<unsigned long>(a[1]),
                                  reinterpret_cast<void*>(a[2]));
            break;
        case SYS_mmap:
            if (auto file = file_of(static_cast<int>(a[4]))) {
                void* p = fake_mmap(*file, reinterpret_cast<void*>(a[0]), static_cast<size_t>(a[1]),
                                    static_cast<int>(a[2]), static_cast<int>(a[3]),
                                    static_cast<off_t>(a[5]));
                return p == MAP_FAILED ? -1 : reinterpret_cast<long>(p);
            }
            break;
        case SYS_close: {
            const int rc = fake_close(static_cast<int>(a[0]));
            if (rc != -2) return rc;
            break;
        }
        default:
            break;
    }
    static auto f = real<long (*)(long, ...)>("syscall");
    return f(number, a[0], a[1], a[2], a[3], a[4], a[5]);
}

}  // extern "C"
