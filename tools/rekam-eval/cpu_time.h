// CPU time of the calling thread: what an evaluation reports as per-image cost (a shared,
// noisy machine's other load does not count).
#pragma once

#include <time.h>

namespace rekam::eval {

inline double thread_cpu_ms() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

}  // namespace rekam::eval
