#include "tests/integration/harness.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include "dbus/names.h"

namespace rekam::test {

Child::Child(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
             const std::filesystem::path& log) {
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (fd >= 0) {
            dup2(fd, STDOUT_FILENO);
            dup2(fd, STDERR_FILENO);
        }
        for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        execv(args[0], args.data());
        _exit(127);
    }
}

Child Child::adopt(pid_t pid) {
    Child c;
    c.pid_ = pid;
    return c;
}

Child::Child(Child&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)), status_(other.status_) {}

Child& Child::operator=(Child&& other) noexcept {
    std::swap(pid_, other.pid_);
    std::swap(status_, other.status_);
    return *this;
}

Child::~Child() {
    if (pid_ > 0 && running()) {
        kill(pid_, SIGKILL);
        wait(std::chrono::seconds(10));
    }
}

bool Child::running() {
    if (pid_ <= 0 || status_) return false;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
        status_ = status;
        return false;
    }
    return true;
}

void Child::signal(int signo) {
    if (running()) kill(pid_, signo);
}

std::optional<int> Child::wait(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (running()) {
        if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return status_;
}

PrivateBus::PrivateBus(const std::filesystem::path& dir) {
    std::filesystem::create_directories(dir / "policy");
    std::filesystem::copy_file(
        std::filesystem::path(REKAM_SOURCE_DIR) / "packaging/dbus/id.rekam.Rekam1.conf",
        dir / "policy/id.rekam.Rekam1.conf", std::filesystem::copy_options::overwrite_existing);
    std::ifstream in(std::filesystem::path(REKAM_SOURCE_DIR) / "scripts/private-bus.conf.in");
    std::stringstream text;
    text << in.rdbuf();
    std::string conf = text.str();
    auto replace = [&](const std::string& from, const std::string& to) {
        for (auto at = conf.find(from); at != std::string::npos; at = conf.find(from, at))
            conf.replace(at, from.size(), to);
    };
    replace("@SOCKET_DIR@", dir.string());
    replace("@POLICY_DIR@", (dir / "policy").string());
    std::ofstream(dir / "bus.conf") << conf;

    int pipe_fds[2];
    if (pipe2(pipe_fds, O_CLOEXEC) < 0) throw std::runtime_error("pipe failed");
    const pid_t pid = fork();
    if (pid == 0) {
        dup2(pipe_fds[1], 3);  // dup2 clears O_CLOEXEC on fd 3
        const int log = open((dir / "dbus.log").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (log >= 0) dup2(log, STDERR_FILENO);
        execlp("dbus-daemon", "dbus-daemon",
               ("--config-file=" + (dir / "bus.conf").string()).c_str(), "--nofork",
               "--print-address=3", static_cast<char*>(nullptr));
        _exit(127);
    }
    close(pipe_fds[1]);
    std::string address;
    char c;
    while (read(pipe_fds[0], &c, 1) == 1 && c != '\n') address += c;
    close(pipe_fds[0]);
    if (address.empty())
        throw std::runtime_error("dbus-daemon printed no address; see " +
                                 (dir / "dbus.log").string());
    address_ = address;
    dbus_ = Child::adopt(pid);  // the bus dies with the fixture
}

Rekamd::Rekamd(const std::filesystem::path& dir, const std::string& address,
               const DaemonConfig& config, const std::map<std::string, std::string>& extra_env)
    : dir_(dir) {
    std::ofstream(dir_ / "rekamd.conf") << config.text;
    std::map<std::string, std::string> env = extra_env;
    std::vector<std::string> argv = config.wrapper;
    for (std::string arg :
         {rekamd_path(), std::string("--bus-address"), address, std::string("--config"),
          (dir_ / "rekamd.conf").string(), std::string("--state-directory"), state().string()})
        argv.push_back(std::move(arg));
    process_ = Child(argv, env, log());
    wait_ready(address);
}

std::string Rekamd::log_text() const {
    std::ifstream in(log());
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

void Rekamd::wait_ready(const std::string& address) {
    client::Connection c(address);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
        if (!process_.running()) break;
        if (c.name_has_owner(bus::kBusName)) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    throw std::runtime_error("rekamd did not come up; its log:\n" + log_text());
}

std::string rekamd_path() { return REKAMD_PATH; }
std::string rekamctl_path() { return REKAMCTL_PATH; }

std::vector<std::uint8_t> read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string read_text(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

int run(const std::string& command, std::string* output) {
    FILE* p = popen((command + " 2>&1").c_str(), "r");
    if (!p) return -1;
    std::string out;
    char buffer[4096];
    std::size_t n;
    while ((n = fread(buffer, 1, sizeof buffer, p)) > 0) out.append(buffer, n);
    const int status = pclose(p);
    if (output) *output = out;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

bus::Dict valid_application(const std::string& nik) {
    return {{"nik", bus::str(nik)},
            {"kk", bus::str("3273010101200002")},
            {"documents", bus::strv({"kk-copy", "id-copy", "rt-letter"})},
            {"operator", bus::str("operator-1")},
            {"name", bus::str("Siti Aminah")}};
}

}  // namespace rekam::test
