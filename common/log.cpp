#include "common/log.h"

#include <systemd/sd-journal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace rekam::log {
namespace {

std::atomic<int> g_max_priority{LOG_INFO};

// systemd sets JOURNAL_STREAM when stderr is connected to the journal; then structured
// entries with a priority are better than plain lines.
bool to_journal() {
    static const bool journal = std::getenv("JOURNAL_STREAM") != nullptr;
    return journal;
}

const char* label(int priority) {
    switch (priority) {
        case LOG_EMERG:
        case LOG_ALERT:
        case LOG_CRIT:
        case LOG_ERR:
            return "error";
        case LOG_WARNING:
            return "warning";
        case LOG_NOTICE:
            return "notice";
        case LOG_INFO:
            return "info";
        default:
            return "debug";
    }
}

}  // namespace

void set_max_priority(int priority) { g_max_priority = priority; }

void write(int priority, const std::string& message) {
    if (priority > g_max_priority) return;
    if (to_journal()) {
        sd_journal_send("MESSAGE=%s", message.c_str(), "PRIORITY=%i", priority,
                        "SYSLOG_IDENTIFIER=rekamd", nullptr);
        return;
    }
    static std::mutex mutex;  // worker threads log too; keep lines whole
    std::lock_guard lock(mutex);
    std::fprintf(stderr, "rekamd[%d] %s: %s\n", static_cast<int>(getpid()), label(priority),
                 message.c_str());
}

}  // namespace rekam::log
