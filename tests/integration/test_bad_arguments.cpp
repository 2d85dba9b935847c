// Every method answers bad arguments with a D-Bus error, and the daemon keeps serving.
#include <gmock/gmock.h>

#include "dbus/names.h"
#include "tests/integration/daemon_fixture.h"

namespace rekam::test {
namespace {

constexpr const char* kInvalidArgs = "org.freedesktop.DBus.Error.InvalidArgs";

class BadArguments : public RekamdTest {
  protected:
    // Call with a raw signature and values, expecting an error of `expected`.
    template <typename... Args>
    void expect_error(const std::string& path, const char* interface, const char* method,
                      const char* expected, const char* signature, Args... args) {
        EXPECT_DBUS_ERROR(client().call(path, interface, method,
                                        [&](sd_bus_message* m) {
                                            if (signature[0])
                                                sd_bus_message_append(m, signature, args...);
                                        }),
                          expected);
    }
    void expect_options_error(const std::string& path, const char* interface, const char* method,
                              const char* leading_signature, const char* leading,
                              const bus::Dict& dict) {
        EXPECT_DBUS_ERROR(client().call(path, interface, method,
                                        [&](sd_bus_message* m) {
                                            if (leading_signature[0])
                                                sd_bus_message_append(m, leading_signature,
                                                                      leading);
                                            bus::append_dict(m, dict);
                                        }),
                          bus::error::kInvalidArgument);
    }
};

TEST_F(BadArguments, ManagerMethods) {
    const std::string root = bus::kRootPath;
    expect_error(root, bus::kManagerInterface, "OpenSession", kInvalidArgs, "s",
                 "3273014507900001");
    expect_error(root, bus::kManagerInterface, "OpenSession", kInvalidArgs, "");
    expect_error(root, bus::kManagerInterface, "GetDevices", kInvalidArgs, "s", "extra");
    expect_error(root, bus::kManagerInterface, "ReadRegistrationBook", kInvalidArgs, "u", 5u);
    expect_options_error(root, bus::kManagerInterface, "ReadRegistrationBook", "", nullptr,
                         {{"limit", bus::str("ten")}});
    expect_options_error(root, bus::kManagerInterface, "ReadRegistrationBook", "", nullptr,
                         {{"since", bus::u32(1)}});
    expect_options_error(root, bus::kManagerInterface, "OpenSession", "", nullptr,
                         {{"nik", bus::dict({{"x", bus::u32(1)}})}});
    expect_error(root, bus::kManagerInterface, "NoSuchMethod",
                 "org.freedesktop.DBus.Error.UnknownMethod", "");
    expect_serving();
}

TEST_F(BadArguments, DiagnosticsMethods) {
    const std::string root = bus::kRootPath;
    expect_options_error(root, bus::kDiagnosticsInterface, "InjectFault", "s", "fingerprint",
                         {{"condition", bus::str("sparkly")}});
    expect_options_error(root, bus::kDiagnosticsInterface, "InjectFault", "s", "fingerprint",
                         {{"status", bus::u32(3)}});
    expect_options_error(root, bus::kDiagnosticsInterface, "InjectFault", "s", "fingerprint",
                         {{"replug", bus::boolean(true)}});  // it is plugged in
    expect_options_error(root, bus::kDiagnosticsInterface, "InjectFault", "s", "fingerprint",
                         {{"unplug", bus::boolean(true)}, {"replug", bus::boolean(true)}});
    EXPECT_DBUS_ERROR(fault("/id/rekam/Rekam1/device/none_9", {}), bus::error::kDeviceNotFound);
    expect_error(root, bus::kDiagnosticsInterface, "InjectFault", kInvalidArgs, "s", "fingerprint");
    expect_serving();
}

TEST_F(BadArguments, SessionMethods) {
    const std::string s = open_session();
    const char* si = bus::kSessionInterface;
    expect_error(s, si, "Capture", kInvalidArgs, "s", "right-thumb");
    expect_options_error(s, si, "Capture", "s", "right-toe", {});
    expect_options_error(s, si, "Capture", "s", "right-thumb",
                         {{"requested-score", bus::u32(101)}});
    expect_options_error(s, si, "Capture", "s", "right-thumb",
                         {{"requested-score", bus::str("high")}});
    expect_options_error(s, si, "Capture", "s", "right-thumb", {{"timeout-ms", bus::u32(0)}});
    expect_options_error(s, si, "Capture", "s", "right-thumb",
                         {{"max-attempts", bus::Value{std::int32_t{-1}}}});
    expect_options_error(s, si, "Capture", "s", "right-thumb", {{"colour", bus::str("red")}});
    expect_options_error(s, si, "Capture", "s", "right-thumb",
                         {{"device", bus::path(device_of_kind("iris"))}});  // wrong kind
    EXPECT_DBUS_ERROR(
        client().call(
            s, si, "Capture",
            [](sd_bus_message* m) {
                sd_bus_message_append(m, "s", "right-thumb");
                bus::append_dict(m, {{"device", bus::path("/id/rekam/Rekam1/device/x_9")}});
            }),
        bus::error::kDeviceNotFound);
    expect_options_error(s, si, "Capture", "s", "exception-photo", {});  // no exception marked
    expect_error(s, si, "CancelCapture", bus::error::kInvalidArgument, "");
    EXPECT_DBUS_ERROR(client().call(s, si, "MarkException",
                                    [](sd_bus_message* m) {
                                        sd_bus_message_append(m, "ss", "face", "amputated");
                                        bus::append_dict(m, {});
                                    }),
                      bus::error::kInvalidArgument);
    EXPECT_DBUS_ERROR(client().call(s, si, "MarkException",
                                    [](sd_bus_message* m) {
                                        sd_bus_message_append(m, "ss", "left-index", "missing-eye");
                                        bus::append_dict(m, {});
                                    }),
                      bus::error::kInvalidArgument);
    expect_error(s, si, "ClearException", bus::error::kInvalidArgument, "s", "left-index");
    expect_error(s, si, "GetSample", bus::error::kInvalidArgument, "s", "left-index");
    expect_error(s, si, "GetSample", kInvalidArgs, "u", 1u);
    expect_options_error(s, si, "Finalize", "", nullptr, {{"force", bus::boolean(true)}});
    expect_error(s, si, "Close", kInvalidArgs, "s", "now");
    expect_error("/id/rekam/Rekam1/session/999", si, "Close",
                 "org.freedesktop.DBus.Error.UnknownObject", "");
    expect_serving();
}

TEST_F(BadArguments, DeviceMethods) {
    const auto fp = device_of_kind("fingerprint");
    expect_error(fp, bus::kDeviceInterface, "SelfTest", kInvalidArgs, "s", "now");
    expect_error("/id/rekam/Rekam1/device/none_42", bus::kDeviceInterface, "SelfTest",
                 "org.freedesktop.DBus.Error.UnknownObject", "");
    expect_serving();
}

TEST_F(BadArguments, OnlyTheOwnerMayUseASession) {
    const std::string s = open_session();
    client::Connection intruder(address());
    client::SessionClient foreign(intruder, s);
    EXPECT_DBUS_ERROR(foreign.capture("right-thumb"), bus::error::kNotAuthorized);
    EXPECT_DBUS_ERROR(foreign.finalize(), bus::error::kNotAuthorized);
    EXPECT_DBUS_ERROR(foreign.close(), bus::error::kNotAuthorized);
    EXPECT_DBUS_ERROR(foreign.sample("right-thumb"), bus::error::kNotAuthorized);
    EXPECT_DBUS_ERROR(foreign.details(), bus::error::kNotAuthorized);
    // The citizen's data is the owner's only: no property carries it, whoever asks.
    const bus::Arguments seen_by_intruder = intruder.properties(s, bus::kSessionInterface);
    const bus::Arguments seen_by_owner = client().properties(s, bus::kSessionInterface);
    EXPECT_FALSE(seen_by_intruder.has("Application"));
    EXPECT_FALSE(seen_by_owner.has("Application"));
    client::SessionClient own(client(), s);
    EXPECT_EQ(own.details().application.get_string("nik"), "3273014507900001");
    EXPECT_EQ(seen_by_intruder.get_string("Owner"), client().unique_name());
    expect_serving();
}

// Oversized dictionaries are refused quickly, with a short error that names the limit: a
// quadratic duplicate-key check once held the loop 7.5 s for 80,000 keys, and error texts echoed
// client input of any size.
TEST_F(BadArguments, DictionariesAreBoundedAndErrorsStayShort) {
    const auto open_session_error = [&](const bus::Dict& d) -> std::string {
        try {
            client().call(bus::kRootPath, bus::kManagerInterface, "OpenSession",
                          [&](sd_bus_message* m) { bus::append_dict(m, d); });
        } catch (const client::CallError& e) {
            EXPECT_EQ(e.name(), bus::error::kInvalidArgument) << e.what();
            return e.what();
        }
        ADD_FAILURE() << "OpenSession succeeded";
        return "";
    };
    bus::Dict many;
    for (int k = 0; k < 100000; ++k) many.emplace_back("k" + std::to_string(k), bus::u32(1));
    EXPECT_THAT(open_session_error(many), ::testing::HasSubstr("more than 256 keys"));

    const std::string huge(1 << 20, 'x');
    const std::string long_key = open_session_error({{huge, bus::u32(1)}});
    EXPECT_THAT(long_key, ::testing::HasSubstr("a key longer than 256 bytes"));
    EXPECT_LT(long_key.size(), 300u);

    // A quoted prefix never ends inside a UTF-8 character ("\xc3\xa9" is two bytes, and the
    // leading "a" puts byte 64 in the middle of one): the error must stay a valid D-Bus string.
    std::string accents = "a";
    while (accents.size() < 249) accents += "\xc3\xa9";
    const std::string twice = open_session_error({{accents, bus::u32(1)}, {accents, bus::u32(2)}});
    EXPECT_THAT(twice, ::testing::HasSubstr("is given twice"));
    EXPECT_LT(twice.size(), 200u);

    // Arrays stop at their limit as they are read, not after a million strings were copied.
    EXPECT_THAT(open_session_error({{"documents", bus::strv(std::vector<std::string>(1000000))}}),
                ::testing::HasSubstr("has more than 256 items"));

    bus::Value nested = bus::u32(1);
    for (int level = 0; level < 8; ++level) nested = bus::dict({{"n", nested}});
    EXPECT_THAT(open_session_error({{"nik", nested}}), ::testing::HasSubstr("nested deeper"));
    expect_serving();
}

// Oversized strings: refused with the limit named, never echoed whole (a refused OpenSession's
// oversized name is booked only up to the same bound: test_book_consistency.cpp).
TEST_F(BadArguments, OversizedStringsAreRefusedShortly) {
    const std::string big(1 << 20, 'X');
    const auto error_of = [&](const std::string& path, const char* interface, const char* method,
                              const client::Append& append) -> std::string {
        try {
            client().call(path, interface, method, append);
        } catch (const client::CallError& e) {
            EXPECT_EQ(e.name(), bus::error::kInvalidArgument) << e.what();
            EXPECT_LT(std::string(e.what()).size(), 400u) << method;
            return e.what();
        }
        ADD_FAILURE() << method << " succeeded";
        return "";
    };
    bus::Dict named = valid_application();
    for (auto& [key, value] : named)
        if (key == "name") value = bus::str(big);
    EXPECT_THAT(error_of(bus::kRootPath, bus::kManagerInterface, "OpenSession",
                         [&](sd_bus_message* m) { bus::append_dict(m, named); }),
                ::testing::HasSubstr("\"name\" is longer than 256 bytes"));

    const std::string s = open_session();
    const char* si = bus::kSessionInterface;
    EXPECT_THAT(error_of(s, si, "Capture",
                         [&](sd_bus_message* m) {
                             sd_bus_message_append(m, "s", big.c_str());
                             bus::append_dict(m, {});
                         }),
                ::testing::HasSubstr("unknown position \"XXXX"));
    EXPECT_THAT(error_of(s, si, "MarkException",
                         [&](sd_bus_message* m) {
                             sd_bus_message_append(m, "ss", "right-thumb", "amputated");
                             bus::append_dict(m, {{"note", bus::str(std::string(2000, 'n'))}});
                         }),
                ::testing::HasSubstr("\"note\" is longer than 1024 bytes"));
    EXPECT_THAT(error_of(s, si, "MarkException",
                         [&](sd_bus_message* m) {
                             sd_bus_message_append(m, "ss", "right-thumb", big.c_str());
                             bus::append_dict(m, {});
                         }),
                ::testing::HasSubstr("is no exception reason"));
    expect_serving();
}

}  // namespace
}  // namespace rekam::test
