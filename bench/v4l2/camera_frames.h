// What the cameras send, for the camera benchmarks: the fake photo camera's 1080p MJPEG of a
// synthesised face (libjpeg-turbo, quality 85, 4:2:2 like a UVC camera) and a 640x480 GREY iris
// frame of the simulated kit. Built once per process.
#pragma once

#include <cstdint>
#include <vector>

namespace rekam::bench {

const std::vector<std::uint8_t>& face_mjpeg_1080p();
const std::vector<std::uint8_t>& iris_grey_640x480();

}  // namespace rekam::bench
