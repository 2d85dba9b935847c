// The JP2 file format's boxes (ISO/IEC 15444-1 Annex I) that OpenJPEG does not handle: the
// resolution box. OpenJPEG 2.5 neither writes nor reads 'res ', so the scan resolution is added
// to its output here and read back here, keeping the codestream and the record header in step.
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

// Appends a 'res ' box holding a capture resolution box ('resc') of `ppi` to the JP2 header box
// and fixes that box's length. Throws RecordError when `file` has no well-formed top-level
// 'jp2h' box or `ppi` is not in (0, 65535].
void add_capture_resolution(std::vector<std::uint8_t>& file, double ppi);

// The capture resolution ('resc', else the default display resolution 'resd') of the JP2
// header, in pixels per inch rounded to 0.1; nullopt when absent, equal in both directions
// only. Malformed boxes give nullopt: the codestream decides whether the file is usable.
std::optional<double> read_resolution(std::span<const std::uint8_t> file);

}  // namespace rekam::bio::jp2
