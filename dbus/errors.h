// The API's errors (dbus/id.rekam.Rekam1.Manager.xml lists them) as one C++ exception that the
// method trampolines turn into a D-Bus error reply.
#pragma once

#include <stdexcept>
#include <string>

namespace rekam::bus {

namespace error {
inline constexpr const char* kRequirementsIncomplete =
    "id.rekam.Rekam1.Error.RequirementsIncomplete";
inline constexpr const char* kInvalidArgument = "id.rekam.Rekam1.Error.InvalidArgument";
inline constexpr const char* kNotAuthorized = "id.rekam.Rekam1.Error.NotAuthorized";
inline constexpr const char* kDeviceBusy = "id.rekam.Rekam1.Error.DeviceBusy";
inline constexpr const char* kDeviceNotReady = "id.rekam.Rekam1.Error.DeviceNotReady";
inline constexpr const char* kDeviceNotFound = "id.rekam.Rekam1.Error.DeviceNotFound";
inline constexpr const char* kDeviceDisconnected = "id.rekam.Rekam1.Error.DeviceDisconnected";
inline constexpr const char* kTimeout = "id.rekam.Rekam1.Error.Timeout";
inline constexpr const char* kCancelled = "id.rekam.Rekam1.Error.Cancelled";
inline constexpr const char* kQualityTooLow = "id.rekam.Rekam1.Error.QualityTooLow";
inline constexpr const char* kFingerSequence = "id.rekam.Rekam1.Error.FingerSequence";
inline constexpr const char* kSessionIncomplete = "id.rekam.Rekam1.Error.SessionIncomplete";
inline constexpr const char* kCardOverBudget = "id.rekam.Rekam1.Error.CardOverBudget";
inline constexpr const char* kNotReady = "id.rekam.Rekam1.Error.NotReady";
inline constexpr const char* kUnknownTransaction = "id.rekam.Rekam1.Error.UnknownTransaction";
inline constexpr const char* kNotSupported = "id.rekam.Rekam1.Error.NotSupported";
inline constexpr const char* kInternal = "id.rekam.Rekam1.Error.Internal";
}  // namespace error

class Error : public std::runtime_error {
  public:
    Error(const char* name, const std::string& message)
        : std::runtime_error(message), name_(name) {}
    const char* name() const { return name_; }

  private:
    const char* name_;
};

[[noreturn]] inline void invalid_argument(const std::string& message) {
    throw Error(error::kInvalidArgument, message);
}

}  // namespace rekam::bus
