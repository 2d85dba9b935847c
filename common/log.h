// Logging: to the journal under systemd, to stderr otherwise. Never log biometric data:
// callers pass positions, scores and ids, not pixels, templates or package contents.
#pragma once

#include <syslog.h>

#include <sstream>
#include <string>

namespace rekam::log {

void write(int priority, const std::string& message);
// Raise or lower the threshold (LOG_DEBUG shows everything); the default is LOG_INFO.
void set_max_priority(int priority);

template <typename... Args>
std::string concat(Args&&... args) {
    std::ostringstream out;
    (out << ... << args);
    return out.str();
}

template <typename... Args>
void error(Args&&... args) {
    write(LOG_ERR, concat(std::forward<Args>(args)...));
}
template <typename... Args>
void warning(Args&&... args) {
    write(LOG_WARNING, concat(std::forward<Args>(args)...));
}
template <typename... Args>
void notice(Args&&... args) {
    write(LOG_NOTICE, concat(std::forward<Args>(args)...));
}
template <typename... Args>
void info(Args&&... args) {
    write(LOG_INFO, concat(std::forward<Args>(args)...));
}
template <typename... Args>
void debug(Args&&... args) {
    write(LOG_DEBUG, concat(std::forward<Args>(args)...));
}

}  // namespace rekam::log
