// One acquisition on a libfprint reader: each request_frame() is one open-capture-close on
// the GLib thread. Destroying it cancels a capture in flight and returns at once; the reader
// finishes (or is declared stuck) on its own thread, and the device stays busy until then.
#pragma once

#include <memory>

#include "drivers/device.h"

namespace rekam::drivers::fprint {

class FprintDevice;
class CancelToken;

class FprintAcquisition final : public Acquisition {
  public:
    FprintAcquisition(FprintDevice& device, AcquisitionSink& sink);
    ~FprintAcquisition() override;

    void request_frame() override;

  private:
    friend class FprintDevice;
    void deliver(const std::function<void(AcquisitionSink&)>& fn);

    FprintDevice& device_;
    AcquisitionSink& sink_;
    std::shared_ptr<CancelToken> token_;  // of the capture in flight, if any
    bool over_ = false;                   // on_error was sent: nothing follows
};

}  // namespace rekam::drivers::fprint
