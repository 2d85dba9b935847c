// Parts shared by the ISO/IEC 19794-4/-5/-6:2011 image records: the general record header,
// the capture date/time of ISO/IEC 19794-1:2011, the capture device and quality blocks that
// open every representation header, and the representation length framing.
//
// Field layouts were taken from MOSIP's bio-utils (io.mosip.biometrics.util.{finger,iris,face}:
// GeneralHeader, RepresentationHeader, *QualityBlock, ImageData), which implements the 2011
// editions for MOSIP SBI devices, checked against the tables those classes cite.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "biometrics/records/byte_io.h"

namespace rekam::bio {

// ISO/IEC 19794-1:2011 date/time, 9 bytes: year(2) month day hour minute second (1 each)
// millisecond(2), always UTC. All-ones means "unspecified".
struct CaptureDateTime {
    std::uint16_t year = 0xFFFF;
    std::uint8_t month = 0xFF;
    std::uint8_t day = 0xFF;
    std::uint8_t hour = 0xFF;
    std::uint8_t minute = 0xFF;
    std::uint8_t second = 0xFF;
    std::uint16_t millisecond = 0xFFFF;

    static CaptureDateTime from(std::chrono::system_clock::time_point t);
    bool operator==(const CaptureDateTime&) const = default;
};

// Quality block (5 bytes): score 0-100 (255 = failed), algorithm vendor id, algorithm id.
struct QualityBlock {
    std::uint8_t score = 0;
    std::uint16_t algorithm_vendor_id = 0;
    std::uint16_t algorithm_id = 0;
    bool operator==(const QualityBlock&) const = default;
};

// Capture device technology (1 byte), vendor id (2, IBIA registry), type id (2).
struct CaptureDevice {
    std::uint8_t technology = 0;  // 0 = unknown
    std::uint16_t vendor_id = 0;
    std::uint16_t type_id = 0;
    bool operator==(const CaptureDevice&) const = default;
};

// What every 2011 representation header holds right after its length field.
struct RepresentationCommon {
    CaptureDateTime captured;
    CaptureDevice device;
    std::vector<QualityBlock> quality;  // at most 255
    bool operator==(const RepresentationCommon&) const = default;
};

void write_common(ByteWriter& w, const RepresentationCommon& c);
RepresentationCommon read_common(ByteReader& r);

// General header fields common to the three records: format identifier ("FIR\0"...),
// version ("020\0"/"030\0"), record length (4), representation count (2), certification
// flag (1). Each record appends its own last field (finger count, eye count, temporal
// semantics).
struct RecordHeader {
    std::uint16_t representation_count = 0;
    std::uint8_t certification_flag = 0;
};

// The format and version identifiers that open every record: 3 characters and a NUL ("FIR\0",
// "020\0"). The reader fails naming the field unless both are exactly these.
void write_identifiers(ByteWriter& w, std::string_view format, std::string_view version);
void read_identifiers(ByteReader& r, std::string_view format, std::string_view version);

// Writes the header with a zero record length; finish_record() patches it.
void write_record_header(ByteWriter& w, std::string_view format, std::string_view version,
                         const RecordHeader& h);
void finish_record(ByteWriter& w);
// Checks identifiers and that the record length equals the input size (no truncation,
// no trailing garbage).
RecordHeader read_record_header(ByteReader& r, std::string_view format, std::string_view version,
                                std::size_t total_size);

// Representation framing: a 4-byte length covering the whole representation.
std::size_t begin_representation(ByteWriter& w);
void end_representation(ByteWriter& w, std::size_t start);

// Where a representation being read must end; the reader checks each field against it.
struct RepresentationFrame {
    std::size_t start = 0;
    std::size_t end = 0;
};
RepresentationFrame read_representation_length(ByteReader& r, std::size_t min_length);
// The image data length (4) and bytes, which must end the representation exactly.
std::vector<std::uint8_t> read_image_data(ByteReader& r, const RepresentationFrame& f);
void write_image_data(ByteWriter& w, const std::vector<std::uint8_t>& image);

// Throws RecordError("<record>: <field>: <problem>") for writer-side range checks.
void check_range(bool ok, const char* record, const char* field, const std::string& problem);

}  // namespace rekam::bio
