#include "daemon/quality_gate.h"

#include <exception>

#include "biometrics/face/quality.h"
#include "biometrics/fingerprint/quality.h"
#include "biometrics/iris/quality.h"

namespace rekam {

bio::Quality assess(drivers::DeviceKind kind, const bio::Image& image) {
    try {
        switch (kind) {
            case drivers::DeviceKind::Fingerprint:
                return bio::fingerprint::assess_quality(image);
            case drivers::DeviceKind::Iris:
                return bio::iris::assess_quality(image);
            case drivers::DeviceKind::Face:
                return bio::face::assess_quality(image);
        }
    } catch (const std::exception&) {
        // An image the algorithm cannot even read (inconsistent buffer from a broken driver)
        // is a zero, not a crash.
    }
    bio::Quality q;
    q.algorithm = "none";
    q.feedback = {"device-error"};
    return q;
}

int default_threshold(const QualityThresholds& t, drivers::DeviceKind kind) {
    switch (kind) {
        case drivers::DeviceKind::Fingerprint:
            return t.fingerprint;
        case drivers::DeviceKind::Iris:
            return t.iris;
        case drivers::DeviceKind::Face:
            return t.face;
    }
    return 100;
}

}  // namespace rekam
