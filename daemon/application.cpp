#include "daemon/application.h"

#include <algorithm>

#include "common/strings.h"

namespace rekam {

bus::Dict Application::to_dict() const {
    bus::Dict d;
    d.emplace_back("nik", bus::str(nik));
    d.emplace_back("kk", bus::str(kk));
    d.emplace_back("documents", bus::strv(documents));
    d.emplace_back("operator", bus::str(operator_id));
    d.emplace_back("name", bus::str(name));
    return d;
}

Application check_application(const bus::Arguments& args,
                              const std::vector<std::string>& required_documents,
                              const Date& today) {
    args.reject_unknown({"nik", "kk", "documents", "operator", "name"});
    Application app;
    app.nik = args.get_string("nik", kMaxIdBytes);
    app.kk = args.get_string("kk", kMaxIdBytes);
    app.operator_id = args.get_string("operator", kMaxNameBytes);
    if (app.operator_id.empty())
        bus::invalid_argument("application: \"operator\" must name who records");
    if (args.has("name")) app.name = args.get_string("name", kMaxNameBytes);

    std::string why;
    auto nik = parse_nik(app.nik, today, why);
    if (!nik) bus::invalid_argument(why);
    app.nik_info = *nik;
    if (!validate_kk(app.kk, today, why)) bus::invalid_argument(why);

    // The documents key itself must be there; an empty list is "all missing".
    if (args.has("documents"))
        app.documents = args.get_strings("documents", kMaxDocuments, kMaxIdBytes);
    std::vector<std::string> missing;
    for (const auto& doc : required_documents)
        if (std::find(app.documents.begin(), app.documents.end(), doc) == app.documents.end())
            missing.push_back(doc);
    if (!missing.empty())
        throw bus::Error(bus::error::kRequirementsIncomplete,
                         "the request cannot be processed: missing document(s): " + join(missing));
    return app;
}

}  // namespace rekam
