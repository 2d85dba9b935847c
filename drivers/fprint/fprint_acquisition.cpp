#include "drivers/fprint/fprint_acquisition.h"

#include "drivers/fprint/fprint_device.h"
#include "drivers/fprint/fprint_reader.h"
#include "drivers/fprint/glib_thread.h"

namespace rekam::drivers::fprint {

FprintAcquisition::FprintAcquisition(FprintDevice& device, AcquisitionSink& sink)
    : device_(device), sink_(sink) {}

FprintAcquisition::~FprintAcquisition() {
    // Cancel on the GLib thread: libfprint's own cancel handlers run where they are fired.
    if (token_) device_.glib_->invoke([token = std::move(token_)] { token->cancel(); });
    device_.acquisition_ended(this);
}

void FprintAcquisition::request_frame() {
    if (over_) return;
    device_.start_capture(*this);
}

void FprintAcquisition::deliver(const std::function<void(AcquisitionSink&)>& fn) {
    if (over_) return;
    fn(sink_);  // may destroy this acquisition: nothing after it
}

}  // namespace rekam::drivers::fprint
