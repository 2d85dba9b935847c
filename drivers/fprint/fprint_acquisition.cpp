#include "drivers/fprint/fprint_acquisition.h"

#include "drivers/fprint/fprint_device.h"
#include "drivers/fprint/fprint_reader.h"

namespace rekam::drivers::fprint {

FprintAcquisition::FprintAcquisition(FprintDevice& device, AcquisitionSink& sink)
    : device_(device), sink_(sink) {}

FprintAcquisition::~FprintAcquisition() {
    if (token_) token_->cancel();  // thread-safe; the reader ends the capture by itself
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
