#include "common/sealed_memfd.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace rekam {

UniqueFd sealed_memfd(const std::string& name, std::span<const std::uint8_t> bytes) {
    auto fail = [&](const char* what) {
        return std::runtime_error(std::string(what) + " for " + name + ": " + std::strerror(errno));
    };
    UniqueFd fd(memfd_create(name.c_str(), MFD_CLOEXEC | MFD_ALLOW_SEALING));
    if (!fd) throw fail("memfd_create");
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = write(fd.get(), bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw fail("writing the memfd");
        done += static_cast<std::size_t>(n);
    }
    if (fcntl(fd.get(), F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) < 0)
        throw fail("sealing the memfd");
    if (lseek(fd.get(), 0, SEEK_SET) < 0) throw fail("rewinding the memfd");
    return fd;
}

}  // namespace rekam
