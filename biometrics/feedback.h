// Feedback codes and the words a clerk or a citizen reads for them (Indonesian and English).
#pragma once

#include <string_view>

namespace rekam::bio {

struct FeedbackText {
    std::string_view code;
    std::string_view id;  // Bahasa Indonesia
    std::string_view en;
};

// The text for a feedback code; unknown codes get a generic text that still names the code.
FeedbackText feedback_text(std::string_view code);
// The same, preferring the texts of one modality ("signature") where a code is shared: the
// signature pad's too-small means "sign larger", not "lay the finger flatter".
FeedbackText feedback_text(std::string_view code, std::string_view modality);

}  // namespace rekam::bio
