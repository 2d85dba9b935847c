// libFuzzer target: the ISO/IEC 19794-7:2007 signature record reader must decode or throw
// RecordError, whatever it decodes must re-encode to the same bytes, and turning it into pen
// samples must not fail on a record the reader accepted (other than for missing X, Y or T).
#include <algorithm>
#include <cstdint>
#include <cstdlib>

#include "biometrics/records/record_error.h"
#include "biometrics/records/signature_record.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        const auto record = rekam::bio::decode_signature_record({data, size});
        const auto again = rekam::bio::encode(record);
        if (again.size() != size || !std::equal(again.begin(), again.end(), data)) std::abort();
        using C = rekam::bio::SignatureChannel;
        if (record.has(C::X) && record.has(C::Y) && record.has(C::T)) {
            const rekam::bio::signature::PenDevice pad{
                {200, 23472}, {200, 13203}, {0, 1023}, 100, 100};
            if (rekam::bio::to_pen_samples(record, pad).size() != record.point_count())
                std::abort();
        }
    } catch (const rekam::bio::RecordError&) {
    }
    return 0;
}
