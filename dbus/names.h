// Names of the API that are a contract with front ends (dbus/*.xml).
#pragma once

namespace rekam::bus {

inline constexpr const char* kBusName = "id.rekam.Rekam1";
inline constexpr const char* kRootPath = "/id/rekam/Rekam1";
inline constexpr const char* kDevicePathPrefix = "/id/rekam/Rekam1/device/";
inline constexpr const char* kSessionPathPrefix = "/id/rekam/Rekam1/session/";
inline constexpr const char* kManagerInterface = "id.rekam.Rekam1.Manager";
inline constexpr const char* kDiagnosticsInterface = "id.rekam.Rekam1.Diagnostics";
inline constexpr const char* kDeviceInterface = "id.rekam.Rekam1.Device";
inline constexpr const char* kSessionInterface = "id.rekam.Rekam1.Session";

}  // namespace rekam::bus
