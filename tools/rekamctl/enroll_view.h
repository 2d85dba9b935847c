// What `rekamctl enroll` shows while it works, like an operator's screen: the position to
// present (Indonesian and English), live feedback and the score as it climbs, a warning for a
// sample kept below its requested score, and a summary table. Three forms of the same events:
// a line that redraws on a terminal, plain lines for a pipe or a log, JSON lines for scripts.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tools/client/session_client.h"

namespace rekam::ctl {

enum class ViewMode {
    Terminal,  // stdout is a TTY: the progress line redraws in place (\r)
    Lines,     // a pipe or a file: one plain line per change
    Json,      // one JSON object per line, each with "event"
};

// The position to present, as the operator says it to the citizen.
struct Prompt {
    std::string_view id;  // Indonesian
    std::string_view en;  // English
};
Prompt prompt_for(std::string_view position);

// One line of the summary: a capture's end or an exception marked.
struct SummaryRow {
    std::string position;
    std::string outcome;  // accepted, best-attempt, failed, cancelled, or "exception"
    std::uint32_t score = 0;
    std::uint32_t attempts = 0;
    std::string detail;  // the exception's reason, or why a capture failed (its message)
};

class EnrollView {
  public:
    explicit EnrollView(ViewMode mode) : mode_(mode) {}
    ~EnrollView();
    EnrollView(const EnrollView&) = delete;
    EnrollView& operator=(const EnrollView&) = delete;

    void session(const std::string& path);
    void prompt(const std::string& position);
    void progress(const client::Progress& p);
    // `requested_score`: the --requested-score given, 0 when the station's default applies.
    void finished(const client::CaptureResult& r, std::uint32_t requested_score);
    void summary(const std::vector<SummaryRow>& rows, const std::string& session,
                 const std::string& package, const std::string& sha256,
                 const std::string& contact_sheet);
    // What was taken when positions are still missing after every round.
    void incomplete(const std::vector<SummaryRow>& rows, const std::string& session,
                    const std::vector<std::string>& missing);

  private:
    void end_line();  // a redrawn line is finished before anything else is printed

    ViewMode mode_;
    bool line_open_ = false;  // a progress line waits for its redraw (Terminal)
    std::string last_;        // the last progress text (Lines: print only changes)
};

}  // namespace rekam::ctl
