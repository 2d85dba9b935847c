// Eye centres against human annotation: dlib_faces/*_with_face_landmarks.xml (iBUG 300-W points,
// 36-41 around the image-left eye, 42-47 around the image-right eye) on every annotated face the
// detector finds. These in-the-wild faces are small (37-110 px), far under an enrolment photo.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <opencv2/imgproc.hpp>
#include <regex>

#include "biometrics/face/detector.h"
#include "test_images.h"

namespace rekam::bio::face {
namespace {

struct Annotated {
    std::string file;
    cv::Rect box;
    cv::Point2d right_eye, left_eye;  // image left, image right
};

std::vector<Annotated> annotations() {
    std::vector<Annotated> out;
    const auto dir = testing::shared_data() / "face/dlib_faces";
    for (const char* xml :
         {"training_with_face_landmarks.xml", "testing_with_face_landmarks.xml"}) {
        std::ifstream in(dir / xml);
        const std::regex image("<image file='([^']+)'"),
            box("<box top='(-?\\d+)' left='(-?\\d+)' width='(\\d+)' height='(\\d+)'"),
            part("<part name='(\\d+)' x='(-?\\d+)' y='(-?\\d+)'");
        std::string line, file;
        std::smatch m;
        while (std::getline(in, line)) {
            if (std::regex_search(line, m, image)) file = m[1];
            if (std::regex_search(line, m, box))
                out.push_back({file,
                               {std::stoi(m[2]), std::stoi(m[1]), std::stoi(m[3]), std::stoi(m[4])},
                               {},
                               {}});
            if (std::regex_search(line, m, part) && !out.empty()) {
                const int n = std::stoi(m[1]);
                const cv::Point2d p(std::stoi(m[2]), std::stoi(m[3]));
                if (n >= 36 && n <= 41) out.back().right_eye += p / 6.0;
                if (n >= 42 && n <= 47) out.back().left_eye += p / 6.0;
            }
        }
    }
    return out;
}

TEST(FaceLandmarks, EyeCentresAgreeWithTheAnnotation) {
    const auto all = annotations();
    if (all.empty()) GTEST_SKIP() << "no dlib_faces landmarks under " << testing::shared_data();
    FaceDetector detector;
    std::map<std::string, std::vector<DetectedFace>> found;
    int compared = 0;
    int within = 0;
    for (const Annotated& a : all) {
        if (!found.count(a.file)) {
            const Image img =
                testing::load_grey(testing::shared_data() / "face/dlib_faces" / a.file);
            found[a.file] =
                img.empty() ? std::vector<DetectedFace>{} : detector.detect(testing::as_mat(img));
        }
        for (const DetectedFace& f : found[a.file]) {
            const cv::Rect b(f.box);
            if ((b & a.box).area() < 0.3 * (b | a.box).area() || !f.eyes_found) continue;
            const double d = cv::norm(a.left_eye - a.right_eye);
            const double err =
                std::max(cv::norm(f.right_eye - a.right_eye), cv::norm(f.left_eye - a.left_eye)) /
                d;
            std::printf("%s face %dx%d: eye error %.2f of the inter-eye distance (%.0f px)\n",
                        a.file.c_str(), a.box.width, a.box.height, err, d);
            within += err <= 0.25;
            ++compared;
        }
    }
    EXPECT_GE(compared, 5);
    // The BioID "me" measure: <= 0.25 of the inter-eye distance counts as the eye found. On these
    // small, partly turned faces (27-37 px between the eyes) 5 of 6 are; keep it at 80 %.
    EXPECT_GE(within, 0.8 * compared) << within << " of " << compared;
}

}  // namespace
}  // namespace rekam::bio::face
