// The thread libfprint lives on. libfprint 1.94 dispatches on the process-wide default
// GMainContext (fp_context_enumerate iterates it, device removal uses g_idle_add, GUsb binds
// to it), so this thread acquires that context and runs it; nothing else in rekamd uses GLib.
// The daemon's sd-event loop never calls libfprint directly: it hands closures over here.
#pragma once

#include <functional>
#include <thread>

typedef struct _GMainLoop GMainLoop;

namespace rekam::drivers::fprint {

class GlibThread {
  public:
    GlibThread();
    ~GlibThread();  // quits the loop and joins
    GlibThread(const GlibThread&) = delete;
    GlibThread& operator=(const GlibThread&) = delete;

    // Thread-safe: run `fn` on the GLib thread soon.
    void invoke(std::function<void()> fn);
    bool on_thread() const { return std::this_thread::get_id() == thread_.get_id(); }

  private:
    GMainLoop* loop_ = nullptr;
    std::thread thread_;
};

}  // namespace rekam::drivers::fprint
