#include "drivers/fprint/fprint_reader.h"

#include <libusb.h>

#include <cstring>

#include "common/log.h"

namespace rekam::drivers::fprint {

CancelToken::CancelToken() : cancellable_(g_cancellable_new()) {}
CancelToken::~CancelToken() { g_object_unref(cancellable_); }
void CancelToken::cancel() { g_cancellable_cancel(cancellable_); }

// One open-capture-close run. Shared by the GLib callbacks in flight; `done` fires once.
struct FprintReader::Op {
    std::shared_ptr<FprintReader> reader;
    std::shared_ptr<CancelToken> token;
    std::function<void(CaptureResult)> done;
    CaptureResult result;
    bool delivered = false;
    bool timed_out = false;
    bool opened = false;
    GSource* timer = nullptr;
    std::string stage = "open";  // what the running timer bounds
    std::uint32_t stage_ms = 0;
    gulong cancel_handler = 0;

    void disarm() {
        if (!timer) return;
        g_source_destroy(timer);
        g_source_unref(timer);
        timer = nullptr;
    }
};

namespace {

// GAsyncReadyCallback user data: a heap copy of the shared_ptr, freed by the callback.
template <class T>
std::shared_ptr<T> take(gpointer data) {
    auto* heap = static_cast<std::shared_ptr<T>*>(data);
    std::shared_ptr<T> op = std::move(*heap);
    delete heap;
    return op;
}

template <class T>
gpointer give(const std::shared_ptr<T>& op) {
    return new std::shared_ptr<T>(op);
}

struct ErrorFree {
    void operator()(GError* e) const { g_error_free(e); }
};
using ErrorPtr = std::unique_ptr<GError, ErrorFree>;

}  // namespace

FprintReader::FprintReader(FpDevice* device, std::string name, ReaderTimeouts timeouts)
    : device_(FP_DEVICE(g_object_ref(device))), name_(std::move(name)), timeouts_(timeouts) {}

FprintReader::~FprintReader() { g_object_unref(device_); }

bio::Image to_image(FpImage* image) {
    const int width = static_cast<int>(fp_image_get_width(image));
    const int height = static_cast<int>(fp_image_get_height(image));
    gsize length = 0;
    const guchar* data = fp_image_get_data(image, &length);
    // libfprint reports pixels per millimetre when the driver knows its sensor; 0 = unknown.
    const double ppmm = fp_image_get_ppmm(image);
    bio::Image out = bio::Image::grey(width, height, ppmm > 0 ? ppmm * 25.4 : 0.0);
    if (data && length == out.pixels.size())
        std::memcpy(out.pixels.data(), data, length);
    else
        out.pixels.clear();  // inconsistent: the caller reports it
    return out;
}

DeviceError FprintReader::error_from(const GError* error, const char* step) const {
    const std::string what = name_ + ": " + step + " failed: " + (error ? error->message : "?");
    if (removed_ || g_error_matches(error, FP_DEVICE_ERROR, FP_DEVICE_ERROR_REMOVED))
        return {DeviceErrorCode::Disconnected, name_ + " was unplugged during the capture"};
    if (g_error_matches(error, FP_DEVICE_ERROR, FP_DEVICE_ERROR_BUSY))
        return {DeviceErrorCode::NotReady, what};
    return {DeviceErrorCode::Io, what};
}

void FprintReader::mark_removed() {
    removed_ = true;
    if (auto token = current_.lock()) token->cancel();
}

void FprintReader::capture(std::shared_ptr<CancelToken> token,
                           std::function<void(CaptureResult)> done) {
    auto op = std::make_shared<Op>();
    op->reader = shared_from_this();
    op->token = std::move(token);
    op->done = std::move(done);
    current_ = op->token;
    if (removed_) {
        op->result.error =
            DeviceError{DeviceErrorCode::Disconnected, name_ + " is no longer connected"};
        return finish(op);
    }
    // A cancel from the loop thread (capture abandoned) must still end within grace_ms.
    struct CancelData {
        std::weak_ptr<Op> op;
    };
    op->cancel_handler = g_cancellable_connect(
        op->token->get(), G_CALLBACK(+[](GCancellable*, gpointer data) {
            // Runs on the cancelling thread: hop to the GLib thread before touching the op.
            auto weak = static_cast<CancelData*>(data)->op;
            g_main_context_invoke_full(
                g_main_context_default(), G_PRIORITY_DEFAULT,
                +[](gpointer d) -> gboolean {
                    auto* w = static_cast<std::weak_ptr<Op>*>(d);
                    if (auto pending = w->lock();
                        pending && !pending->delivered && !pending->timed_out) {
                        pending->timed_out = true;  // from here on, the stuck clock runs
                        pending->reader->arm(pending, pending->reader->timeouts_.grace_ms, "stuck");
                    }
                    return G_SOURCE_REMOVE;
                },
                new std::weak_ptr<Op>(weak),
                +[](gpointer d) { delete static_cast<std::weak_ptr<Op>*>(d); });
        }),
        new CancelData{op}, +[](gpointer data) { delete static_cast<CancelData*>(data); });
    arm(op, timeouts_.open_ms, "open");
    fp_device_open(device_, op->token->get(), &FprintReader::on_open, give(op));
}

void FprintReader::arm(const std::shared_ptr<Op>& op, std::uint32_t ms, const char* what) {
    op->disarm();
    if (std::strcmp(what, "stuck") != 0) {
        op->stage = what;
        op->stage_ms = ms;
    }
    struct TimerData {
        std::weak_ptr<Op> op;
        bool stuck;
    };
    op->timer = g_timeout_source_new(ms);
    g_source_set_callback(
        op->timer,
        +[](gpointer data) -> gboolean {
            auto* t = static_cast<TimerData*>(data);
            if (auto due = t->op.lock()) {
                g_source_unref(due->timer);  // the source goes once this returns
                due->timer = nullptr;
                if (t->stuck)
                    due->reader->on_stuck(due);
                else
                    due->reader->on_timeout(due);
            }
            return G_SOURCE_REMOVE;
        },
        new TimerData{op, std::strcmp(what, "stuck") == 0},
        +[](gpointer data) { delete static_cast<TimerData*>(data); });
    g_source_attach(op->timer, g_main_context_default());
}

void FprintReader::on_timeout(const std::shared_ptr<Op>& op) {
    if (op->delivered || op->timed_out) return;
    op->timed_out = true;
    op->result.error =
        DeviceError{DeviceErrorCode::Timeout, name_ + ": " + op->stage + " did not finish within " +
                                                  std::to_string(op->stage_ms) + " ms"};
    // The cancel makes libfprint end the pending step; the stuck clock bounds that too.
    arm(op, timeouts_.grace_ms, "stuck");
    g_cancellable_cancel(op->token->get());
}

void FprintReader::on_stuck(const std::shared_ptr<Op>& op) {
    if (op->delivered) return;
    // The reader ignored the cancel: report now, reset the USB device so it re-enumerates
    // (libfprint then removes and re-adds it), and let the late callbacks find nobody.
    const std::string reset = reset_usb();
    log::warning(name_, ": the reader did not answer a cancel within ", timeouts_.grace_ms, " ms; ",
                 reset);
    op->result.image.reset();
    op->result.stuck = true;
    op->result.error = DeviceError{DeviceErrorCode::Timeout, name_ + " stopped answering (" +
                                                                 reset + "); replug it if it " +
                                                                 "does not come back by itself"};
    finish(op);
}

std::string FprintReader::reset_usb() {
    if (!g_object_class_find_property(G_OBJECT_GET_CLASS(device_), "fpi-usb-device"))
        return "not a USB reader, no reset";
    GObject* usb = nullptr;
    g_object_get(device_, "fpi-usb-device", &usb, nullptr);
    if (!usb) return "not a USB reader, no reset";
    gpointer raw = nullptr;
    g_object_get(usb, "libusb-device", &raw, nullptr);
    g_object_unref(usb);
    if (!raw) return "no libusb device, no reset";
    libusb_device_handle* handle = nullptr;
    int r = libusb_open(static_cast<libusb_device*>(raw), &handle);
    if (r != 0) return std::string("USB reset failed: ") + libusb_strerror(r);
    r = libusb_reset_device(handle);
    libusb_close(handle);
    return r == 0 || r == LIBUSB_ERROR_NOT_FOUND
               ? std::string("USB device reset")
               : std::string("USB reset failed: ") + libusb_strerror(r);
}

void FprintReader::on_open(GObject* source, GAsyncResult* result, gpointer data) {
    auto op = take<Op>(data);
    FprintReader& self = *op->reader;
    GError* raw = nullptr;
    const bool ok = fp_device_open_finish(FP_DEVICE(source), result, &raw);
    ErrorPtr error(raw);
    if (op->delivered) {  // reported stuck already: just let go of the reader
        if (fp_device_is_open(self.device_))
            fp_device_close(self.device_, nullptr, nullptr, nullptr);
        return;
    }
    if (!ok) {
        if (!op->result.error) op->result.error = self.error_from(error.get(), "open");
        // A cancel that lands while the driver opens reports failure, yet the reader may be
        // open: close it, or the next capture finds it "already opened".
        if (fp_device_is_open(self.device_)) return self.start_close(op);
        return self.finish(op);
    }
    op->opened = true;
    if (op->timed_out || g_cancellable_is_cancelled(op->token->get())) return self.start_close(op);
    self.arm(op, self.timeouts_.capture_ms, "capture");
    fp_device_capture(self.device_, TRUE, op->token->get(), &FprintReader::on_capture, give(op));
}

void FprintReader::on_capture(GObject* source, GAsyncResult* result, gpointer data) {
    auto op = take<Op>(data);
    FprintReader& self = *op->reader;
    GError* raw = nullptr;
    FpImage* image = fp_device_capture_finish(FP_DEVICE(source), result, &raw);
    ErrorPtr error(raw);
    if (image) {
        if (!op->result.error) op->result.image = to_image(image);
        g_object_unref(image);
    } else if (!op->result.error) {
        op->result.error = self.error_from(error.get(), "capture");
    }
    if (op->delivered) {
        fp_device_close(self.device_, nullptr, nullptr, nullptr);
        return;
    }
    self.start_close(op);
}

void FprintReader::start_close(const std::shared_ptr<Op>& op) {
    if (!op->timed_out) arm(op, timeouts_.open_ms, "close");
    // Never cancelled: a half-closed reader would refuse the next open.
    fp_device_close(device_, nullptr, &FprintReader::on_close, give(op));
}

void FprintReader::on_close(GObject* source, GAsyncResult* result, gpointer data) {
    auto op = take<Op>(data);
    GError* raw = nullptr;
    const bool ok = fp_device_close_finish(FP_DEVICE(source), result, &raw);
    ErrorPtr error(raw);
    if (op->delivered) return;
    // A close error after a good image: the image stands, the next open will tell.
    if (!ok) log::debug(op->reader->name_, ": close: ", error ? error->message : "?");
    op->reader->finish(op);
}

void FprintReader::finish(const std::shared_ptr<Op>& op) {
    if (op->delivered) return;
    op->delivered = true;
    op->disarm();
    if (op->cancel_handler) g_cancellable_disconnect(op->token->get(), op->cancel_handler);
    op->cancel_handler = 0;
    if (op->result.image && !op->result.image->consistent()) {
        op->result.image.reset();
        op->result.error = DeviceError{DeviceErrorCode::Io, name_ + " delivered a broken image"};
    }
    if (removed_ && !op->result.image)
        op->result.error =
            DeviceError{DeviceErrorCode::Disconnected, name_ + " was unplugged during the capture"};
    if (!op->result.image && !op->result.error)
        op->result.error = DeviceError{DeviceErrorCode::Io, name_ + " gave no image"};
    auto done = std::move(op->done);
    done(std::move(op->result));
}

}  // namespace rekam::drivers::fprint
