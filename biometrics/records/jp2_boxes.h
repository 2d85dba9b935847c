// The parts of JPEG 2000 files rekam reads itself (ISO/IEC 15444-1):
//  - the resolution box of the JP2 format (Annex I): OpenJPEG 2.5 neither writes nor reads
//    'res ', so the scan resolution is added to its output and read back here, keeping the
//    codestream and the record header in step;
//  - the codestream's SIZ marker (Annex A.5.1), checked before OpenJPEG sees the file: its
//    header reading already allocates per tile, so a 150-byte file claiming 40 000 tiles would
//    cost hundreds of megabytes before the size could be refused.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace rekam::bio::jp2 {

// True when `data` starts with the JP2 signature box (00 00 00 0C 'jP  ' 0D 0A 87 0A).
bool is_jp2_file(std::span<const std::uint8_t> data);
// True when `data` starts with a raw codestream's SOC and SIZ markers (FF 4F FF 51).
bool is_j2k_codestream(std::span<const std::uint8_t> data);

// The body of a JP2 file's contiguous codestream box ('jp2c'): the raw J2K codestream; empty
// when there is none.
std::span<const std::uint8_t> codestream(std::span<const std::uint8_t> file);

// Image and tile grid of a codestream's SIZ marker.
struct Siz {
    std::uint32_t width = 0;   // Xsiz - XOsiz
    std::uint32_t height = 0;  // Ysiz - YOsiz
    std::uint16_t components = 0;
    std::uint64_t tiles = 0;
};
// The SIZ marker that must follow SOC at the start of `codestream`; nullopt when it is missing,
// short, or describes an empty image or a zero tile size.
std::optional<Siz> read_siz(std::span<const std::uint8_t> codestream);

// Appends a 'res ' box holding a capture resolution box ('resc') of `ppi` to the JP2 header box
// and fixes that box's length. Throws RecordError when `file` has no well-formed top-level
// 'jp2h' box or `ppi` is not in (0, 65535].
void add_capture_resolution(std::vector<std::uint8_t>& file, double ppi);

// The capture resolution ('resc', else the default display resolution 'resd') of the JP2
// header, in pixels per inch rounded to 0.1; nullopt when absent, equal in both directions
// only. Malformed boxes give nullopt: the codestream decides whether the file is usable.
std::optional<double> read_resolution(std::span<const std::uint8_t> file);

}  // namespace rekam::bio::jp2
