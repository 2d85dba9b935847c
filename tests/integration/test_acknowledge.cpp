// Manager.AcknowledgePackage on the real rekamd: after a whole enrollment the front end
// acknowledges Adminduk's receipt and the package leaves the spool, booked; unknown, repeated,
// malformed or mismatched acknowledgements are refused and remove nothing; rekamctl acknowledge
// does the same from a shell.
#include <filesystem>

#include "biometrics/package/hash_chain.h"
#include "dbus/errors.h"
#include "dbus/names.h"
#include "tests/integration/daemon_fixture.h"

namespace rekam::test {
namespace {

class AcknowledgeTest : public RekamdTest {
  protected:
    // A whole enrollment; its transaction id and package path.
    std::pair<std::string, std::filesystem::path> enroll() {
        client::SessionClient session(client(), open_session());
        capture_all(session);
        const std::filesystem::path path = session.finalize().first;
        return {path.stem().string(), path};
    }
    // OpenPackage or AcknowledgePackage of a transaction.
    bus::MessagePtr call(const char* method, const std::string& tid,
                         const bus::Dict& options = {}) {
        return client().call(
            bus::kRootPath, bus::kManagerInterface, method, [&](sd_bus_message* m) {
                bus::check(sd_bus_message_append_basic(m, 's', tid.c_str()), "tid");
                bus::append_dict(m, options);
            });
    }
    void acknowledge(const std::string& tid, const bus::Dict& options = {}) {
        call("AcknowledgePackage", tid, options);
    }
    std::string book() const { return read_text(daemon_->state() / "registration-book.jsonl"); }
};

TEST_F(AcknowledgeTest, TheAcknowledgedPackageLeavesTheSpoolAndTheBookSaysSo) {
    const auto [first, first_path] = enroll();
    const auto [second, second_path] = enroll();
    acknowledge(first, {{"receipt", bus::str("ADM-2026-000123")}});
    EXPECT_FALSE(std::filesystem::exists(first_path));
    EXPECT_TRUE(std::filesystem::exists(second_path));
    const std::string text = book();
    EXPECT_NE(text.find("\"outcome\":\"acknowledged\""), std::string::npos) << text;
    EXPECT_NE(text.find("ADM-2026-000123"), std::string::npos);

    std::string out;
    ASSERT_EQ(run(rekamctl_path() + " --bus-address '" + address() + "' acknowledge " + second +
                      " --receipt ADM-2026-000124",
                  &out),
              0)
        << out;
    EXPECT_FALSE(std::filesystem::exists(second_path));
    ASSERT_EQ(run(rekamctl_path() + " --bus-address '" + address() + "' book --verify", &out), 0)
        << out;
    expect_serving();
}

// The spool is rekamd's alone (0700); the front end reads a package through OpenPackage.
TEST_F(AcknowledgeTest, TheFrontEndReadsAPackageThroughItsDescriptor) {
    const auto [tid, path] = enroll();
    EXPECT_EQ(std::filesystem::status(path.parent_path()).permissions(),
              std::filesystem::perms::owner_all);
    EXPECT_EQ(std::filesystem::status(path).permissions(),
              std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    auto reply = call("OpenPackage", tid);
    const auto bytes = client::read_fd_bytes(reply.get(), "package");
    const char* sha256 = nullptr;
    bus::check(sd_bus_message_read_basic(reply.get(), 's', &sha256), "sha256");
    EXPECT_EQ(bytes, read_file(path));
    EXPECT_EQ(pkg::to_hex(pkg::sha256(bytes)), sha256);
    acknowledge(tid);
    EXPECT_DBUS_ERROR(call("OpenPackage", tid), bus::error::kUnknownTransaction);
}

TEST_F(AcknowledgeTest, WhatIsNotWaitingInTheSpoolIsRefused) {
    const auto [tid, path] = enroll();
    EXPECT_DBUS_ERROR(acknowledge("0b7e6d2a-93c1-4c1d-8f00-aa55aa55aa55"),
                      bus::error::kUnknownTransaction);
    EXPECT_DBUS_ERROR(acknowledge("../spool/" + tid), bus::error::kInvalidArgument);
    EXPECT_DBUS_ERROR(acknowledge(tid, {{"package-sha256", bus::str(std::string(64, '0'))}}),
                      bus::error::kInvalidArgument);
    EXPECT_DBUS_ERROR(acknowledge(tid, {{"receipt", bus::str("line\nbreak")}}),
                      bus::error::kInvalidArgument);
    EXPECT_DBUS_ERROR(acknowledge(tid, {{"receipt", bus::str(std::string(257, 'x'))}}),
                      bus::error::kInvalidArgument);
    EXPECT_DBUS_ERROR(acknowledge(tid, {{"colour", bus::str("red")}}),
                      bus::error::kInvalidArgument);
    EXPECT_TRUE(std::filesystem::exists(path)) << "a refused acknowledgement removes nothing";
    EXPECT_EQ(book().find("\"outcome\":\"acknowledged\""), std::string::npos);

    acknowledge(tid);
    EXPECT_DBUS_ERROR(acknowledge(tid), bus::error::kUnknownTransaction);
    expect_serving();
}

}  // namespace
}  // namespace rekam::test
