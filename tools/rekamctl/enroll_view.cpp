#include "tools/rekamctl/enroll_view.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <array>
#include <iostream>
#include <nlohmann/json.hpp>
#include <utility>

#include "common/strings.h"
#include "tools/rekamctl/output.h"

namespace rekam::ctl {
namespace {

constexpr std::array<std::pair<std::string_view, Prompt>, 15> kPrompts{{
    {"right-thumb", {"Letakkan ibu jari kanan", "Place your right thumb"}},
    {"right-index", {"Letakkan jari telunjuk kanan", "Place your right index finger"}},
    {"right-middle", {"Letakkan jari tengah kanan", "Place your right middle finger"}},
    {"right-ring", {"Letakkan jari manis kanan", "Place your right ring finger"}},
    {"right-little", {"Letakkan jari kelingking kanan", "Place your right little finger"}},
    {"left-thumb", {"Letakkan ibu jari kiri", "Place your left thumb"}},
    {"left-index", {"Letakkan jari telunjuk kiri", "Place your left index finger"}},
    {"left-middle", {"Letakkan jari tengah kiri", "Place your left middle finger"}},
    {"left-ring", {"Letakkan jari manis kiri", "Place your left ring finger"}},
    {"left-little", {"Letakkan jari kelingking kiri", "Place your left little finger"}},
    {"right-iris",
     {"Lihat ke kamera iris, buka mata kanan lebar-lebar",
      "Look into the iris camera, right eye wide open"}},
    {"left-iris",
     {"Lihat ke kamera iris, buka mata kiri lebar-lebar",
      "Look into the iris camera, left eye wide open"}},
    {"face", {"Lihat ke kamera, wajah tegak", "Look into the camera, head straight"}},
    {"signature",
     {"Tanda tangan di dalam kotak pada alat tanda tangan",
      "Sign inside the box on the signature pad"}},
    {"exception-photo",
     {"Foto pengecualian: wajah dan kedua tangan", "Exception photo: face and both hands"}},
}};

template <typename T>
T get(const bus::Dict& d, const std::string& key, T fallback) {
    for (const auto& [k, v] : d)
        if (k == key)
            if (auto* x = std::get_if<T>(&v.v)) return *x;
    return fallback;
}

bool has(const bus::Dict& d, const std::string& key) {
    for (const auto& [k, v] : d)
        if (k == key) return true;
    return false;
}

std::size_t terminal_columns() {
    winsize size{};
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 1) return size.ws_col;
    return 80;
}

void json_line(nlohmann::json j) { std::cout << j.dump() << std::endl; }

nlohmann::json captures_json(const std::vector<SummaryRow>& rows) {
    nlohmann::json captures = nlohmann::json::array();
    for (const auto& row : rows) {
        nlohmann::json c{{"position", row.position}, {"outcome", row.outcome}};
        if (row.outcome == "exception") {
            c["reason"] = row.detail;
        } else {
            c["score"] = row.score;
            c["attempts"] = row.attempts;
            if (!row.detail.empty()) c["message"] = row.detail;
        }
        captures.push_back(std::move(c));
    }
    return captures;
}

void summary_table(const std::vector<SummaryRow>& rows) {
    std::vector<std::vector<std::string>> table;
    for (const auto& row : rows) {
        if (row.outcome == "exception")
            table.push_back({row.position, "exception (" + row.detail + ")", "-", "-"});
        else
            table.push_back({row.position, row.outcome, std::to_string(row.score),
                             std::to_string(row.attempts)});
    }
    std::cout << "\n";
    print_table({"POSITION", "OUTCOME", "SCORE", "ATTEMPTS"}, table);
}

}  // namespace

Prompt prompt_for(std::string_view position) {
    for (const auto& [name, prompt] : kPrompts)
        if (name == position) return prompt;
    return {position, position};  // a position newer than this table: its name at least
}

EnrollView::~EnrollView() { end_line(); }

void EnrollView::end_line() {
    if (!line_open_) return;
    std::cout << "\n";
    line_open_ = false;
}

void EnrollView::session(const std::string& path) {
    if (mode_ == ViewMode::Json)
        json_line({{"event", "session"}, {"session", path}});
    else
        std::cout << "session " << path << std::endl;
}

void EnrollView::prompt(const std::string& position) {
    const Prompt p = prompt_for(position);
    last_.clear();
    if (mode_ == ViewMode::Json) {
        json_line({{"event", "prompt"},
                   {"position", position},
                   {"prompt-id", p.id},
                   {"prompt-en", p.en}});
        return;
    }
    end_line();
    std::cout << "\n" << position << ": " << p.id << " / " << p.en << std::endl;
}

void EnrollView::progress(const client::Progress& p) {
    if (mode_ == ViewMode::Json) {
        nlohmann::json j = to_json(p.data);
        j["event"] = "progress";
        j["position"] = p.position;
        j["code"] = p.code;
        json_line(std::move(j));
        return;
    }
    const auto feedback = get<std::vector<std::string>>(p.data, "feedback", {});
    // Before a frame (place-finger, lift-finger) there is no score yet, only the attempt.
    std::string text = "  attempt " + std::to_string(get<std::uint32_t>(p.data, "attempt", 0));
    if (has(p.data, "score"))
        text += "  score " + std::to_string(get<std::uint32_t>(p.data, "score", 0)) + " (best " +
                std::to_string(get<std::uint32_t>(p.data, "best-score", 0)) + ")";
    text += "  " + p.code;
    if (!feedback.empty()) text += " [" + join(feedback, ",") + "]";
    const auto id = get<std::string>(p.data, "message-id", "");
    const auto en = get<std::string>(p.data, "message-en", "");
    if (!id.empty() || !en.empty()) text += "  " + id + " / " + en;
    if (mode_ == ViewMode::Terminal) {
        // A line wider than the terminal wraps, and \r returns only to its last row: cut it.
        // \033[K clears what a longer previous text left at the end of the line.
        std::cout << "\r" << text.substr(0, terminal_columns() - 1) << "\033[K" << std::flush;
        line_open_ = true;
    } else if (text != last_) {
        std::cout << text << std::endl;
    }
    last_ = std::move(text);
}

void EnrollView::finished(const client::CaptureResult& r, std::uint32_t requested_score) {
    const bool below = r.outcome == "best-attempt" || get<bool>(r.result, "forced", false);
    if (mode_ == ViewMode::Json) {
        nlohmann::json j = to_json(r.result);
        j["event"] = "finished";
        j["position"] = r.position;
        j["outcome"] = r.outcome;
        j["below-requested"] = below;
        if (requested_score) j["requested-score"] = requested_score;
        json_line(std::move(j));
        return;
    }
    end_line();
    std::cout << "  " << r.position << ": " << r.outcome;
    if (r.outcome == "failed")
        std::cout << " (" << r.message() << ")";
    else
        std::cout << ", score " << r.score() << " after "
                  << get<std::uint32_t>(r.result, "attempts", 0) << " attempt(s)";
    std::cout << "\n";
    if (below) {
        std::cout << "  WARNING: " << r.position << " kept at score " << r.score()
                  << ", below the requested score";
        if (requested_score) std::cout << " " << requested_score;
        std::cout << " (the best frame at the timeout or the last attempt); capture it again if "
                     "the citizen can"
                  << std::endl;
    }
    std::cout << std::flush;
}

void EnrollView::summary(const std::vector<SummaryRow>& rows, const std::string& session,
                         const std::string& package, const std::string& sha256,
                         const std::string& contact_sheet) {
    if (mode_ == ViewMode::Json) {
        json_line({{"event", "summary"},
                   {"session", session},
                   {"package", package},
                   {"sha256", sha256},
                   {"captures", captures_json(rows)},
                   {"contact-sheet", contact_sheet}});
        return;
    }
    end_line();
    summary_table(rows);
    std::cout << "\npackage  " << package << "\nsha256   " << sha256 << "\n";
    if (!contact_sheet.empty()) std::cout << "contact sheet  " << contact_sheet << "\n";
}

void EnrollView::incomplete(const std::vector<SummaryRow>& rows, const std::string& session,
                            const std::vector<std::string>& missing) {
    if (mode_ == ViewMode::Json) {
        json_line({{"event", "incomplete"},
                   {"session", session},
                   {"missing", missing},
                   {"captures", captures_json(rows)}});
        return;
    }
    end_line();
    summary_table(rows);
    std::cout << "\nstill missing  " << join(missing) << "\n";
}

}  // namespace rekam::ctl
