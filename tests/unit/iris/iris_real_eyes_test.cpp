// Iris codes on real NIR eyes that were not used to build the segmentation's method: IIT Delhi's
// ten eyes (five captures each, 320x240). Every code must come out, and every pair of captures
// of one eye must be closer than every pair of different eyes.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "biometrics/iris/iris_code.h"
#include "biometrics/iris/quality.h"
#include "test_images.h"

namespace rekam::bio {
namespace {

struct Capture {
    std::string eye, file;
    iris::IrisCode code;
};

std::vector<Capture> iitd_captures() {
    std::vector<Capture> out;
    const auto root = testing::shared_data() / "iris" / "iitd_v1_subset";
    std::error_code ec;
    if (!std::filesystem::is_directory(root, ec)) return out;
    for (const auto& eye : std::filesystem::directory_iterator(root, ec)) {
        if (!eye.is_directory()) continue;
        const std::string name = eye.path().filename().string();
        for (const auto& f : testing::files_in("iris/iitd_v1_subset/" + name, {".bmp"}))
            out.push_back(
                {name, f.filename().string(), iris::encode(iris::analyse(testing::load_grey(f)))});
    }
    return out;
}

TEST(IrisRealEyes, IitdGenuineAndImpostorDistancesFullySeparated) {
    const auto captures = iitd_captures();
    if (captures.empty())
        GTEST_SKIP() << "no IIT Delhi eyes at " << testing::shared_data() / "iris/iitd_v1_subset"
                     << " (see ../shared/data/iris/PROVENANCE.md)";
    ASSERT_EQ(captures.size(), 50u);
    for (const Capture& c : captures) EXPECT_FALSE(c.code.empty()) << c.eye << "/" << c.file;
    double worst_genuine = 0, best_impostor = 1;
    std::string genuine_pair, impostor_pair;
    for (std::size_t i = 0; i < captures.size(); ++i)
        for (std::size_t j = i + 1; j < captures.size(); ++j) {
            const double hd = iris::distance(captures[i].code, captures[j].code);
            const std::string pair = captures[i].eye + "/" + captures[i].file + " " +
                                     captures[j].eye + "/" + captures[j].file;
            if (captures[i].eye == captures[j].eye && hd > worst_genuine)
                worst_genuine = hd, genuine_pair = pair;
            if (captures[i].eye != captures[j].eye && hd < best_impostor)
                best_impostor = hd, impostor_pair = pair;
        }
    EXPECT_LT(worst_genuine, best_impostor)
        << "largest genuine distance " << worst_genuine << " (" << genuine_pair
        << "), smallest impostor distance " << best_impostor << " (" << impostor_pair << ")";
}

}  // namespace
}  // namespace rekam::bio
