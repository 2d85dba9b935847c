// SOP step 2: a request with a missing requirement "cannot be processed", and the refusal says
// exactly what is missing or wrong. Incomplete sessions cannot be finalized.
#include "dbus/names.h"
#include "tests/integration/daemon_fixture.h"

namespace rekam::test {
namespace {

class Requirements : public RekamdTest {
  protected:
    std::string refused(const bus::Dict& application, const char* expected_error) {
        try {
            open_session(application);
        } catch (const client::CallError& e) {
            EXPECT_EQ(e.name(), expected_error) << e.what();
            return e.what();
        }
        ADD_FAILURE() << "OpenSession accepted the application";
        return {};
    }
};

bus::Dict without(bus::Dict d, const std::string& key) {
    d.erase(std::remove_if(d.begin(), d.end(), [&](const auto& kv) { return kv.first == key; }),
            d.end());
    return d;
}

bus::Dict with(bus::Dict d, const std::string& key, bus::Value v) {
    d = without(std::move(d), key);
    d.emplace_back(key, std::move(v));
    return d;
}

TEST_F(Requirements, MissingDocumentsAreNamed) {
    const auto msg = refused(with(valid_application(), "documents", bus::strv({"kk-copy"})),
                             bus::error::kRequirementsIncomplete);
    EXPECT_NE(msg.find("id-copy"), std::string::npos) << msg;
    EXPECT_NE(msg.find("rt-letter"), std::string::npos) << msg;
    EXPECT_EQ(msg.find("kk-copy"), std::string::npos) << msg;
    const auto none =
        refused(without(valid_application(), "documents"), bus::error::kRequirementsIncomplete);
    EXPECT_NE(none.find("kk-copy"), std::string::npos) << none;
}

TEST_F(Requirements, MalformedNikAndKkAreNamed) {
    EXPECT_NE(refused(with(valid_application(), "nik", bus::str("327301450790000")),
                      bus::error::kInvalidArgument)
                  .find("16 digits"),
              std::string::npos);
    EXPECT_NE(refused(with(valid_application(), "nik", bus::str("3273017507900001")),
                      bus::error::kInvalidArgument)
                  .find("digits 7-8"),
              std::string::npos);
    EXPECT_NE(refused(with(valid_application(), "nik", bus::str("3273014513900001")),
                      bus::error::kInvalidArgument)
                  .find("digits 9-10"),
              std::string::npos);
    EXPECT_NE(refused(with(valid_application(), "kk", bus::str("32730101012000x2")),
                      bus::error::kInvalidArgument)
                  .find("KK"),
              std::string::npos);
    EXPECT_NE(refused(without(valid_application(), "nik"), bus::error::kInvalidArgument)
                  .find("\"nik\" is missing"),
              std::string::npos);
    EXPECT_NE(refused(with(valid_application(), "nik", bus::u32(7)), bus::error::kInvalidArgument)
                  .find("type s"),
              std::string::npos);
}

TEST_F(Requirements, RefusalsAreWrittenInTheBook) {
    refused(with(valid_application(), "documents", bus::strv({})),
            bus::error::kRequirementsIncomplete);
    std::string out;
    ASSERT_EQ(run(rekamctl_path() + " --bus-address '" + address() + "' --json book", &out), 0);
    EXPECT_NE(out.find("\"refused\""), std::string::npos) << out;
    EXPECT_NE(out.find("3273014507900001"), std::string::npos) << out;
}

TEST_F(Requirements, FinalizeOfAnIncompleteSessionNamesWhatIsMissing) {
    client::SessionClient session(client(), open_session());
    session.capture_and_wait("right-thumb");
    try {
        session.finalize();
        ADD_FAILURE() << "an incomplete session was finalized";
    } catch (const client::CallError& e) {
        EXPECT_EQ(e.name(), bus::error::kSessionIncomplete);
        const std::string msg = e.what();
        EXPECT_EQ(msg.find("right-thumb"), std::string::npos) << msg;
        for (const char* p : {"right-index", "left-little", "right-iris", "left-iris", "face"})
            EXPECT_NE(msg.find(p), std::string::npos) << p << " not named in: " << msg;
    }
    EXPECT_TRUE(std::filesystem::is_empty(daemon().spool()));
}

}  // namespace
}  // namespace rekam::test
