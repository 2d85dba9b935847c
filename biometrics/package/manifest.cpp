#include "biometrics/package/manifest.h"

#include <openssl/rand.h>

#include <cstdio>
#include <ctime>
#include <limits>
#include <set>

#include "biometrics/package/hash_chain.h"
#include "biometrics/package/openssl_ptr.h"
#include "biometrics/package/strict_json.h"

namespace rekam::pkg {

using nlohmann::json;

namespace {

json sample_to_json(const Sample& s) {
    return json{
        {"position", s.position},
        {"file", s.file},
        {"sha256", s.sha256},
        {"record_format", s.record_format},
        {"media_type", s.media_type},
        {"quality",
         {{"score", s.quality.score},
          {"algorithm", s.quality.algorithm},
          {"measures", s.quality.measures},
          {"feedback", s.quality.feedback}}},
        {"device",
         {{"driver", s.device.driver},
          {"vendor", s.device.vendor},
          {"model", s.device.model},
          {"serial", s.device.serial},
          {"usb_id", s.device.usb_id}}},
        {"attempts", s.attempts},
        {"forced", s.forced},
        {"captured_at", s.captured_at},
        {"chain_hash", s.chain_hash},
    };
}

Sample sample_from_json(const json& j, const std::string& path) {
    StrictObject o(j, path);
    Sample s;
    s.position = o.string("position");
    s.file = o.string("file");
    s.sha256 = o.string("sha256");
    s.record_format = o.string("record_format");
    s.media_type = o.string("media_type");
    {
        StrictObject q(o.at("quality"), o.path("quality"));
        s.quality.score = q.integer("score");
        s.quality.algorithm = q.string("algorithm");
        const auto& measures = q.at("measures");
        if (!measures.is_object()) throw ManifestError(q.path("measures") + ": expected an object");
        for (const auto& [name, value] : measures.items()) {
            if (!value.is_number())
                throw ManifestError(q.path("measures") + "." + name + ": expected a number");
            s.quality.measures[name] = value.get<double>();
        }
        s.quality.feedback = q.strings("feedback");
        q.finish();
    }
    {
        StrictObject d(o.at("device"), o.path("device"));
        s.device.driver = d.string("driver");
        s.device.vendor = d.string("vendor");
        s.device.model = d.string("model");
        s.device.serial = d.string("serial");
        s.device.usb_id = d.string("usb_id");
        d.finish();
    }
    s.attempts = o.integer("attempts");
    s.forced = o.boolean("forced");
    s.captured_at = o.string("captured_at");
    s.chain_hash = o.string("chain_hash");
    o.finish();
    return s;
}

json card_to_json(const CardInfo& c) {
    json parts = json::array();
    for (const auto& p : c.parts)
        parts.push_back({{"part", p.part},
                         {"file", p.file},
                         {"format", p.format},
                         {"position", p.position},
                         {"bytes", p.bytes},
                         {"sha256", p.sha256},
                         {"note", p.note}});
    return {{"profile", c.profile},           {"budget", c.budget}, {"reserved", c.reserved},
            {"max_minutiae", c.max_minutiae}, {"total", c.total},   {"parts", parts}};
}

CardInfo card_from_json(const json& j, const std::string& path) {
    StrictObject o(j, path);
    CardInfo c;
    c.profile = o.string("profile");
    c.budget = o.integer("budget");
    c.reserved = o.integer("reserved");
    c.max_minutiae = o.integer("max_minutiae");
    c.total = o.integer("total");
    const auto& parts = o.array("parts");
    for (std::size_t i = 0; i < parts.size(); ++i) {
        StrictObject p(parts[i], path + ".parts[" + std::to_string(i) + "]");
        CardPart part;
        part.part = p.string("part");
        part.file = p.string("file");
        part.format = p.string("format");
        part.position = p.string("position");
        part.bytes = p.integer("bytes");
        part.sha256 = p.string("sha256");
        part.note = p.string("note");
        p.finish();
        c.parts.push_back(std::move(part));
    }
    o.finish();
    return c;
}

}  // namespace

void to_json(json& j, const Manifest& m) {
    json samples = json::array();
    for (const auto& s : m.samples) samples.push_back(sample_to_json(s));
    json exceptions = json::array();
    for (const auto& e : m.exceptions)
        exceptions.push_back(
            {{"position", e.position}, {"reason", e.reason}, {"details", e.details}});
    j = json{
        {"format", m.format},
        {"transaction_id", m.transaction_id},
        {"station_id", m.station_id},
        {"operator", m.operator_id},
        {"created_at", m.created_at},
        {"finalized_at", m.finalized_at},
        {"application",
         {{"nik", m.application.nik},
          {"kk", m.application.kk},
          {"documents", m.application.documents}}},
        {"samples", samples},
        {"exceptions", exceptions},
        {"chain",
         {{"algorithm", m.chain.algorithm}, {"initial", m.chain.initial}, {"head", m.chain.head}}},
    };
    if (m.card) j["card"] = card_to_json(*m.card);
}

void from_json(const json& j, Manifest& m) {
    StrictObject o(j, "manifest");
    m.format = o.string("format");
    m.transaction_id = o.string("transaction_id");
    m.station_id = o.string("station_id");
    m.operator_id = o.string("operator");
    m.created_at = o.string("created_at");
    m.finalized_at = o.string("finalized_at");
    {
        StrictObject a(o.at("application"), o.path("application"));
        m.application.nik = a.string("nik");
        m.application.kk = a.string("kk");
        m.application.documents = a.strings("documents");
        a.finish();
    }
    m.samples.clear();
    const auto& samples = o.array("samples");
    for (std::size_t i = 0; i < samples.size(); ++i)
        m.samples.push_back(
            sample_from_json(samples[i], "manifest.samples[" + std::to_string(i) + "]"));
    m.exceptions.clear();
    const auto& exceptions = o.array("exceptions");
    for (std::size_t i = 0; i < exceptions.size(); ++i) {
        StrictObject e(exceptions[i], "manifest.exceptions[" + std::to_string(i) + "]");
        ExceptionEntry entry;
        entry.position = e.string("position");
        entry.reason = e.string("reason");
        entry.details = e.at("details");
        if (!entry.details.is_object())
            throw ManifestError(e.path("details") + ": expected an object");
        e.finish();
        m.exceptions.push_back(std::move(entry));
    }
    StrictObject c(o.at("chain"), o.path("chain"));
    m.chain.algorithm = c.string("algorithm");
    m.chain.initial = c.string("initial");
    m.chain.head = c.string("head");
    c.finish();
    m.card.reset();
    if (o.has("card")) m.card = card_from_json(o.at("card"), o.path("card"));
    o.finish();
}

std::string serialize_manifest(const Manifest& m) {
    json j = m;
    // Strict UTF-8: a manifest with broken text must not be signed.
    try {
        return j.dump(2, ' ', false, json::error_handler_t::strict) + "\n";
    } catch (const json::exception& e) {
        throw ManifestError(std::string("manifest: cannot serialise: ") + e.what());
    }
}

Manifest parse_manifest(std::string_view text) {
    json j;
    try {
        j = json::parse(text.begin(), text.end());
    } catch (const json::exception& e) {
        throw ManifestError(std::string("manifest.json: ") + e.what());
    }
    Manifest m;
    from_json(j, m);
    return m;
}

std::string new_uuid_v4() {
    unsigned char b[16];
    if (RAND_bytes(b, sizeof b) != 1) throw_openssl("RAND_bytes for a transaction id");
    b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x40);  // version 4
    b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);  // RFC 4122 variant
    const auto hex = to_hex(std::span<const std::uint8_t>(b, sizeof b));
    return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
           hex.substr(16, 4) + "-" + hex.substr(20);
}

std::string format_utc(std::chrono::system_clock::time_point t, bool milliseconds) {
    using namespace std::chrono;
    const auto ms = duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
    const std::time_t secs = static_cast<std::time_t>(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    std::string out(buf);
    if (milliseconds) {
        std::snprintf(buf, sizeof buf, ".%03lld", static_cast<long long>(ms - secs * 1000LL));
        out += buf;
    }
    return out + "Z";
}

std::optional<std::chrono::system_clock::time_point> parse_utc(std::string_view text) {
    if (text.size() != 20 && text.size() != 24) return std::nullopt;
    const std::string_view pattern =
        text.size() == 20 ? "dddd-dd-ddTdd:dd:ddZ" : "dddd-dd-ddTdd:dd:dd.dddZ";
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        const bool digit = text[i] >= '0' && text[i] <= '9';
        if (pattern[i] == 'd' ? !digit : text[i] != pattern[i]) return std::nullopt;
    }
    const auto num = [&](std::size_t at, std::size_t n) {
        int v = 0;
        for (std::size_t i = at; i < at + n; ++i) v = v * 10 + (text[i] - '0');
        return v;
    };
    std::tm tm{};
    tm.tm_year = num(0, 4) - 1900;
    tm.tm_mon = num(5, 2) - 1;
    tm.tm_mday = num(8, 2);
    tm.tm_hour = num(11, 2);
    tm.tm_min = num(14, 2);
    tm.tm_sec = num(17, 2);
    if (tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 ||
        tm.tm_sec > 60)
        return std::nullopt;
    const std::time_t secs = timegm(&tm);
    // system_clock counts nanoseconds in 64 bits: years before 1678 or after 2261 overflow it.
    constexpr auto limit =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::duration::max())
            .count() -
        1;
    if (secs < -limit || secs > limit) return std::nullopt;
    auto t = std::chrono::system_clock::from_time_t(secs);
    if (text.size() == 24) t += std::chrono::milliseconds(num(20, 3));
    // Rejects dates timegm normalised (31 February and the like).
    if (format_utc(t, text.size() == 24) != text) return std::nullopt;
    return t;
}

}  // namespace rekam::pkg
