#include "dbus/message.h"

#include <cerrno>
#include <cstring>
#include <limits>
#include <unordered_set>

#include "common/log.h"
#include "common/strings.h"

namespace rekam::bus {
namespace {

const char* type_name(const Value& v) {
    switch (v.v.index()) {
        case 0:
            return "b";
        case 1:
            return "i";
        case 2:
            return "u";
        case 3:
            return "x";
        case 4:
            return "t";
        case 5:
            return "d";
        case 6:
            return "s";
        case 7:
            return "o";
        case 8:
            return "as";
        case 9:
            return "ay";
        default:
            return "a{sv}";
    }
}

Dict read_dict_body(sd_bus_message* m, const std::string& what, int depth);

// sd-bus refuses, as it reads them, strings the bus passed on: Unicode noncharacters (U+FDD0 to
// U+FDEF, U+xFFFE, U+xFFFF) are valid D-Bus but not to sd-bus. That is the client's input, not
// rekamd's failure: InvalidArgument, never Internal.
void check_read(int r, const std::string& what) {
    if (r == -EBADMSG)
        throw Error(error::kInvalidArgument,
                    what +
                        ": not a string rekamd accepts (invalid UTF-8, or a Unicode "
                        "noncharacter such as U+FFFE or U+FDD0)");
    check(r, "read arguments");
}

Value read_value(sd_bus_message* m, const std::string& contents, const std::string& what,
                 const std::string& key, int depth) {
    auto basic = [&](char type, void* out) {
        check_read(sd_bus_message_read_basic(m, type, out), what + "[" + quote_prefix(key) + "]");
    };
    if (contents == "s" || contents == "o" || contents == "g") {
        const char* s = nullptr;
        basic(contents[0], &s);
        return contents == "o" ? path(s) : str(s);
    }
    if (contents == "b") {
        int b = 0;
        basic('b', &b);
        return boolean(b != 0);
    }
    if (contents == "y") {
        std::uint8_t y = 0;
        basic('y', &y);
        return u32(y);
    }
    if (contents == "n") {
        std::int16_t n = 0;
        basic('n', &n);
        return Value{static_cast<std::int32_t>(n)};
    }
    if (contents == "q") {
        std::uint16_t q = 0;
        basic('q', &q);
        return u32(q);
    }
    if (contents == "i") {
        std::int32_t i = 0;
        basic('i', &i);
        return Value{i};
    }
    if (contents == "u") {
        std::uint32_t u = 0;
        basic('u', &u);
        return u32(u);
    }
    if (contents == "x") {
        std::int64_t x = 0;
        basic('x', &x);
        return i64(x);
    }
    if (contents == "t") {
        std::uint64_t t = 0;
        basic('t', &t);
        return Value{t};
    }
    if (contents == "d") {
        double d = 0;
        basic('d', &d);
        return dbl(d);
    }
    if (contents == "as") {
        // Item by item, to stop at the limit: a 32 MiB message holds millions of empty strings.
        std::vector<std::string> out;
        check(sd_bus_message_enter_container(m, 'a', "s"), "enter as");
        const char* item = nullptr;
        int r;
        while ((r = sd_bus_message_read_basic(m, 's', &item)) > 0) {
            if (out.size() == kMaxArrayItems)
                throw Error(error::kInvalidArgument, what + ": " + quote_prefix(key) +
                                                         " has more than " +
                                                         std::to_string(kMaxArrayItems) + " items");
            out.emplace_back(item);
        }
        check_read(r, what + "[" + quote_prefix(key) + "]");
        check(sd_bus_message_exit_container(m), "exit as");
        return strv(std::move(out));
    }
    if (contents == "ay") {
        // Bounded by the message itself (the bus caps messages at 128 MiB); no key a client
        // sends takes bytes, so this is read for replies and refused by the option checks.
        const void* data = nullptr;
        std::size_t size = 0;
        check(sd_bus_message_read_array(m, 'y', &data, &size), "read ay");
        const auto* first = static_cast<const std::uint8_t*>(data);
        return bytes(std::vector<std::uint8_t>(first, first + size));
    }
    if (contents == "a{sv}")
        return dict(read_dict_body(m, what + "[" + quote_prefix(key) + "]", depth + 1));
    if (contents == "a{sa{sv}}") {  // Samples, Exceptions: a dictionary of dictionaries
        Dict out;
        check(sd_bus_message_enter_container(m, 'a', "{sa{sv}}"), "enter a{sa{sv}}");
        while (sd_bus_message_enter_container(m, 'e', "sa{sv}") > 0) {
            if (out.size() == kMaxDictEntries)
                throw Error(error::kInvalidArgument, what + ": " + quote_prefix(key) +
                                                         " has more than " +
                                                         std::to_string(kMaxDictEntries) + " keys");
            const char* inner = nullptr;
            check_read(sd_bus_message_read_basic(m, 's', &inner), what + ": a key");
            out.emplace_back(
                inner, dict(read_dict_body(m, what + "[" + quote_prefix(key) + "]", depth + 1)));
            check(sd_bus_message_exit_container(m), "exit entry");
        }
        check(sd_bus_message_exit_container(m), "exit a{sa{sv}}");
        return dict(std::move(out));
    }
    throw Error(error::kInvalidArgument, what + ": " + quote_prefix(key) +
                                             " has the unsupported type " + quote_prefix(contents));
}

Dict read_dict_body(sd_bus_message* m, const std::string& what, int depth) {
    if (depth > kMaxDictNesting)
        throw Error(error::kInvalidArgument, what + ": dictionaries nested deeper than " +
                                                 std::to_string(kMaxDictNesting) + " levels");
    Dict out;
    // Linear in the number of keys: a quadratic duplicate check let one call with 80,000 keys
    // hold the event loop for seconds.
    std::unordered_set<std::string> seen;
    check(sd_bus_message_enter_container(m, 'a', "{sv}"), "enter a{sv}");
    int r;
    while ((r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
        const char* key = nullptr;
        check_read(sd_bus_message_read_basic(m, 's', &key), what + ": a key");
        const char* contents = nullptr;
        check(sd_bus_message_peek_type(m, nullptr, &contents), "peek variant");
        const std::string k = key;
        if (k.size() > kMaxKeyLength)
            throw Error(error::kInvalidArgument, what + ": a key longer than " +
                                                     std::to_string(kMaxKeyLength) + " bytes (" +
                                                     quote_prefix(k) + ")");
        if (out.size() == kMaxDictEntries)
            throw Error(error::kInvalidArgument,
                        what + ": more than " + std::to_string(kMaxDictEntries) + " keys");
        if (!seen.insert(k).second)
            throw Error(error::kInvalidArgument, what + ": " + quote_prefix(k) + " is given twice");
        const std::string c = contents ? contents : "";
        check(sd_bus_message_enter_container(m, 'v', contents), "enter variant");
        Value v = read_value(m, c, what, k, depth);
        check(sd_bus_message_exit_container(m), "exit variant");
        check(sd_bus_message_exit_container(m), "exit entry");
        out.emplace_back(k, std::move(v));
    }
    check_read(r, what);
    check(sd_bus_message_exit_container(m), "exit a{sv}");
    return out;
}

}  // namespace

void check(int r, const char* what) {
    if (r < 0) throw Error(error::kInternal, std::string(what) + ": " + std::strerror(-r));
}

std::string quote_prefix(std::string_view text) {
    if (text.size() <= kMaxQuoted) return "\"" + std::string(text) + "\"";
    std::size_t cut = kMaxQuoted;
    // Never inside a UTF-8 sequence: an error text must stay a valid D-Bus string.
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    return "\"" + std::string(text.substr(0, cut)) + "...\" (" + std::to_string(text.size()) +
           " bytes)";
}

Arguments read_arguments(sd_bus_message* m, std::string what) {
    Dict d = read_dict_body(m, what, 1);
    return Arguments(std::move(what), std::move(d));
}

std::string read_string(sd_bus_message* m, const char* what) {
    const char* s = nullptr;
    const int r = sd_bus_message_read_basic(m, 's', &s);
    if (r < 0) check_read(r, std::string("argument ") + what);
    if (r == 0)
        throw Error(error::kInvalidArgument, std::string("missing string argument ") + what);
    return s;
}

const Value* Arguments::find(const std::string& key) const {
    for (const auto& [k, v] : entries_)
        if (k == key) return &v;
    return nullptr;
}

void Arguments::type_error(const std::string& key, const char* expected) const {
    throw Error(error::kInvalidArgument, what_ + ": \"" + key + "\" must be of type " + expected +
                                             ", got " + type_name(*find(key)));
}

std::string Arguments::get_string(const std::string& key, std::size_t max_bytes) const {
    const Value* v = find(key);
    if (!v) throw Error(error::kInvalidArgument, what_ + ": \"" + key + "\" is missing");
    const auto* s = std::get_if<std::string>(&v->v);
    if (!s) type_error(key, "s (string)");
    if (s->size() > max_bytes)
        throw Error(error::kInvalidArgument, what_ + ": \"" + key + "\" is longer than " +
                                                 std::to_string(max_bytes) + " bytes");
    return *s;
}

std::vector<std::string> Arguments::get_strings(const std::string& key, std::size_t max_items,
                                                std::size_t max_bytes) const {
    const Value* v = find(key);
    if (!v) throw Error(error::kInvalidArgument, what_ + ": \"" + key + "\" is missing");
    const auto* list = std::get_if<std::vector<std::string>>(&v->v);
    if (!list) type_error(key, "as (array of strings)");
    if (list->size() > max_items)
        throw Error(error::kInvalidArgument, what_ + ": \"" + key + "\" has more than " +
                                                 std::to_string(max_items) + " items");
    for (const auto& s : *list)
        if (s.size() > max_bytes)
            throw Error(error::kInvalidArgument, what_ + ": an item of \"" + key +
                                                     "\" is longer than " +
                                                     std::to_string(max_bytes) + " bytes");
    return *list;
}

std::uint32_t Arguments::get_u32(const std::string& key) const {
    const Value* v = find(key);
    if (!v) throw Error(error::kInvalidArgument, what_ + ": \"" + key + "\" is missing");
    auto in_range = [&](auto x) -> std::uint32_t {
        if (x < 0 || static_cast<std::uint64_t>(x) > std::numeric_limits<std::uint32_t>::max())
            throw Error(error::kInvalidArgument,
                        what_ + ": \"" + key + "\" is out of range (" + std::to_string(x) + ")");
        return static_cast<std::uint32_t>(x);
    };
    if (auto* u = std::get_if<std::uint32_t>(&v->v)) return *u;
    if (auto* i = std::get_if<std::int32_t>(&v->v)) return in_range(static_cast<std::int64_t>(*i));
    if (auto* x = std::get_if<std::int64_t>(&v->v)) return in_range(*x);
    if (auto* t = std::get_if<std::uint64_t>(&v->v)) {
        if (*t > std::numeric_limits<std::uint32_t>::max())
            throw Error(error::kInvalidArgument, what_ + ": \"" + key + "\" is out of range");
        return static_cast<std::uint32_t>(*t);
    }
    type_error(key, "u (unsigned integer)");
}

bool Arguments::get_bool(const std::string& key) const {
    const Value* v = find(key);
    if (!v) throw Error(error::kInvalidArgument, what_ + ": \"" + key + "\" is missing");
    if (auto* b = std::get_if<bool>(&v->v)) return *b;
    type_error(key, "b (boolean)");
}

std::string Arguments::get_object_path(const std::string& key) const {
    const Value* v = find(key);
    if (!v) throw Error(error::kInvalidArgument, what_ + ": \"" + key + "\" is missing");
    if (auto* o = std::get_if<ObjectPath>(&v->v)) return o->value;
    if (auto* s = std::get_if<std::string>(&v->v)) return *s;  // busctl users often send 's'
    type_error(key, "o (object path)");
}

std::vector<std::uint8_t> Arguments::get_bytes(const std::string& key) const {
    const Value* v = find(key);
    if (!v) throw Error(error::kInvalidArgument, what_ + ": \"" + key + "\" is missing");
    if (auto* b = std::get_if<Bytes>(&v->v)) return b->value;
    type_error(key, "ay (bytes)");
}

const Dict& Arguments::get_dict(const std::string& key) const {
    const Value* v = find(key);
    if (!v) throw Error(error::kInvalidArgument, what_ + ": \"" + key + "\" is missing");
    if (auto* d = std::get_if<Dict>(&v->v)) return *d;
    type_error(key, "a{sv} (dictionary)");
}

void Arguments::reject_unknown(std::initializer_list<const char*> known) const {
    for (const auto& [key, _] : entries_) {
        bool ok = false;
        for (const char* k : known) ok = ok || key == k;
        if (ok) continue;
        const auto quoted = [](const char* k) { return "\"" + std::string(k) + "\""; };
        throw Error(error::kInvalidArgument,
                    what_ + ": unknown key \"" + key + "\" (known: " +
                        (known.size() == 0 ? std::string("none") : join(known, ", ", quoted)) +
                        ")");
    }
}

void append_strings(sd_bus_message* m, const std::vector<std::string>& strings) {
    check(sd_bus_message_open_container(m, 'a', "s"), "open as");
    for (const auto& s : strings) check(sd_bus_message_append_basic(m, 's', s.c_str()), "append s");
    check(sd_bus_message_close_container(m), "close as");
}

void append_value(sd_bus_message* m, const Value& value) {
    std::visit(
        [m](const auto& x) {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, bool>) {
                int b = x;
                check(sd_bus_message_append(m, "v", "b", b), "append b");
            } else if constexpr (std::is_same_v<T, std::int32_t>) {
                check(sd_bus_message_append(m, "v", "i", x), "append i");
            } else if constexpr (std::is_same_v<T, std::uint32_t>) {
                check(sd_bus_message_append(m, "v", "u", x), "append u");
            } else if constexpr (std::is_same_v<T, std::int64_t>) {
                check(sd_bus_message_append(m, "v", "x", x), "append x");
            } else if constexpr (std::is_same_v<T, std::uint64_t>) {
                check(sd_bus_message_append(m, "v", "t", x), "append t");
            } else if constexpr (std::is_same_v<T, double>) {
                check(sd_bus_message_append(m, "v", "d", x), "append d");
            } else if constexpr (std::is_same_v<T, std::string>) {
                check(sd_bus_message_append(m, "v", "s", x.c_str()), "append s");
            } else if constexpr (std::is_same_v<T, ObjectPath>) {
                check(sd_bus_message_append(m, "v", "o", x.value.c_str()), "append o");
            } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
                check(sd_bus_message_open_container(m, 'v', "as"), "open v");
                append_strings(m, x);
                check(sd_bus_message_close_container(m), "close v");
            } else if constexpr (std::is_same_v<T, Bytes>) {
                check(sd_bus_message_open_container(m, 'v', "ay"), "open v");
                check(sd_bus_message_append_array(m, 'y', x.value.data(), x.value.size()),
                      "append ay");
                check(sd_bus_message_close_container(m), "close v");
            } else {
                check(sd_bus_message_open_container(m, 'v', "a{sv}"), "open v");
                append_dict(m, x);
                check(sd_bus_message_close_container(m), "close v");
            }
        },
        value.v);
}

void append_dict(sd_bus_message* m, const Dict& dict) {
    check(sd_bus_message_open_container(m, 'a', "{sv}"), "open a{sv}");
    for (const auto& [key, value] : dict) {
        check(sd_bus_message_open_container(m, 'e', "sv"), "open entry");
        check(sd_bus_message_append_basic(m, 's', key.c_str()), "append key");
        append_value(m, value);
        check(sd_bus_message_close_container(m), "close entry");
    }
    check(sd_bus_message_close_container(m), "close a{sv}");
}

std::string sender_of(sd_bus_message* m) {
    const char* s = sd_bus_message_get_sender(m);
    return s ? s : "";
}

int set_error(sd_bus_error* ret_error, const char* name, const std::string& message) {
    return sd_bus_error_set(ret_error, name, message.c_str());
}

int internal_error(sd_bus_message* m, sd_bus_error* ret_error, const char* what) {
    log::error("internal error in ",
               sd_bus_message_get_member(m) ? sd_bus_message_get_member(m) : "?", ": ", what);
    return sd_bus_error_set(ret_error, error::kInternal,
                            (std::string("rekamd failed: ") + what + " (see the journal)").c_str());
}

}  // namespace rekam::bus
