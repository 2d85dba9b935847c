#include "daemon/session.h"

#include <algorithm>
#include <limits>

#include "biometrics/fingerprint/sequence.h"
#include "biometrics/package/hash_chain.h"
#include "biometrics/package/manifest.h"
#include "biometrics/records/codec.h"
#include "common/log.h"
#include "common/sealed_memfd.h"
#include "common/strings.h"
#include "common/unique_fd.h"
#include "daemon/card_profile.h"
#include "daemon/enrollment_writer.h"
#include "daemon/registration_book.h"
#include "dbus/names.h"

namespace rekam {
namespace {

// An exception's note says why (a bandaged finger, a scar): a sentence or two, never a file.
constexpr std::size_t kMaxNoteBytes = 1024;

template <int (Session::*Method)(sd_bus_message*)>
int trampoline(sd_bus_message* m, void* userdata, sd_bus_error* ret_error) {
    return bus::dispatch(m, ret_error, [userdata](sd_bus_message* msg) {
        return (static_cast<Session*>(userdata)->*Method)(msg);
    });
}

// Properties are public to every client the bus policy lets in (and go out in ObjectManager and
// PropertiesChanged broadcasts), so they hold nothing personal: the citizen's application,
// scores, feedback and notes are for the owner alone, through GetDetails and the unicast
// signals. The getter never asks who is calling.
int property_getter(sd_bus*, const char*, const char*, const char* property, sd_bus_message* reply,
                    void* userdata, sd_bus_error* ret_error) {
    try {
        return static_cast<Session*>(userdata)->append_property(property, reply);
    } catch (const std::exception& e) {
        return bus::set_error(ret_error, bus::error::kInternal, e.what());
    }
}

const sd_bus_vtable kSessionVtable[] = {
    SD_BUS_VTABLE_START(0),
    SD_BUS_METHOD_WITH_ARGS("Capture", SD_BUS_ARGS("s", position, "a{sv}", options),
                            SD_BUS_NO_RESULT, trampoline<&Session::capture>,
                            SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_METHOD_WITH_ARGS("CancelCapture", SD_BUS_NO_ARGS, SD_BUS_NO_RESULT,
                            trampoline<&Session::cancel_capture>, SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_METHOD_WITH_ARGS(
        "MarkException", SD_BUS_ARGS("s", position, "s", reason, "a{sv}", details),
        SD_BUS_NO_RESULT, trampoline<&Session::mark_exception>, SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_METHOD_WITH_ARGS("ClearException", SD_BUS_ARGS("s", position), SD_BUS_NO_RESULT,
                            trampoline<&Session::clear_exception>, SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_METHOD_WITH_ARGS(
        "GetSample", SD_BUS_ARGS("s", position), SD_BUS_RESULT("a{sv}", info, "h", image),
        trampoline<&Session::get_sample_authorized>, SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_METHOD_WITH_ARGS(
        "GetDetails", SD_BUS_NO_ARGS,
        SD_BUS_RESULT("a{sv}", application, "a{sa{sv}}", samples, "a{sa{sv}}", exceptions),
        trampoline<&Session::get_details>, SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_METHOD_WITH_ARGS("ConfirmSignature", SD_BUS_NO_ARGS, SD_BUS_NO_RESULT,
                            trampoline<&Session::confirm_signature>, SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_METHOD_WITH_ARGS("ClearSignature", SD_BUS_NO_ARGS, SD_BUS_NO_RESULT,
                            trampoline<&Session::clear_signature>, SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_METHOD_WITH_ARGS("Finalize", SD_BUS_ARGS("a{sv}", options),
                            SD_BUS_RESULT("s", path, "s", sha256), trampoline<&Session::finalize>,
                            SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_METHOD_WITH_ARGS("Close", SD_BUS_NO_ARGS, SD_BUS_NO_RESULT,
                            trampoline<&Session::close_method>, SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_SIGNAL_WITH_ARGS("CaptureProgress", SD_BUS_ARGS("s", position, "s", code, "a{sv}", data),
                            0),
    SD_BUS_SIGNAL_WITH_ARGS("CaptureFinished",
                            SD_BUS_ARGS("s", position, "s", outcome, "a{sv}", result), 0),
    SD_BUS_PROPERTY("TransactionId", "s", property_getter, 0, SD_BUS_VTABLE_PROPERTY_CONST),
    SD_BUS_PROPERTY("Owner", "s", property_getter, 0, SD_BUS_VTABLE_PROPERTY_CONST),
    SD_BUS_PROPERTY("State", "s", property_getter, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
    SD_BUS_PROPERTY("Samples", "a{sa{sv}}", property_getter, 0,
                    SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
    SD_BUS_PROPERTY("Exceptions", "a{sa{sv}}", property_getter, 0,
                    SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
    SD_BUS_PROPERTY("Missing", "as", property_getter, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
    SD_BUS_VTABLE_END,
};

const Position& position_arg(const std::string& name) {
    const Position* p = find_position(name);
    if (!p)
        bus::invalid_argument("unknown position " + bus::quote_prefix(name) +
                              " (one of: " + position_list() + ")");
    return *p;
}

std::string pixels_digest(const bio::Image& image) {
    return pkg::to_hex(pkg::sha256(image.pixels));
}

}  // namespace

std::string to_string(Session::State state) {
    switch (state) {
        case Session::State::Open:
            return "open";
        case Session::State::Capturing:
            return "capturing";
        case Session::State::Finalized:
            return "finalized";
        case Session::State::Closed:
            return "closed";
    }
    return "closed";
}

Session::Session(SessionContext& context, unsigned number, std::string owner,
                 Application application, std::function<void(Session&)> on_closed)
    : ctx_(context),
      path_(bus::kSessionPathPrefix + std::to_string(number)),
      owner_(std::move(owner)),
      application_(std::move(application)),
      transaction_id_(pkg::new_uuid_v4()),
      created_(std::chrono::system_clock::now()),
      on_closed_(std::move(on_closed)) {
    // Booked before anyone sees it: a session the daemon dies with is found at the next start
    // (and booked "interrupted"). No session without its line.
    try {
        ctx_.book.append(book_entry("opened"));
    } catch (const std::exception& e) {
        throw bus::Error(
            bus::error::kInternal,
            std::string("cannot record the session in the registration book: ") + e.what());
    }
    sd_bus_slot* slot = nullptr;
    bus::check(sd_bus_add_object_vtable(ctx_.bus, &slot, path_.c_str(), bus::kSessionInterface,
                                        kSessionVtable, this),
               "export session object");
    vtable_slot_.reset(slot);
    // sd_bus_track calls back once the owner's unique name has left the bus: no ghost claims.
    bus::check(sd_bus_track_new(
                   ctx_.bus, &track_,
                   [](sd_bus_track*, void* userdata) -> int {
                       on_owner_gone(static_cast<Session*>(userdata));
                       return 0;
                   },
                   this),
               "track session owner");
    if (!owner_.empty())
        bus::check(sd_bus_track_add_name(track_, owner_.c_str()), "track owner name");
    sd_bus_emit_object_added(ctx_.bus, path_.c_str());
}

Session::~Session() {
    capture_.reset();
    if (track_) sd_bus_track_unref(track_);
    if (vtable_slot_) sd_bus_emit_object_removed(ctx_.bus, path_.c_str());
}

void Session::on_owner_gone(Session* self) {
    log::info(self->path_, ": its client ", self->owner_, " left the bus; closing it");
    self->close("the client left the bus");
}

void Session::require_owner(sd_bus_message* m) const {
    const std::string sender = bus::sender_of(m);
    if (sender != owner_)
        throw bus::Error(bus::error::kNotAuthorized,
                         "this session belongs to " + owner_ + "; open your own with OpenSession");
}

void Session::require_open(const char* what) const {
    if (package_ && state_ != State::Finalized && std::string_view(what) != "finalize")
        bus::invalid_argument(
            std::string("the enrollment is booked and its package waits for its "
                        "final name; only Finalize or Close can follow, cannot ") +
            what);
    if (state_ == State::Finalized)
        bus::invalid_argument(std::string("the session is finalized; cannot ") + what);
    if (state_ == State::Closed)
        bus::invalid_argument(std::string("the session is closed; cannot ") + what);
}

std::vector<std::string> Session::missing() const {
    std::vector<std::string> out;
    for (const auto& p : all_positions()) {
        const std::string name(p.name);
        if (p.required && !samples_.count(name) && !exceptions_.count(name)) out.push_back(name);
    }
    if (needs_exception_photo() && !samples_.count(std::string(kExceptionPhoto)))
        out.emplace_back(kExceptionPhoto);
    return out;
}

// The photo shows what kept a finger or an eye from being captured; a citizen unable to sign
// has nothing to show.
bool Session::needs_exception_photo() const {
    for (const auto& [name, mark] : exceptions_) {
        const Position* p = find_position(name);
        if (p && (is_finger(*p) || is_iris(*p))) return true;
    }
    return false;
}

void Session::set_state(State state) {
    if (state_ == state) return;
    state_ = state;
    emit_changed({"State"});
}

void Session::emit_changed(std::initializer_list<const char*> properties) {
    if (!vtable_slot_) return;
    std::vector<const char*> names(properties);
    names.push_back(nullptr);
    sd_bus_emit_properties_changed_strv(ctx_.bus, path_.c_str(), bus::kSessionInterface,
                                        const_cast<char**>(names.data()));
}

int Session::capture(sd_bus_message* m) {
    require_owner(m);
    const Position& position = position_arg(bus::read_string(m, "position"));
    const bus::Arguments options = bus::read_arguments(m, "options");
    require_open("capture");
    if (capture_)
        throw bus::Error(bus::error::kDeviceBusy,
                         "a capture of " + std::string(capture_->position().name) +
                             " is running; wait for it or cancel it first");
    const std::string name(position.name);
    if (exceptions_.count(name))
        bus::invalid_argument(name + " is marked as an exception (" + exceptions_[name].reason +
                              "); clear the exception before capturing it");
    if (name == kExceptionPhoto && !needs_exception_photo())
        bus::invalid_argument(
            "an exception photo is taken only after a finger or iris is marked "
            "as an exception");
    options.reject_unknown({"requested-score", "timeout-ms", "max-attempts", "device"});

    const CaptureParams params = capture_params(options, ctx_.config, position.kind);

    const std::string kind = drivers::to_string(position.kind);
    DeviceRegistry::Entry* entry = nullptr;
    if (options.has("device")) {
        const std::string device_path = options.get_object_path("device");
        entry = ctx_.devices.find(device_path);
        if (!entry)
            throw bus::Error(bus::error::kDeviceNotFound,
                             "no device " + bus::quote_prefix(device_path) + " (unplugged?)");
        if (entry->device->info().kind != position.kind)
            bus::invalid_argument(device_path + " is a " +
                                  drivers::to_string(entry->device->info().kind) + " device; " +
                                  name + " needs a " + kind + " device");
    } else {
        DeviceRegistry::Entry* held = nullptr;
        DeviceRegistry::Entry* unready = nullptr;
        for (const auto& e : ctx_.devices.entries()) {
            if (e->device->info().kind != position.kind) continue;
            if (e->holder != "/")
                held = e.get();
            else if (e->device->status() != drivers::DeviceStatus::Ready)
                unready = e.get();
            else {
                entry = e.get();
                break;
            }
        }
        if (!entry) entry = unready ? unready : held;
        if (!entry)
            throw bus::Error(bus::error::kDeviceNotFound, "no " + kind + " device is connected");
    }
    if (entry->holder != "/")
        throw bus::Error(bus::error::kDeviceBusy,
                         entry->device->info().name + " is held by " + entry->holder);
    drivers::AcquireRequest request{name, application_.nik, application_.backdrop(),
                                    position.iso_code};
    // The preview's own stream yields to the capture first: it may be what keeps the device
    // busy. Should the device not be ready, the lease goes and the preview streams on.
    std::unique_ptr<PreviewLease> preview;
    if (entry->preview) preview = entry->preview->begin_capture(owner_, request);
    if (entry->device->status() != drivers::DeviceStatus::Ready)
        throw bus::Error(bus::error::kDeviceNotReady,
                         entry->device->info().name + " reports status " +
                             drivers::to_string(entry->device->status()));

    // Before the device is taken: a model that cannot be loaded refuses the capture
    // (DeviceNotReady) and leaves the device free.
    auto assessor = make_assessor(position, AssessContext{application_.nik_info.birth_date.year});
    ctx_.devices.set_holder(*entry, path_);
    capture_ = std::make_unique<CaptureJob>(
        ctx_.loop, entry->device, position, std::move(request), params, std::move(assessor),
        CaptureJob::Callbacks{
            [this](const std::string& code, const bus::Dict& data) {
                on_capture_progress(code, data);
            },
            [this](CaptureOutcome outcome) { on_capture_finished(std::move(outcome)); }},
        std::move(preview));
    log::info(path_, ": capturing ", name, " with ", entry->device->info().name,
              " (requested score ", params.requested_score, ", timeout ", params.timeout_ms,
              " ms)");
    set_state(State::Capturing);
    capture_->start();
    return sd_bus_reply_method_return(m, "");
}

int Session::cancel_capture(sd_bus_message* m) {
    require_owner(m);
    if (!capture_) bus::invalid_argument("no capture is running");
    capture_->cancel();
    return sd_bus_reply_method_return(m, "");
}

CaptureJob& Session::signature_capture() {
    if (!capture_ || !is_signature(capture_->position()))
        bus::invalid_argument("no signature capture is running");
    return *capture_;
}

int Session::confirm_signature(sd_bus_message* m) {
    require_owner(m);
    if (!signature_capture().confirm())
        bus::invalid_argument("nothing has been written yet: there is no signature to confirm");
    return sd_bus_reply_method_return(m, "");
}

int Session::clear_signature(sd_bus_message* m) {
    require_owner(m);
    if (!signature_capture().clear())
        bus::invalid_argument(signature_capture().device().info().name +
                              " cannot clear a signature being written");
    return sd_bus_reply_method_return(m, "");
}

void Session::on_capture_progress(const std::string& code, const bus::Dict& data) {
    signal_owner("CaptureProgress", capture_->position().name, code, data);
}

// Capture signals carry scores and feedback: they are addressed to the owner alone (a unicast
// signal), never broadcast to whoever listens on the bus.
void Session::signal_owner(const char* member, std::string_view position, const std::string& word,
                           const bus::Dict& data) {
    sd_bus_message* signal = nullptr;
    if (sd_bus_message_new_signal(ctx_.bus, &signal, path_.c_str(), bus::kSessionInterface,
                                  member) < 0)
        return;
    bus::MessagePtr owned(signal);
    // Without a bus daemon (a direct connection) there is no name to address, and no bystander.
    if ((!owner_.empty() && sd_bus_message_set_destination(signal, owner_.c_str()) < 0) ||
        sd_bus_message_append(signal, "ss", std::string(position).c_str(), word.c_str()) < 0)
        return;
    bus::append_dict(signal, data);
    sd_bus_send(ctx_.bus, signal, nullptr);
}

void Session::on_capture_finished(CaptureOutcome outcome) {
    // The job is inside its own callback: let it go on the next loop turn.
    std::shared_ptr<CaptureJob> job(capture_.release());
    ctx_.loop.post([job] {});
    const Position& position = job->position();
    if (auto* entry = ctx_.devices.find(job->device())) ctx_.devices.set_holder(*entry, "/");

    std::optional<bio::fingerprint::FingerTemplate> finger_template;
    bool kept = outcome.kind == CaptureOutcome::Kind::Accepted ||
                outcome.kind == CaptureOutcome::Kind::BestAttempt;
    bus::Dict result;
    result.emplace_back("attempts", bus::u32(outcome.attempts));
    const bio::Quality& quality = outcome.assessment.quality;
    if (kept && is_finger(position)) {
        // MOSIP SBI: never accept the same finger under two positions. The template is made
        // once, for the check and for the sample that keeps it for later fingers.
        if (outcome.assessment.minutiae)
            finger_template = bio::fingerprint::make_template(*outcome.assessment.minutiae);
        const std::string pixels = pixels_digest(outcome.frame->image);
        if (auto conflict = sequence_conflict(position, pixels, finger_template)) {
            kept = false;
            outcome.kind = CaptureOutcome::Kind::Failed;
            outcome.error = bus::error::kFingerSequence;
            outcome.message = conflict->swapped_hand
                                  ? "this print matches " + conflict->other +
                                        ": the same finger of the other hand? check that the hands "
                                        "are not swapped"
                                  : "this print matches " + conflict->other +
                                        ": the same finger was placed twice; place the " +
                                        std::string(position.name) + " finger";
            result.emplace_back("matches", bus::str(conflict->other));
            result.emplace_back("match-score", bus::dbl(conflict->score));
            result.emplace_back("swapped-hand", bus::boolean(conflict->swapped_hand));
        }
    }
    if (kept) {
        accept_sample(*job, outcome, std::move(finger_template));
        result.emplace_back("score", bus::u32(static_cast<std::uint32_t>(quality.score)));
        result.emplace_back("feedback", bus::strv(quality.feedback));
        result.emplace_back("forced",
                            bus::boolean(outcome.kind == CaptureOutcome::Kind::BestAttempt));
    } else {
        result.emplace_back("error",
                            bus::str(outcome.error ? outcome.error : bus::error::kInternal));
        result.emplace_back("message", bus::str(outcome.message));
    }
    log::info(path_, ": ", position.name, " ", outcome.outcome_name(), " after ", outcome.attempts,
              " attempt(s)", kept ? ", score " + std::to_string(quality.score) : "");
    if (state_ == State::Capturing) set_state(State::Open);
    if (kept) emit_changed({"Samples", "Missing"});

    signal_owner("CaptureFinished", position.name, outcome.outcome_name(), result);
}

void Session::accept_sample(const CaptureJob& job, CaptureOutcome& outcome,
                            std::optional<bio::fingerprint::FingerTemplate> finger_template) {
    Sample sample;
    sample.position = &job.position();
    sample.quality = outcome.assessment.quality;
    sample.minutiae = outcome.assessment.minutiae;
    sample.finger_template = std::move(finger_template);
    sample.pen = outcome.assessment.pen;
    sample.device = job.device().info();
    sample.attempts = outcome.attempts;
    sample.forced = outcome.kind == CaptureOutcome::Kind::BestAttempt;
    sample.requested_score = job.params().requested_score;
    sample.captured = std::chrono::system_clock::now();
    sample.order = next_order_++;
    const bio::Image& image = outcome.frame->image;
    sample.width = image.width;
    sample.height = image.height;
    sample.records = encode_sample_records(job.position(), image, outcome.assessment,
                                           sample.captured, ctx_.config.image_formats);
    sample.record_sha256 = pkg::to_hex(pkg::sha256(sample.records.front().bytes));
    sample.pixels_sha256 = pixels_digest(image);
    samples_[std::string(job.position().name)] = std::move(sample);
}

std::optional<Session::SequenceConflict> Session::sequence_conflict(
    const Position& position, const std::string& pixels_sha256,
    const std::optional<bio::fingerprint::FingerTemplate>& finger_template) const {
    // The very same picture under two positions is the same placement (a stuck sensor, a
    // replay), however few minutiae it has for the matcher: small sensors give too few.
    for (const auto& [name, sample] : samples_)
        if (is_finger(*sample.position) && sample.position != &position &&
            sample.pixels_sha256 == pixels_sha256)
            return SequenceConflict{name, std::numeric_limits<double>::infinity(),
                                    sample.position->iso_code % 5 == position.iso_code % 5};
    if (!finger_template) return std::nullopt;
    std::vector<bio::fingerprint::FingerCapture> earlier;
    std::map<int, std::string> names;
    for (const auto& [name, sample] : samples_) {
        if (!is_finger(*sample.position) || !sample.finger_template) continue;
        earlier.push_back({sample.position->iso_code, *sample.finger_template});
        names[sample.position->iso_code] = name;
    }
    const auto finding = bio::fingerprint::check_sequence(
        earlier, {position.iso_code, *finger_template}, ctx_.config.sequence_threshold);
    if (!finding) return std::nullopt;
    return SequenceConflict{names[finding->earlier], finding->score, finding->swapped_hand};
}

int Session::mark_exception(sd_bus_message* m) {
    require_owner(m);
    const Position& position = position_arg(bus::read_string(m, "position"));
    const std::string reason = bus::read_string(m, "reason");
    const bus::Arguments details = bus::read_arguments(m, "details");
    require_open("mark exceptions");
    details.reject_unknown({"note"});
    const std::string name(position.name);
    if (!is_finger(position) && !is_iris(position) && !is_signature(position))
        bus::invalid_argument(
            name + " cannot be marked as an exception; only fingers, irises and the signature can");
    if (!is_valid_exception_reason(position, reason))
        bus::invalid_argument(bus::quote_prefix(reason) + " is no exception reason for " + name +
                              " (one of: " + exception_reasons(position) + ")");
    if (capture_ && capture_->position().name == position.name)
        throw bus::Error(bus::error::kDeviceBusy,
                         name + " is being captured; cancel the capture first");
    exceptions_[name] =
        ExceptionMark{reason, details.has("note") ? details.get_string("note", kMaxNoteBytes) : ""};
    const bool dropped = samples_.erase(name) > 0;
    log::info(path_, ": ", name, " marked as exception (", reason, ")");
    if (dropped)
        emit_changed({"Exceptions", "Samples", "Missing"});
    else
        emit_changed({"Exceptions", "Missing"});
    return sd_bus_reply_method_return(m, "");
}

int Session::clear_exception(sd_bus_message* m) {
    require_owner(m);
    const Position& position = position_arg(bus::read_string(m, "position"));
    require_open("clear exceptions");
    const std::string name(position.name);
    if (!exceptions_.erase(name)) bus::invalid_argument(name + " is not marked as an exception");
    // Without a finger or iris excepted an exception photo has no reason to be in the package.
    if (!needs_exception_photo()) samples_.erase(std::string(kExceptionPhoto));
    emit_changed({"Exceptions", "Samples", "Missing"});
    return sd_bus_reply_method_return(m, "");
}

bus::Dict Session::sample_info(const Sample& s, Detail detail) const {
    bus::Dict d;
    if (detail == Detail::Full) {
        d.emplace_back("score", bus::u32(static_cast<std::uint32_t>(s.quality.score)));
        d.emplace_back("feedback", bus::strv(s.quality.feedback));
        d.emplace_back("requested-score", bus::u32(s.requested_score));
    }
    d.emplace_back("algorithm", bus::str(s.quality.algorithm));
    d.emplace_back("attempts", bus::u32(s.attempts));
    d.emplace_back("forced", bus::boolean(s.forced));
    d.emplace_back("device", bus::str(s.device.serial));
    d.emplace_back("width", bus::u32(static_cast<std::uint32_t>(s.width)));
    d.emplace_back("height", bus::u32(static_cast<std::uint32_t>(s.height)));
    d.emplace_back("record-format", bus::str(std::string(s.records.front().format)));
    d.emplace_back("sha256", bus::str(s.record_sha256));
    d.emplace_back("captured-at", bus::str(pkg::format_utc(s.captured)));
    return d;
}

int Session::get_sample_authorized(sd_bus_message* m) {
    return ctx_.authorizer.authorize(m, action::kReadSamples, lifetime_,
                                     [this](sd_bus_message* held) { return get_sample(held); });
}

int Session::get_sample(sd_bus_message* m) {
    require_owner(m);
    const Position& position = position_arg(bus::read_string(m, "position"));
    auto it = samples_.find(std::string(position.name));
    if (it == samples_.end())
        bus::invalid_argument("no sample of " + std::string(position.name) + " yet");
    // The image leaves the daemon sealed: the client can read it but never change it.
    const UniqueFd fd = sealed_memfd(
        "rekam-sample", bio::encode_png(decode_sample_image(it->second.records.front())));
    sd_bus_message* reply = nullptr;
    bus::check(sd_bus_message_new_method_return(m, &reply), "new reply");
    bus::MessagePtr owned(reply);
    bus::append_dict(reply, sample_info(it->second, Detail::Full));
    bus::check(sd_bus_message_append_basic(reply, 'h', &fd), "append fd");
    return sd_bus_send(nullptr, reply, nullptr);
}

int Session::finalize(sd_bus_message* m) {
    require_owner(m);
    const bus::Arguments options = bus::read_arguments(m, "options");
    require_open("finalize");
    options.reject_unknown({});
    if (capture_)
        throw bus::Error(bus::error::kDeviceBusy, "a capture of " +
                                                      std::string(capture_->position().name) +
                                                      " is running; finalize when it is over");
    const auto missing = this->missing();
    if (!missing.empty())
        throw bus::Error(bus::error::kSessionIncomplete,
                         "the session still needs: " + join(missing));
    if (!package_) {
        EnrollmentData data{transaction_id_, application_, created_, {}, {}};
        for (const auto& [_, sample] : samples_) data.samples.push_back(&sample);
        std::sort(data.samples.begin(), data.samples.end(),
                  [](const Sample* a, const Sample* b) { return a->order < b->order; });
        for (const auto& [position, mark] : exceptions_)
            data.exceptions.emplace_back(position, mark);
        // Staged under a temporary name, booked, then renamed: a package is under its final
        // name only with its book entry, whenever the daemon dies. Each failure before the
        // booking removes the temporary and leaves the session open for another Finalize.
        std::optional<StagedPackage> staged;
        try {
            staged.emplace(ctx_.writer.stage(data));
        } catch (const StationNotReady& e) {
            throw bus::Error(
                bus::error::kNotReady,
                std::string(e.what()) + "; nothing was kept and the session stays open");
        } catch (const CardOverBudget& e) {
            throw bus::Error(bus::error::kCardOverBudget,
                             std::string("the e-KTP chip cannot hold this enrollment: ") +
                                 e.what() + "; nothing was kept and the session stays open");
        } catch (const std::exception& e) {
            throw bus::Error(bus::error::kInternal,
                             std::string("cannot write the package: ") + e.what() +
                                 "; nothing was kept and the session stays open: Finalize again "
                                 "once the spool has room");
        }
        BookEntry entry = book_entry("enrolled");
        entry.package = staged->name();
        entry.package_sha256 = staged->sha256();
        try {
            ctx_.book.append(std::move(entry));
        } catch (const std::exception& e) {
            throw bus::Error(
                bus::error::kInternal,
                std::string("cannot record the enrollment in the registration book: ") + e.what() +
                    "; the package was not kept and the session stays open: Finalize "
                    "again once the book can be written");
        }
        staged->keep();
        package_.emplace(std::move(*staged));
    }
    try {
        package_->commit();
    } catch (const std::exception& e) {
        throw bus::Error(bus::error::kInternal,
                         std::string("the enrollment is booked, but its package cannot take its "
                                     "final name: ") +
                             e.what() +
                             "; Finalize again (rekamd also completes it when it next starts)");
    }
    log::notice(path_, ": enrolled, package ", package_->path().string());
    set_state(State::Finalized);
    return sd_bus_reply_method_return(m, "ss", package_->path().c_str(),
                                      package_->sha256().c_str());
}

BookEntry Session::book_entry(const std::string& outcome) const {
    BookEntry entry;
    entry.transaction_id = transaction_id_;
    entry.operator_id = application_.operator_id;
    entry.nik = application_.nik;
    entry.name = application_.name;
    entry.outcome = outcome;
    return entry;
}

int Session::close_method(sd_bus_message* m) {
    require_owner(m);
    close("closed by its client");
    return sd_bus_reply_method_return(m, "");
}

void Session::close(const std::string& reason) {
    if (state_ == State::Closed) return;
    if (capture_) capture_->cancel();
    if (package_ && !package_->committed()) {
        // Booked as enrolled already: the package still gets its final name, never "abandoned".
        try {
            package_->commit();
        } catch (const std::exception& e) {
            log::error(path_, ": ", e.what(), "; rekamd completes the package when it next starts");
        }
    } else if (state_ != State::Finalized) {
        BookEntry entry = book_entry("abandoned");
        entry.reason = reason;
        try {
            ctx_.book.append(std::move(entry));
        } catch (const std::exception& e) {
            log::error(path_, ": cannot write the registration book: ", e.what());
        }
    }
    set_state(State::Closed);
    // Unexporting inside a method call of this very object is not safe: do it next turn.
    ctx_.loop.post([this] { on_closed_(*this); });
}

int Session::get_details(sd_bus_message* m) {
    require_owner(m);
    sd_bus_message* reply = nullptr;
    bus::check(sd_bus_message_new_method_return(m, &reply), "new reply");
    bus::MessagePtr owned(reply);
    bus::append_dict(reply, application_.to_dict());
    append_positions(reply, Detail::Full, PositionSet::Samples);
    append_positions(reply, Detail::Full, PositionSet::Exceptions);
    return sd_bus_send(nullptr, reply, nullptr);
}

// Samples and Exceptions as a{sa{sv}}: in full for GetDetails (the owner), or the public view of
// the properties, which leaves out scores, feedback and notes.
void Session::append_positions(sd_bus_message* reply, Detail detail, PositionSet set) const {
    bus::check(sd_bus_message_open_container(reply, 'a', "{sa{sv}}"), "open");
    auto entry = [&](const std::string& key, const bus::Dict& d) {
        bus::check(sd_bus_message_open_container(reply, 'e', "sa{sv}"), "open entry");
        bus::check(sd_bus_message_append_basic(reply, 's', key.c_str()), "append key");
        bus::append_dict(reply, d);
        bus::check(sd_bus_message_close_container(reply), "close entry");
    };
    if (set == PositionSet::Samples) {
        for (const auto& [position, sample] : samples_)
            entry(position, sample_info(sample, detail));
    } else {
        for (const auto& [position, mark] : exceptions_) {
            bus::Dict d{{"reason", bus::str(mark.reason)}};
            if (detail == Detail::Full) d.emplace_back("note", bus::str(mark.note));
            entry(position, d);
        }
    }
    bus::check(sd_bus_message_close_container(reply), "close");
}

int Session::append_property(const std::string& name, sd_bus_message* reply) {
    if (name == "TransactionId") {
        bus::check(sd_bus_message_append_basic(reply, 's', transaction_id_.c_str()), "append");
    } else if (name == "Owner") {
        bus::check(sd_bus_message_append_basic(reply, 's', owner_.c_str()), "append");
    } else if (name == "State") {
        bus::check(sd_bus_message_append_basic(reply, 's', to_string(state_).c_str()), "append");
    } else if (name == "Samples") {
        append_positions(reply, Detail::Public, PositionSet::Samples);
    } else if (name == "Exceptions") {
        append_positions(reply, Detail::Public, PositionSet::Exceptions);
    } else if (name == "Missing") {
        bus::append_strings(reply, missing());
    } else {
        return -ENOENT;
    }
    return 1;
}

}  // namespace rekam
