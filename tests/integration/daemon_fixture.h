// The GoogleTest fixture: each test gets its own bus, rekamd and state directory.
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "tests/integration/harness.h"
#include "tools/client/session_client.h"

namespace rekam::test {

// Each test: its own bus, its own rekamd, its own state directory.
class RekamdTest : public ::testing::Test {
  protected:
    void SetUp() override { start(); }
    void start(const DaemonConfig& config = {}, const std::map<std::string, std::string>& env = {});

    client::Connection& client() { return *client_; }
    const std::string& address() const { return bus_->address(); }
    Rekamd& daemon() { return *daemon_; }

    std::string open_session(const bus::Dict& application = valid_application());
    void fault(const std::string& device, const bus::Dict& fault);
    std::vector<std::string> devices();
    std::string device_of_kind(const std::string& kind);
    std::string device_property(const std::string& path, const char* name);
    // Capture every missing position of a session with the default options.
    void capture_all(client::SessionClient& session);
    // The daemon still answers and its process lives.
    void expect_serving();

    TempDir dir_;
    std::unique_ptr<PrivateBus> bus_;
    std::unique_ptr<Rekamd> daemon_;
    std::unique_ptr<client::Connection> client_;
};

// EXPECT a D-Bus error of `name` from `statement`; on success of the call, fail.
#define EXPECT_DBUS_ERROR(statement, error_name)                                 \
    do {                                                                         \
        try {                                                                    \
            statement;                                                           \
            ADD_FAILURE() << #statement " succeeded, expected " << (error_name); \
        } catch (const ::rekam::client::CallError& e) {                          \
            EXPECT_EQ(e.name(), std::string(error_name)) << e.what();            \
        }                                                                        \
    } while (0)

}  // namespace rekam::test
