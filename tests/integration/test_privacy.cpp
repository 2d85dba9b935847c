// Bystanders on the bus: a second connection listening as broadly as the bus lets it (every
// signal, and eavesdropping where allowed), once as another root client and once as a user
// outside every group, follows a whole enrollment and must see nothing of the citizen.
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>

#include "dbus/names.h"
#include "tests/integration/daemon_fixture.h"

namespace rekam::test {
namespace {

constexpr uid_t kNobody = 65534;

int dump_message(sd_bus_message* m, void* userdata, sd_bus_error*) {
    auto* out = static_cast<FILE*>(userdata);
    sd_bus_message_rewind(m, 1);
    sd_bus_message_dump(m, out, SD_BUS_MESSAGE_DUMP_WITH_HEADER);
    fflush(out);
    return 0;
}

// The listener runs in a child process, so that it can drop to another user; everything it
// receives is dumped (sd_bus_message_dump) into `log` until the parent closes the stop pipe.
class Listener {
  public:
    Listener(const std::string& address, std::optional<uid_t> uid, std::filesystem::path log)
        : log_(std::move(log)) {
        int stop[2], ready[2];
        if (pipe2(stop, O_CLOEXEC) < 0 || pipe2(ready, O_CLOEXEC) < 0)
            throw std::runtime_error("pipe");
        pid_ = fork();
        if (pid_ == 0) {
            close(stop[1]);
            close(ready[0]);
            _exit(listen(address, uid, stop[0], ready[1]));
        }
        close(stop[0]);
        close(ready[1]);
        stop_ = stop[1];
        char c = 0;
        ready_ = read(ready[0], &c, 1) == 1;
        close(ready[0]);
    }
    ~Listener() { stop(); }

    bool ready() const { return ready_; }

    // Stop listening; everything the bus delivered to the listener.
    std::string stop() {
        if (pid_ > 0) {
            // A byte, not only the close: a listener forked later holds this pipe open too.
            if (write(stop_, "q", 1) != 1) kill(pid_, SIGKILL);
            close(stop_);
            int status = 0;
            waitpid(pid_, &status, 0);
            pid_ = -1;
        }
        return read_text(log_);
    }

  private:
    int listen(const std::string& address, std::optional<uid_t> uid, int stop, int ready) {
        FILE* out = fopen(log_.c_str(), "we");
        if (!out) return 2;
        if (uid && (setgroups(0, nullptr) < 0 || setgid(*uid) < 0 || setuid(*uid) < 0)) return 3;
        sd_bus* bus = nullptr;
        if (sd_bus_new(&bus) < 0 || sd_bus_set_address(bus, address.c_str()) < 0 ||
            sd_bus_set_bus_client(bus, 1) < 0 || sd_bus_start(bus) < 0) {
            fprintf(out, "cannot connect\n");
            return 4;
        }
        // Every signal; and every message at all where the bus allows eavesdropping. The rules
        // go to the bus as they are (sd-bus's own matcher does not know "eavesdrop"), and a
        // filter dumps whatever arrives.
        sd_bus_add_filter(bus, nullptr, dump_message, out);
        for (const char* rule :
             {"type='signal'", "eavesdrop='true'", "eavesdrop='true',type='method_return'",
              "eavesdrop='true',type='signal'"}) {
            sd_bus_error error = SD_BUS_ERROR_NULL;
            if (sd_bus_call_method(bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                   "org.freedesktop.DBus", "AddMatch", &error, nullptr, "s",
                                   rule) < 0)
                fprintf(out, "match refused: %s: %s\n", rule, error.message);
            sd_bus_error_free(&error);
        }
        if (write(ready, "r", 1) != 1) return 5;
        for (;;) {
            int r;
            while ((r = sd_bus_process(bus, nullptr)) > 0) {
            }
            if (r < 0) return 6;
            pollfd fds[2] = {{sd_bus_get_fd(bus), POLLIN, 0}, {stop, POLLIN, 0}};
            poll(fds, 2, 100);
            if (fds[1].revents) break;
        }
        // What is still queued counts too.
        while (sd_bus_process(bus, nullptr) > 0) {
        }
        sd_bus_flush_close_unref(bus);
        fclose(out);
        return 0;
    }

    std::filesystem::path log_;
    pid_t pid_ = -1;
    int stop_ = -1;
    bool ready_ = false;
};

class Privacy : public RekamdTest {};

TEST_F(Privacy, BystandersSeeNoPersonalDataDuringAWholeEnrollment) {
    const bool root = geteuid() == 0;
    // The outsider must reach the bus socket: open the fixture's folders to others.
    chmod(dir_.path().c_str(), 0755);
    chmod((dir_.path() / "bus").c_str(), 0755);
    Listener same_user(address(), std::nullopt, dir_.path() / "same-user.log");
    std::optional<Listener> outsider;
    if (root) outsider.emplace(address(), kNobody, dir_.path() / "outsider.log");
    ASSERT_TRUE(same_user.ready());
    if (outsider) {
        ASSERT_TRUE(outsider->ready());
    }

    const std::string note = "kelingking kiri diamputasi tahun 2019";
    {
        client::SessionClient session(client(), open_session());
        session.mark_exception("left-little", "amputated", note);
        capture_all(session);
        EXPECT_EQ(session.details().application.get_string("name"), "Siti Aminah");
        session.sample("right-index");
        session.finalize();
        session.close();
    }
    // Let the last broadcasts arrive.
    client().pump(200'000);

    std::vector<std::pair<std::string, std::string>> seen{{"same user", same_user.stop()}};
    if (outsider) seen.emplace_back("outside every group", outsider->stop());
    const bus::Dict application = valid_application();
    for (const auto& [who, text] : seen) {
        SCOPED_TRACE(who);
        // The listener did hear the session's public traffic: the test can see a leak.
        EXPECT_NE(text.find("InterfacesAdded"), std::string::npos) << text.substr(0, 2000);
        EXPECT_NE(text.find("PropertiesChanged"), std::string::npos);
        for (const char* key : {"nik", "kk", "operator", "name"}) {
            const auto& value = std::get<std::string>(
                std::find_if(application.begin(), application.end(), [&](const auto& kv) {
                    return kv.first == key;
                })->second.v);
            EXPECT_EQ(text.find(value), std::string::npos) << key << " " << value;
        }
        EXPECT_EQ(text.find(note), std::string::npos);
        for (const char* word :
             {"\"score\"", "\"best-score\"", "\"feedback\"", "CaptureProgress", "CaptureFinished"})
            EXPECT_EQ(text.find(word), std::string::npos) << word;
    }
    if (!root) GTEST_SKIP() << "listened as this user only; root is needed to listen as nobody";
}

}  // namespace
}  // namespace rekam::test
