// A private system-like dbus-daemon with the project's bus policy, and the real rekamd on it:
// what the integration tests and the D-Bus benchmarks run against.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/temp_dir.h"
#include "tools/client/connection.h"

namespace rekam::test {

// A child process, killed (SIGKILL) and reaped on destruction if still running.
class Child {
  public:
    Child() = default;
    Child(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
          const std::filesystem::path& log);
    static Child adopt(pid_t pid);
    Child(Child&& other) noexcept;
    Child& operator=(Child&& other) noexcept;
    ~Child();

    pid_t pid() const { return pid_; }
    bool running();
    void signal(int signo);
    // Wait up to `timeout` for the exit; the exit status as from waitpid, or nullopt.
    std::optional<int> wait(std::chrono::milliseconds timeout);

  private:
    pid_t pid_ = -1;
    std::optional<int> status_;
};

struct DaemonConfig {
    // Polkit=no: there is no polkitd on the private bus (tests/system tests polkit).
    std::string text = "[Simulator]\nFrameIntervalMs=0\n[Security]\nPolkit=no\n";
    // A command rekamd runs under, e.g. {"/usr/bin/umockdev-run", "-d", ..., "--"}.
    std::vector<std::string> wrapper;
};

class PrivateBus {
  public:
    explicit PrivateBus(const std::filesystem::path& dir);
    const std::string& address() const { return address_; }
    Child& process() { return dbus_; }

  private:
    Child dbus_;
    std::string address_;
};

class Rekamd {
  public:
    Rekamd(const std::filesystem::path& dir, const std::string& address, const DaemonConfig& config,
           const std::map<std::string, std::string>& extra_env = {});
    Child& process() { return process_; }
    std::filesystem::path state() const { return dir_ / "state"; }
    std::filesystem::path spool() const { return dir_ / "state" / "spool"; }
    std::filesystem::path log() const { return dir_ / "rekamd.log"; }
    std::string log_text() const;
    // Wait until the daemon owns its name (or fail the test).
    void wait_ready(const std::string& address);

  private:
    std::filesystem::path dir_;
    Child process_;
};

std::string rekamd_path();
std::string rekamctl_path();

// Run a command, capture stdout+stderr, return the exit status (WEXITSTATUS).
int run(const std::string& command, std::string* output = nullptr);

// A whole file; empty when it cannot be read (the test's next check then says what is missing).
std::vector<std::uint8_t> read_file(const std::filesystem::path& path);
std::string read_text(const std::filesystem::path& path);

// A valid application: documents complete, female born 5 July 1990.
bus::Dict valid_application(const std::string& nik = "3273014507900001");

}  // namespace rekam::test
