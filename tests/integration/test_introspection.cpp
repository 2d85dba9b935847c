// The running daemon's API must be exactly the documented one in dbus/*.xml: every method,
// argument (name, type, direction), signal and property (name, type, access, and whether and how
// it signals changes: a front end caches "const" properties on the strength of the XML).
#include <regex>
#include <set>

#include "dbus/names.h"
#include "tests/integration/daemon_fixture.h"

namespace rekam::test {
namespace {

// A small scanner for introspection XML, enough for machine-written and our hand-written
// files: it reads <interface>, <method>, <signal>, <property> and <arg> tags and turns them
// into comparable lines such as "id.rekam.Rekam1.Manager method OpenSession in a{sv} application".
std::set<std::string> members(const std::string& xml, const std::string& prefix) {
    const std::string text = std::regex_replace(xml, std::regex("<!--[\\s\\S]*?-->"), "");
    const std::regex tag(
        R"(<(/?)(interface|method|signal|property|arg|annotation)\b([^>]*?)(/?)>)");
    auto attr = [](const std::string& attrs, const char* name) {
        std::smatch m;
        const std::regex re(std::string(name) + R"re(\s*=\s*"([^"]*)")re");
        return std::regex_search(attrs, m, re) ? m[1].str() : std::string();
    };
    std::set<std::string> out;
    std::string interface, member, kind;
    // A property's line waits for its annotations; without one, D-Bus means "true".
    std::string property, emits;
    auto end_property = [&] {
        if (!property.empty()) out.insert(property + " emits-changed " + emits);
        property.clear();
    };
    for (auto it = std::sregex_iterator(text.begin(), text.end(), tag);
         it != std::sregex_iterator(); ++it) {
        const auto& m = *it;
        const bool closing = m[1] == "/";
        const std::string name = m[2], attrs = m[3];
        if (name == "interface") interface = closing ? "" : attr(attrs, "name");
        if (interface.rfind(prefix, 0) != 0) continue;
        if (name == "method" || name == "signal") {
            if (closing) continue;
            kind = name;
            member = attr(attrs, "name");
            out.insert(interface + " " + kind + " " + member);
        } else if (closing) {
            if (name == "property") end_property();
            continue;
        } else if (name == "property") {
            property = interface + " property " + attr(attrs, "name") + " " + attr(attrs, "type") +
                       " " + attr(attrs, "access");
            emits = "true";
            if (m[4] == "/") end_property();
        } else if (name == "annotation") {
            if (!property.empty() &&
                attr(attrs, "name") == "org.freedesktop.DBus.Property.EmitsChangedSignal")
                emits = attr(attrs, "value");
        } else if (name == "arg") {
            std::string direction = attr(attrs, "direction");
            if (kind == "signal") direction = "out";
            if (direction.empty()) direction = "in";
            out.insert(interface + " " + kind + " " + member + " " + direction + " " +
                       attr(attrs, "type") + " " + attr(attrs, "name"));
        }
    }
    return out;
}

std::string introspect(client::Connection& c, const std::string& path) {
    auto reply = c.call(path, "org.freedesktop.DBus.Introspectable", "Introspect");
    const char* xml = nullptr;
    bus::check(sd_bus_message_read_basic(reply.get(), 's', &xml), "read introspection");
    return xml;
}

std::string diff(const std::set<std::string>& documented, const std::set<std::string>& live) {
    std::string out;
    for (const auto& line : documented)
        if (!live.count(line)) out += "  documented, not served: " + line + "\n";
    for (const auto& line : live)
        if (!documented.count(line)) out += "  served, not documented: " + line + "\n";
    return out;
}

TEST_F(RekamdTest, IntrospectionMatchesTheDocumentedXml) {
    const std::filesystem::path dbus_dir = std::filesystem::path(REKAM_SOURCE_DIR) / "dbus";
    const auto manager_doc =
        members(read_text(dbus_dir / "id.rekam.Rekam1.Manager.xml"), "id.rekam.");
    const auto device_doc =
        members(read_text(dbus_dir / "id.rekam.Rekam1.Device.xml"), "id.rekam.");
    const auto session_doc =
        members(read_text(dbus_dir / "id.rekam.Rekam1.Session.xml"), "id.rekam.");
    ASSERT_GT(manager_doc.size(), 10u);
    ASSERT_GT(session_doc.size(), 20u);

    const auto manager_live = members(introspect(client(), bus::kRootPath), "id.rekam.");
    const auto device_live =
        members(introspect(client(), device_of_kind("fingerprint")), "id.rekam.");
    const auto session_live = members(introspect(client(), open_session()), "id.rekam.");
    EXPECT_EQ(manager_doc, manager_live) << diff(manager_doc, manager_live);
    EXPECT_EQ(device_doc, device_live) << diff(device_doc, device_live);
    EXPECT_EQ(session_doc, session_live) << diff(session_doc, session_live);
}

TEST_F(RekamdTest, RootImplementsTheObjectManager) {
    auto reply =
        client().call(bus::kRootPath, "org.freedesktop.DBus.ObjectManager", "GetManagedObjects");
    bus::check(sd_bus_message_enter_container(reply.get(), 'a', "{oa{sa{sv}}}"),
               "read managed objects");
    int objects = 0;
    while (sd_bus_message_enter_container(reply.get(), 'e', "oa{sa{sv}}") > 0) {
        ++objects;
        sd_bus_message_skip(reply.get(), "oa{sa{sv}}");
        sd_bus_message_exit_container(reply.get());
    }
    EXPECT_EQ(objects, 4);  // the four simulated devices
}

}  // namespace
}  // namespace rekam::test
