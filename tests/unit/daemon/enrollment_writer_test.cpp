// write_file_atomically(): the spool write that must never leave half a package under a final
// name. (EnrollmentWriter::write itself needs samples and a signer: integration tests.)
#include "daemon/enrollment_writer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "biometrics/package/hash_chain.h"
#include "daemon/registration_book.h"
#include "temp_dir.h"

namespace rekam {
namespace {

using ::testing::HasSubstr;

std::vector<std::uint8_t> bytes_of(const std::string& s) { return {s.begin(), s.end()}; }

std::vector<std::string> names_in(const std::filesystem::path& dir) {
    std::vector<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(dir))
        names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

constexpr const char* kName = "0b6c3a52-5f0e-4b8e-9a53-4d1c2f6b7e10.rekam";

TEST(WriteFileAtomically, WritesTheBytesAndLeavesNoPartial) {
    testing::TempDir dir;
    std::vector<std::uint8_t> payload(100000);
    for (std::size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<std::uint8_t>(i * 7);
    write_file_atomically(dir.path(), kName, payload);
    const auto text = testing::read_text(dir.path() / kName);
    EXPECT_EQ(std::vector<std::uint8_t>(text.begin(), text.end()), payload);
    EXPECT_THAT(names_in(dir.path()), ::testing::ElementsAre(kName));
    EXPECT_FALSE(std::filesystem::exists(dir.path() / ("." + std::string(kName) + ".partial")));
}

TEST(WriteFileAtomically, EmptyContentIsAFile) {
    testing::TempDir dir;
    write_file_atomically(dir.path(), "empty.rekam", {});
    EXPECT_TRUE(std::filesystem::is_regular_file(dir.path() / "empty.rekam"));
    EXPECT_EQ(std::filesystem::file_size(dir.path() / "empty.rekam"), 0u);
}

TEST(WriteFileAtomically, FileIsReadableByRekamdAlone) {
    testing::TempDir dir;
    const mode_t old = umask(0);
    write_file_atomically(dir.path(), kName, bytes_of("x"));
    umask(old);
    struct stat st {};
    ASSERT_EQ(stat((dir.path() / kName).c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 0600u);
}

TEST(WriteFileAtomically, RefusesToOverwriteAndKeepsTheExistingFile) {
    testing::TempDir dir;
    write_file_atomically(dir.path(), kName, bytes_of("the first package"));
    try {
        write_file_atomically(dir.path(), kName, bytes_of("an impostor"));
        FAIL() << "expected the second write to be refused";
    } catch (const std::runtime_error& e) {
        EXPECT_THAT(e.what(), HasSubstr((dir.path() / kName).string()));
        EXPECT_THAT(e.what(), HasSubstr("File exists"));
    }
    EXPECT_EQ(testing::read_text(dir.path() / kName), "the first package");
    EXPECT_THAT(names_in(dir.path()), ::testing::ElementsAre(kName));
}

TEST(WriteFileAtomically, LeftoverPartialFromACrashIsReplaced) {
    testing::TempDir dir;
    const auto partial = dir.path() / ("." + std::string(kName) + ".partial");
    testing::write_text(partial, "half a package from before the power cut, and more bytes");
    write_file_atomically(dir.path(), kName, bytes_of("whole"));
    EXPECT_EQ(testing::read_text(dir.path() / kName), "whole");
    EXPECT_FALSE(std::filesystem::exists(partial));
}

TEST(WriteFileAtomically, MissingDirectoryThrowsWithThePath) {
    testing::TempDir dir;
    const auto missing = dir.path() / "spool";
    try {
        write_file_atomically(missing, kName, bytes_of("x"));
        FAIL() << "expected a missing directory to throw";
    } catch (const std::runtime_error& e) {
        EXPECT_THAT(e.what(), HasSubstr(missing.string()));
        EXPECT_THAT(e.what(), HasSubstr("No such file or directory"));
    }
    EXPECT_FALSE(std::filesystem::exists(missing));
}

TEST(WriteFileAtomically, FullDiskThrowsAndLeavesNeitherFinalNorPartial) {
    testing::TinyTmpfs fs("64k");
    if (!fs.mounted()) GTEST_SKIP() << fs.error() << " (needs root / CAP_SYS_ADMIN)";
    const std::vector<std::uint8_t> big(1 << 20, 0x5a);  // 1 MiB into 64 KiB
    try {
        write_file_atomically(fs.path(), kName, big);
        FAIL() << "expected ENOSPC";
    } catch (const std::runtime_error& e) {
        EXPECT_THAT(e.what(), HasSubstr("No space left on device"));
        EXPECT_THAT(e.what(), HasSubstr(".partial"));
    }
    EXPECT_FALSE(std::filesystem::exists(fs.path() / kName));
    EXPECT_FALSE(std::filesystem::exists(fs.path() / ("." + std::string(kName) + ".partial")));
    EXPECT_TRUE(names_in(fs.path()).empty());

    // The space came back: the next package fits.
    write_file_atomically(fs.path(), kName, bytes_of("small"));
    EXPECT_EQ(testing::read_text(fs.path() / kName), "small");
}

TEST(StagedPackage, StaysUnderItsTemporaryNameUntilCommitted) {
    testing::TempDir dir;
    {
        StagedPackage staged = stage_file(dir.path(), kName, bytes_of("package"), "sha");
        EXPECT_EQ(staged.sha256(), "sha");
        EXPECT_EQ(staged.path(), dir.path() / kName);
        EXPECT_THAT(names_in(dir.path()),
                    ::testing::ElementsAre(StagedPackage::temporary_name(kName)));
        staged.commit();
        EXPECT_TRUE(staged.committed());
    }
    EXPECT_THAT(names_in(dir.path()), ::testing::ElementsAre(kName));
    EXPECT_EQ(testing::read_text(dir.path() / kName), "package");
}

TEST(StagedPackage, AnUncommittedStageIsRemoved) {
    testing::TempDir dir;
    { StagedPackage staged = stage_file(dir.path(), kName, bytes_of("package")); }
    EXPECT_TRUE(names_in(dir.path()).empty());
}

TEST(StagedPackage, AKeptStageOutlivesItsObject) {
    testing::TempDir dir;
    {
        StagedPackage staged = stage_file(dir.path(), kName, bytes_of("package"));
        staged.keep();  // its book entry is written
    }
    EXPECT_THAT(names_in(dir.path()), ::testing::ElementsAre(StagedPackage::temporary_name(kName)));
}

TEST(RecoverSpool, CompletesBookedTemporariesAndRemovesTheRest) {
    testing::TempDir dir;
    const std::string booked = "11111111-0000-4000-8000-000000000001.rekam";
    const std::string unbooked = "11111111-0000-4000-8000-000000000002.rekam";
    const std::string altered = "11111111-0000-4000-8000-000000000003.rekam";
    const std::string done = "11111111-0000-4000-8000-000000000004.rekam";
    const auto sha_of = [](const std::string& s) {
        return pkg::to_hex(
            pkg::sha256(std::span(reinterpret_cast<const std::uint8_t*>(s.data()), s.size())));
    };
    for (const auto& name : {booked, unbooked, altered})
        stage_file(dir.path(), name, bytes_of("bytes of " + name)).keep();
    write_file_atomically(dir.path(), done, bytes_of("finished"));
    const auto result =
        recover_spool(dir.path(), [&](const std::string& name) -> std::optional<std::string> {
            if (name == booked) return sha_of("bytes of " + booked);
            if (name == altered) return sha_of("other bytes");  // booked, but not these bytes
            return std::nullopt;
        });
    EXPECT_THAT(result.completed, ::testing::ElementsAre(booked));
    EXPECT_THAT(result.removed, ::testing::UnorderedElementsAre(unbooked, altered));
    EXPECT_THAT(names_in(dir.path()), ::testing::ElementsAre(booked, done));
    EXPECT_EQ(testing::read_text(dir.path() / booked), "bytes of " + booked);
}

TEST(RegistrationBookFullDisk, AppendThrowsAndLeavesNoHalfLine) {
    testing::TinyTmpfs fs("64k");
    if (!fs.mounted()) GTEST_SKIP() << fs.error() << " (needs root / CAP_SYS_ADMIN)";
    const auto file = fs.path() / "registration-book.jsonl";
    RegistrationBook book(file);
    BookEntry e;
    e.transaction_id = "tx-1";
    e.operator_id = "op";
    e.nik = "3273014507900001";
    e.outcome = "enrolled";
    book.append(e);

    // Fill the rest of the disk, then top up the book's last page so that nothing is left.
    {
        std::ofstream filler(fs.path() / "filler", std::ios::binary);
        const std::string chunk(4096, 'f');
        while (filler.write(chunk.data(), chunk.size())) filler.flush();
    }
    const auto size_before = std::filesystem::file_size(file);
    bool refused = false;
    for (int i = 0; i < 200 && !refused; ++i) {
        try {
            e.transaction_id = "tx-" + std::to_string(i + 2);
            book.append(e);
        } catch (const std::runtime_error& err) {
            refused = true;
            EXPECT_THAT(err.what(), HasSubstr("cannot write the registration book"));
            EXPECT_THAT(err.what(), HasSubstr("No space left on device"));
        }
    }
    ASSERT_TRUE(refused) << "the book kept growing on a full disk";
    EXPECT_GE(std::filesystem::file_size(file), size_before);
    const auto text = testing::read_text(file);
    ASSERT_FALSE(text.empty());
    EXPECT_EQ(text.back(), '\n') << "half a line was left in the book";
    EXPECT_EQ(book.verify_chain(), 0u);

    // Space freed: the chain continues from the last whole line.
    std::filesystem::remove(fs.path() / "filler");
    e.transaction_id = "tx-after";
    book.append(e);
    EXPECT_EQ(book.verify_chain(), 0u);
    EXPECT_EQ(book.read(book.size() - 1, 1)[0].transaction_id, "tx-after");
    EXPECT_EQ(RegistrationBook(file).verify_chain(), 0u);
}

}  // namespace
}  // namespace rekam
