// Reading and writing sd-bus messages from C++: RAII handles, the a{sv} dictionaries of the
// API with type checks whose errors name the offending key, and the method trampoline.
#pragma once

#include <systemd/sd-bus.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "dbus/errors.h"

namespace rekam::bus {

struct MessageUnref {
    void operator()(sd_bus_message* m) const { sd_bus_message_unref(m); }
};
using MessagePtr = std::unique_ptr<sd_bus_message, MessageUnref>;

struct SlotUnref {
    void operator()(sd_bus_slot* s) const { sd_bus_slot_unref(s); }
};
using SlotPtr = std::unique_ptr<sd_bus_slot, SlotUnref>;

struct BusUnref {
    void operator()(sd_bus* b) const { sd_bus_flush_close_unref(b); }
};
using BusPtr = std::unique_ptr<sd_bus, BusUnref>;

struct ObjectPath {
    std::string value;
};

// An "ay": a record the daemon hands out as it would store it (e.g. ISO/IEC 19794-2 minutiae).
struct Bytes {
    std::vector<std::uint8_t> value;
};

// A value inside an a{sv}. Dictionaries nest (a{sv} in a{sv}) for the package info.
struct Value;
using Dict = std::vector<std::pair<std::string, Value>>;
struct Value {
    std::variant<bool, std::int32_t, std::uint32_t, std::int64_t, std::uint64_t, double,
                 std::string, ObjectPath, std::vector<std::string>, Bytes, Dict>
        v;
};

// Build helpers so call sites read naturally: dict.emplace_back("score", u32(87)).
inline Value u32(std::uint32_t x) { return Value{x}; }
inline Value i64(std::int64_t x) { return Value{x}; }
inline Value dbl(double x) { return Value{x}; }
inline Value boolean(bool x) { return Value{x}; }
inline Value str(std::string x) { return Value{std::move(x)}; }
inline Value path(std::string x) { return Value{ObjectPath{std::move(x)}}; }
inline Value strv(std::vector<std::string> x) { return Value{std::move(x)}; }
inline Value bytes(std::vector<std::uint8_t> x) { return Value{Bytes{std::move(x)}}; }
inline Value dict(Dict x) { return Value{std::move(x)}; }

// An a{sv} argument as received, with typed getters. `what` names the argument in errors
// ("application", "options"), so a caller reads e.g.
//   options: "timeout-ms" must be of type u (uint32), got s
class Arguments {
  public:
    Arguments(std::string what, Dict entries)
        : what_(std::move(what)), entries_(std::move(entries)) {}

    bool has(const std::string& key) const { return find(key) != nullptr; }
    // The daemon bounds every string a client sends (what it keeps is booked and sent on):
    // longer, InvalidArgument naming the key and the limit.
    static constexpr std::size_t kUnbounded = static_cast<std::size_t>(-1);
    std::string get_string(const std::string& key, std::size_t max_bytes = kUnbounded) const;
    std::vector<std::string> get_strings(const std::string& key, std::size_t max_items = kUnbounded,
                                         std::size_t max_bytes = kUnbounded) const;
    std::uint32_t get_u32(const std::string& key) const;  // accepts u, and non-negative i
    bool get_bool(const std::string& key) const;
    std::string get_object_path(const std::string& key) const;
    std::vector<std::uint8_t> get_bytes(const std::string& key) const;
    const Dict& get_dict(const std::string& key) const;
    // Refuse any key not in `known`, naming it and the accepted ones.
    void reject_unknown(std::initializer_list<const char*> known) const;
    const Dict& entries() const { return entries_; }

  private:
    const Value* find(const std::string& key) const;
    [[noreturn]] void type_error(const std::string& key, const char* expected) const;

    std::string what_;
    Dict entries_;
};

// Bounds on the dictionaries a client sends: no rekam call needs more than a few dozen keys, and
// reading must stay cheap on the event loop whatever arrives. Beyond them: InvalidArgument
// naming the limit.
inline constexpr std::size_t kMaxDictEntries = 256;
inline constexpr std::size_t kMaxKeyLength = 256;   // bytes
inline constexpr int kMaxDictNesting = 4;           // a{sv} inside a{sv}
inline constexpr std::size_t kMaxArrayItems = 256;  // strings in one "as" value
// Client text quoted in an error: at most this many bytes (cut at a character boundary), so that
// an error reply never grows with what the client sent.
inline constexpr std::size_t kMaxQuoted = 64;
std::string quote_prefix(std::string_view text);

// Read an a{sv} at the message's read position. Unsupported nested types are refused with
// InvalidArgument naming the key.
Arguments read_arguments(sd_bus_message* m, std::string what);
std::string read_string(sd_bus_message* m, const char* what);

void append_value(sd_bus_message* m, const Value& value);
void append_dict(sd_bus_message* m, const Dict& dict);
void append_strings(sd_bus_message* m, const std::vector<std::string>& strings);

// Throws Error(Internal) for a negative sd-bus return code.
void check(int r, const char* what);

// The sender of the message being handled (a unique name such as ":1.42").
std::string sender_of(sd_bus_message* m);

// Method trampoline: call `fn(m)`, turn bus::Error into its D-Bus error and any other
// exception into Internal (logged; the caller gets a generic message).
template <typename F>
int dispatch(sd_bus_message* m, sd_bus_error* ret_error, F&& fn) noexcept;

int set_error(sd_bus_error* ret_error, const char* name, const std::string& message);
int internal_error(sd_bus_message* m, sd_bus_error* ret_error, const char* what);

template <typename F>
int dispatch(sd_bus_message* m, sd_bus_error* ret_error, F&& fn) noexcept {
    try {
        return fn(m);
    } catch (const Error& e) {
        return set_error(ret_error, e.name(), e.what());
    } catch (const std::exception& e) {
        return internal_error(m, ret_error, e.what());
    }
}

}  // namespace rekam::bus
