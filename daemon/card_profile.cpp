#include "daemon/card_profile.h"

#include <algorithm>
#include <cstdio>

#include "biometrics/face/card_portrait.h"
#include "biometrics/records/finger_minutiae_card.h"
#include "biometrics/signature/card_image.h"
#include "daemon/sample_record.h"
#include "daemon/session.h"

namespace rekam {
namespace {

// Each hand's template slot and the fingers that may fill it, in order.
struct Slot {
    const char* part;
    std::vector<const char*> fingers;
};
const Slot kTemplateSlots[] = {
    {"right-index-template", {"right-index", "right-thumb", "right-middle"}},
    {"left-index-template", {"left-index", "left-thumb", "left-middle"}},
};

const Sample* find_sample(const std::vector<const Sample*>& samples, std::string_view position) {
    for (const Sample* s : samples)
        if (s->position->name == position) return s;
    return nullptr;
}

void add_template(const Slot& slot, const std::vector<const Sample*>& samples,
                  const CardConfig& config, CardContent& card) {
    pkg::CardPart part;
    part.part = slot.part;
    for (const char* finger : slot.fingers) {
        const Sample* s = find_sample(samples, finger);
        if (!s || !s->minutiae) continue;
        const auto view =
            bio::make_minutiae_view(*s->minutiae, s->position->iso_code, s->quality.score);
        part.file = std::string(pkg::kCardDir) + slot.part + ".cmp";
        part.format = std::string(pkg::kCompactCardFormat);
        part.position = finger;
        if (finger != slot.fingers.front())
            part.note =
                std::string(slot.fingers.front()) + " is excepted: " + finger + " stands in for it";
        card.files.push_back(
            {part.file, bio::encode_compact_card(view, s->minutiae->ppi, config.max_minutiae)});
        break;
    }
    if (part.file.empty())
        part.note = "no finger of this hand could be captured: the slot is empty";
    card.info.parts.push_back(std::move(part));
}

// The signature image goes before the portrait: it has a fixed budget of its own, the portrait
// takes whatever room is left. Adds its bytes to `used`.
void add_signature(const Sample* sample, std::size_t& used, CardContent& card) {
    pkg::CardPart part;
    part.part = "signature";
    if (!sample || !sample->pen) {
        part.note = "the citizen is excepted from signing: the slot is empty";
        card.info.parts.push_back(std::move(part));
        return;
    }
    const auto made = bio::signature::make_card_signature(*sample->pen);
    if (!made)
        throw CardOverBudget("the signature does not fit the card's " +
                             std::to_string(bio::signature::kCardSignatureBudget) +
                             " bytes even as a coarse bilevel image");
    part.position = "signature";
    part.file = std::string(pkg::kCardDir) + "signature.png";
    part.format = std::string(pkg::kCardSignatureFormat);
    char note[80];
    std::snprintf(note, sizeof note, "%dx%d %s ink at %.0f px/mm", made->width, made->height,
                  made->bilevel ? "bilevel" : "grey", made->px_per_mm);
    part.note = note;
    used += made->bytes.size();
    card.files.push_back({part.file, made->bytes});
    card.info.parts.push_back(std::move(part));
}

}  // namespace

CardContent make_card(const std::vector<const Sample*>& samples, const CardConfig& config) {
    CardContent card;
    card.info.budget = config.budget;
    card.info.reserved = config.reserved;
    card.info.max_minutiae = config.max_minutiae;
    for (const auto& slot : kTemplateSlots) add_template(slot, samples, config, card);
    std::size_t used = static_cast<std::size_t>(config.reserved);
    for (const auto& f : card.files) used += f.bytes.size();

    add_signature(find_sample(samples, "signature"), used, card);

    pkg::CardPart portrait;
    portrait.part = "portrait";
    portrait.position = "face";
    const Sample* face = find_sample(samples, "face");
    if (!face) throw CardOverBudget("the enrollment has no portrait for the card");
    const std::size_t room = used < static_cast<std::size_t>(config.budget)
                                 ? static_cast<std::size_t>(config.budget) - used
                                 : 0;
    const auto made =
        bio::face::make_card_portrait(decode_sample_image(face->records.front()), room);
    if (!made)
        throw CardOverBudget(
            "the chip's " + std::to_string(config.budget) + " bytes less " + std::to_string(used) +
            " for the reserve, the templates and the signature leave " + std::to_string(room) +
            " for the portrait: too few for even a 240-px JPEG 2000 ([Card] "
            "Budget=, Reserved=, MaxMinutiae=)");
    portrait.file = std::string(pkg::kCardDir) + "portrait.jp2";
    portrait.format = std::string(pkg::kCardPortraitFormat);
    char note[64];
    std::snprintf(note, sizeof note, "%dx%d token image, %.1f dB PSNR", made->width, made->height,
                  made->psnr);
    portrait.note = note;
    card.files.push_back({portrait.file, made->jp2});
    card.info.parts.push_back(std::move(portrait));

    pkg::seal_card(card.info, card.files);
    if (card.info.total > card.info.budget)
        throw CardOverBudget("the card holds " + std::to_string(card.info.total) +
                             " bytes, over the chip's " + std::to_string(card.info.budget));
    return card;
}

}  // namespace rekam
