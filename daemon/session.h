// One enrollment (SOP steps 3-6) for one citizen, exported as id.rekam.Rekam1.Session.
// It belongs to the bus client that opened it: only that client may call it, and when the
// client leaves the bus the session cancels its capture, lets go of its device and closes.
#pragma once

#include <systemd/sd-bus.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "biometrics/fingerprint/cylinder.h"
#include "biometrics/quality.h"
#include "biometrics/signature/pen.h"
#include "common/event_loop.h"
#include "daemon/application.h"
#include "daemon/authorizer.h"
#include "daemon/capture_job.h"
#include "daemon/config.h"
#include "daemon/device_registry.h"
#include "daemon/enrollment_writer.h"
#include "daemon/package_spool.h"
#include "daemon/registration_book.h"
#include "daemon/sample_record.h"
#include "dbus/message.h"

namespace rekam {

// What a session needs from the daemon around it.
struct SessionContext {
    EventLoop& loop;
    sd_bus* bus;
    const Config& config;
    DeviceRegistry& devices;
    EnrollmentWriter& writer;
    RegistrationBook& book;
    Authorizer& authorizer;
    PackageSpool& spool;
};

struct Sample {
    const Position* position = nullptr;
    bio::Quality quality;
    drivers::DeviceInfo device;
    std::uint32_t attempts = 0;
    bool forced = false;
    std::uint32_t requested_score = 0;
    std::chrono::system_clock::time_point captured;
    std::uint64_t order = 0;  // capture order: the hash chain runs in it
    int width = 0, height = 0;
    std::vector<SampleRecord> records;  // the image record first
    std::string record_sha256;          // of the image record
    std::string pixels_sha256;          // of the image alone: the same picture under two positions
    std::optional<bio::fingerprint::Minutiae> minutiae;               // fingers: for the records
    std::optional<bio::fingerprint::FingerTemplate> finger_template;  // and the sequence check
    std::shared_ptr<const bio::signature::PenTrace> pen;  // the signature: for the card's image
};

struct ExceptionMark {
    std::string reason;
    std::string note;
};

class Session {
  public:
    enum class State { Open, Capturing, Finalized, Closed };

    // `on_closed` is called (deferred, on the loop) once the session is closed; the owner then
    // destroys it.
    Session(SessionContext& context, unsigned number, std::string owner, Application application,
            std::function<void(Session&)> on_closed);
    ~Session();

    const std::string& path() const { return path_; }
    const std::string& owner() const { return owner_; }
    const Application& application() const { return application_; }
    State state() const { return state_; }

    // The positions the SOP still requires, in SOP order.
    std::vector<std::string> missing() const;
    // Close: cancel a running capture, record "abandoned" unless finalized or booked as
    // enrolled (then the package gets its final name), unexport.
    void close(const std::string& reason);

    // D-Bus methods, public for the vtable trampolines.
    int capture(sd_bus_message* m);
    int cancel_capture(sd_bus_message* m);
    int confirm_signature(sd_bus_message* m);
    int clear_signature(sd_bus_message* m);
    int mark_exception(sd_bus_message* m);
    int clear_exception(sd_bus_message* m);
    int get_sample(sd_bus_message* m);
    int get_sample_authorized(sd_bus_message* m);  // polkit, then get_sample
    int get_details(sd_bus_message* m);
    int finalize(sd_bus_message* m);
    int close_method(sd_bus_message* m);
    int append_property(const std::string& name, sd_bus_message* reply);

  private:
    void require_owner(sd_bus_message* m) const;
    void require_open(const char* what) const;
    // The running capture when it is the signature's; InvalidArgument otherwise.
    CaptureJob& signature_capture();
    bool needs_exception_photo() const;
    void on_capture_progress(const std::string& code, const bus::Dict& data);
    void on_capture_finished(CaptureOutcome outcome);
    void accept_sample(const CaptureJob& job, CaptureOutcome& outcome,
                       std::optional<bio::fingerprint::FingerTemplate> finger_template);
    struct SequenceConflict {
        std::string other;  // the position whose print matched
        double score = 0;
        bool swapped_hand = false;
    };
    std::optional<SequenceConflict> sequence_conflict(
        const Position& position, const std::string& pixels_sha256,
        const std::optional<bio::fingerprint::FingerTemplate>& finger_template) const;
    void set_state(State state);
    void emit_changed(std::initializer_list<const char*> properties);
    // Full: for the owner. Public: what any client may see (no score, feedback or note).
    enum class Detail { Full, Public };
    enum class PositionSet { Samples, Exceptions };
    bus::Dict sample_info(const Sample& sample, Detail detail) const;
    void append_positions(sd_bus_message* reply, Detail detail, PositionSet set) const;
    void signal_owner(const char* member, std::string_view position, const std::string& word,
                      const bus::Dict& data);
    BookEntry book_entry(const std::string& outcome) const;
    static void on_owner_gone(Session* self);

    SessionContext& ctx_;
    std::string path_;
    std::string owner_;
    Application application_;
    std::string transaction_id_;
    std::chrono::system_clock::time_point created_;
    std::function<void(Session&)> on_closed_;
    State state_ = State::Open;
    std::map<std::string, Sample> samples_;
    std::map<std::string, ExceptionMark> exceptions_;
    std::unique_ptr<CaptureJob> capture_;
    // Set once Finalize booked the package: from then on only its final name may follow.
    std::optional<StagedPackage> package_;
    std::uint64_t next_order_ = 0;
    bus::SlotPtr vtable_slot_;
    sd_bus_track* track_ = nullptr;
    Authorizer::Lifetime lifetime_ = Authorizer::make_lifetime();
};

std::string to_string(Session::State state);

}  // namespace rekam
