#include "biometrics/package/tar_io.h"

#include <archive.h>
#include <archive_entry.h>

#include <memory>

namespace rekam::pkg {

namespace {

struct ArchiveWriteDeleter {
    void operator()(archive* a) const { archive_write_free(a); }
};
struct ArchiveReadDeleter {
    void operator()(archive* a) const { archive_read_free(a); }
};
struct EntryDeleter {
    void operator()(archive_entry* e) const { archive_entry_free(e); }
};

la_ssize_t append_to_vector(archive*, void* client, const void* buffer, size_t length) {
    auto* out = static_cast<std::vector<std::uint8_t>*>(client);
    const auto* p = static_cast<const std::uint8_t*>(buffer);
    out->insert(out->end(), p, p + length);
    return static_cast<la_ssize_t>(length);
}

[[noreturn]] void fail(archive* a, const std::string& what) {
    const char* msg = archive_error_string(a);
    throw PackageError(what + ": " + (msg ? msg : "libarchive error"));
}

}  // namespace

std::vector<std::uint8_t> write_tar(const std::vector<TarEntry>& entries, std::time_t mtime) {
    // The exact size, reserved once: libarchive hands over every 512-byte block on its own, and
    // growing the vector under a multi-megabyte package would copy it again and again.
    std::size_t size = 1024;  // the end-of-archive blocks
    for (const auto& e : entries) size += 512 + (e.data.size() + 511) / 512 * 512;
    std::vector<std::uint8_t> out;
    out.reserve(size);
    std::unique_ptr<archive, ArchiveWriteDeleter> a(archive_write_new());
    if (!a) throw PackageError("archive_write_new failed");
    // pax_restricted writes plain ustar headers unless a name or size needs an extension,
    // which package names never do.
    if (archive_write_set_format_pax_restricted(a.get()) != ARCHIVE_OK ||
        archive_write_add_filter_none(a.get()) != ARCHIVE_OK ||
        archive_write_set_bytes_per_block(a.get(), 512) != ARCHIVE_OK ||
        archive_write_set_bytes_in_last_block(a.get(), 1) != ARCHIVE_OK)
        fail(a.get(), "configuring the tar writer");
    if (archive_write_open2(a.get(), &out, nullptr, append_to_vector, nullptr, nullptr) !=
        ARCHIVE_OK)
        fail(a.get(), "opening the tar writer");
    for (const auto& e : entries) {
        std::unique_ptr<archive_entry, EntryDeleter> entry(archive_entry_new());
        archive_entry_set_pathname(entry.get(), e.name.c_str());
        archive_entry_set_size(entry.get(), static_cast<la_int64_t>(e.data.size()));
        archive_entry_set_filetype(entry.get(), AE_IFREG);
        archive_entry_set_perm(entry.get(), 0644);
        archive_entry_set_uid(entry.get(), 0);
        archive_entry_set_gid(entry.get(), 0);
        archive_entry_set_uname(entry.get(), "root");
        archive_entry_set_gname(entry.get(), "root");
        archive_entry_set_mtime(entry.get(), mtime, 0);
        if (archive_write_header(a.get(), entry.get()) != ARCHIVE_OK)
            fail(a.get(), "writing the tar header of " + e.name);
        if (!e.data.empty() && archive_write_data(a.get(), e.data.data(), e.data.size()) !=
                                   static_cast<la_ssize_t>(e.data.size()))
            fail(a.get(), "writing " + e.name);
    }
    if (archive_write_close(a.get()) != ARCHIVE_OK) fail(a.get(), "closing the tar");
    return out;
}

std::vector<TarEntry> read_tar(std::span<const std::uint8_t> tar) {
    std::unique_ptr<archive, ArchiveReadDeleter> a(archive_read_new());
    if (!a) throw PackageError("archive_read_new failed");
    // Only tar: a package that is anything else is not a package.
    archive_read_support_format_tar(a.get());
    if (archive_read_open_memory(a.get(), tar.data(), tar.size()) != ARCHIVE_OK)
        fail(a.get(), "reading the package as tar");
    std::vector<TarEntry> entries;
    archive_entry* entry = nullptr;
    for (;;) {
        const int rc = archive_read_next_header(a.get(), &entry);
        if (rc == ARCHIVE_EOF) break;
        if (rc != ARCHIVE_OK) fail(a.get(), "reading tar entry " + std::to_string(entries.size()));
        TarEntry e;
        const char* name = archive_entry_pathname(entry);
        e.name = name ? name : "";
        e.regular_file = archive_entry_filetype(entry) == AE_IFREG;
        const auto size = archive_entry_size(entry);
        if (size < 0 || static_cast<std::uint64_t>(size) > tar.size())
            throw PackageError("tar entry " + e.name + " has an impossible size");
        e.data.resize(static_cast<std::size_t>(size));
        std::size_t got = 0;
        while (got < e.data.size()) {
            const auto n = archive_read_data(a.get(), e.data.data() + got, e.data.size() - got);
            if (n < 0) fail(a.get(), "reading the data of " + e.name);
            if (n == 0) throw PackageError("tar entry " + e.name + " is truncated");
            got += static_cast<std::size_t>(n);
        }
        entries.push_back(std::move(e));
    }
    return entries;
}

}  // namespace rekam::pkg
