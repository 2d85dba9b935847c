// libFuzzer target: the ISO/IEC 19794-2:2005 finger minutiae record reader must decode or throw
// RecordError, and whatever it decodes must re-encode to the same bytes.
#include <algorithm>
#include <cstdint>
#include <cstdlib>

#include "biometrics/records/finger_minutiae_record.h"
#include "biometrics/records/record_error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        const auto record = rekam::bio::decode_finger_minutiae_record({data, size});
        const auto again = rekam::bio::encode(record);
        if (again.size() != size || !std::equal(again.begin(), again.end(), data)) std::abort();
    } catch (const rekam::bio::RecordError&) {
    }
    return 0;
}
