#include "drivers/fprint/glib_thread.h"

#include <glib.h>

#include <future>
#include <memory>
#include <stdexcept>

namespace rekam::drivers::fprint {

GlibThread::GlibThread() {
    loop_ = g_main_loop_new(g_main_context_default(), FALSE);
    std::promise<bool> acquired;
    auto result = acquired.get_future();
    thread_ = std::thread([this, &acquired] {
        // Owning the context makes any stray use of it from another thread fail loudly.
        const bool ok = g_main_context_acquire(g_main_context_default());
        acquired.set_value(ok);
        if (!ok) return;
        g_main_loop_run(loop_);
        g_main_context_release(g_main_context_default());
    });
    if (!result.get()) {
        thread_.join();
        g_main_loop_unref(loop_);
        throw std::runtime_error(
            "libfprint: the default GMainContext is owned by another thread already");
    }
}

GlibThread::~GlibThread() {
    invoke([this] { g_main_loop_quit(loop_); });
    if (thread_.joinable()) thread_.join();
    g_main_loop_unref(loop_);
}

void GlibThread::invoke(std::function<void()> fn) {
    auto* heap = new std::function<void()>(std::move(fn));  // owned by the GSource below
    g_main_context_invoke_full(
        g_main_context_default(), G_PRIORITY_DEFAULT,
        [](gpointer data) -> gboolean {
            (*static_cast<std::function<void()>*>(data))();
            return G_SOURCE_REMOVE;
        },
        heap, [](gpointer data) { delete static_cast<std::function<void()>*>(data); });
}

}  // namespace rekam::drivers::fprint
