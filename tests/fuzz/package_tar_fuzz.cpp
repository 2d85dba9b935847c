// libFuzzer target: the package's tar reader must return entries or throw PackageError, and
// what it returns must survive the canonical writer and read back the same.
#include <cstdint>
#include <cstdlib>

#include "biometrics/package/tar_io.h"

namespace {

bool same(const rekam::pkg::TarEntry& a, const rekam::pkg::TarEntry& b) {
    return a.name == b.name && a.data == b.data;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace rekam::pkg;
    std::vector<TarEntry> entries;
    try {
        entries = read_tar({data, size});
    } catch (const PackageError&) {
        return 0;
    }
    std::vector<std::uint8_t> rebuilt;
    try {
        rebuilt = write_tar(entries, 1714558800);
    } catch (const PackageError&) {
        return 0;  // a name the writer refuses; verification reports it as tar-not-canonical
    }
    const auto again = read_tar(rebuilt);
    if (again.size() != entries.size()) std::abort();
    for (std::size_t i = 0; i < again.size(); ++i)
        if (!same(again[i], entries[i]) || !again[i].regular_file) std::abort();
    return 0;
}
