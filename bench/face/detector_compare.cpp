// The measurement behind the detector choice (docs/face.md): OpenCV's LBP and Haar frontal-face
// cascades and dlib's HOG frontal detector, each on the same photos reduced to the same longer
// side (never enlarged), one thread, CPU time of the detection alone (reduction included).
//
// Sets under ../shared/data/face:
//   caltech_faces_1999/         one frontal face per photo: photos with exactly one face, missed,
//                               and extra boxes (false positives);
//   face_recognition/obama*.jpg the frontal photos (not the partial-face crops), the same counts;
//   dlib_faces/                 annotated faces (testing.xml, training.xml) found with IoU >= 0.3,
//                               and boxes that match no annotated face (false positives).
// dlib comes from libdlib-dev (scripts/deps.sh), the cascades from opencv-data.
#include <dlib/image_processing/frontal_face_detector.h>
#include <dlib/opencv/cv_image.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>
#include <regex>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

// Where opencv-data installs the cascades; REKAM_OPENCV_DATA_DIR overrides it.
std::string cascade_directory() {
    const char* env = std::getenv("REKAM_OPENCV_DATA_DIR");
    return env && *env ? env : "/usr/share/opencv4";
}

std::map<std::string, std::vector<cv::Rect>> annotated_boxes(const fs::path& dir) {
    std::map<std::string, std::vector<cv::Rect>> out;
    for (const char* xml : {"training.xml", "testing.xml"}) {
        std::ifstream in(dir / xml);
        std::string line, file;
        const std::regex image("<image file='([^']+)'"),
            box("<box top='(-?\\d+)' left='(-?\\d+)' width='(\\d+)' height='(\\d+)'");
        std::smatch m;
        while (std::getline(in, line)) {
            if (std::regex_search(line, m, image)) file = m[1];
            if (std::regex_search(line, m, box))
                out[file].emplace_back(std::stoi(m[2]), std::stoi(m[1]), std::stoi(m[3]),
                                       std::stoi(m[4]));
        }
    }
    return out;
}

bool overlaps(const cv::Rect& a, const cv::Rect& b) {
    return (a & b).area() >= 0.3 * (a | b).area();
}

// Thread CPU time: other builds share this machine, wall time would measure them too.
double now_ms() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

struct Set {
    std::string name;
    std::vector<fs::path> files;
    bool one_face_each;  // false: count against the dlib_faces annotation
};

std::vector<fs::path> jpgs(const fs::path& dir, const std::string& prefix, const char* skip) {
    std::vector<fs::path> out;
    if (!fs::is_directory(dir)) return out;
    for (const auto& e : fs::directory_iterator(dir)) {
        const std::string n = e.path().filename().string();
        if (e.path().extension() == ".jpg" && n.rfind(prefix, 0) == 0 &&
            (!skip || n.find(skip) == std::string::npos))
            out.push_back(e.path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

using Detect = std::function<std::vector<cv::Rect>(const cv::Mat& grey)>;

struct Candidate {
    std::string name;
    int side;  // longer side of the image the detector sees
    Detect detect;
};

struct Tally {
    int photos = 0, exact = 0, missed = 0, extra = 0, truth = 0, found = 0;
    double ms = 0;
};

cv::Mat reduced(const cv::Mat& grey, int side, double& scale) {
    scale = std::min(1.0, static_cast<double>(side) / std::max(grey.cols, grey.rows));
    if (scale >= 1.0) return grey;
    cv::Mat small;
    cv::resize(grey, small, cv::Size(), scale, scale, cv::INTER_AREA);
    return small;
}

}  // namespace

int main(int argc, char** argv) {
    cv::setNumThreads(1);
    const fs::path data = argc > 1 ? fs::path(argv[1]) : fs::path(REKAM_SHARED_DATA_DIR) / "face";
    const std::vector<Set> sets = {
        {"caltech_faces_1999", jpgs(data / "caltech_faces_1999", "image_", nullptr), true},
        {"face_recognition frontal", jpgs(data / "face_recognition", "obama", "partial"), true},
        {"dlib_faces", jpgs(data / "dlib_faces", "", nullptr), false},
    };
    if (sets[0].files.empty() && sets[1].files.empty()) {
        std::fprintf(stderr, "no photos under %s\n", data.c_str());
        return 1;
    }
    const auto boxes = annotated_boxes(data / "dlib_faces");

    const std::string dir = cascade_directory();
    cv::CascadeClassifier lbp(dir + "/lbpcascades/lbpcascade_frontalface_improved.xml");
    cv::CascadeClassifier haar(dir + "/haarcascades/haarcascade_frontalface_default.xml");
    if (lbp.empty() || haar.empty()) {
        std::fprintf(stderr, "cascades missing under %s (opencv-data)\n", dir.c_str());
        return 1;
    }
    dlib::frontal_face_detector hog = dlib::get_frontal_face_detector();
    // The cascades as rekam ran LBP: equalised histogram, scale step 1.1, 4 neighbours.
    const auto cascade = [](cv::CascadeClassifier& c) {
        return [&c](const cv::Mat& grey) {
            cv::Mat eq;
            cv::equalizeHist(grey, eq);
            std::vector<cv::Rect> r;
            c.detectMultiScale(eq, r, 1.1, 4, 0, cv::Size(24, 24));
            return r;
        };
    };
    // The same detector with only its first filter (of five: front looking, left looking, right
    // looking, front rotated left, front rotated right): the HOG features are shared, the
    // convolutions are not.
    dlib::frontal_face_detector front(hog.get_scanner(), hog.get_overlap_tester(), hog.get_w(0));
    const auto dlib_detect = [](dlib::frontal_face_detector& d) {
        return [&d](const cv::Mat& grey) {
            std::vector<cv::Rect> r;
            for (const auto& b : d(dlib::cv_image<unsigned char>(grey)))
                r.emplace_back(static_cast<int>(b.left()), static_cast<int>(b.top()),
                               static_cast<int>(b.width()), static_cast<int>(b.height()));
            return r;
        };
    };
    const Detect dlib_hog = dlib_detect(hog), dlib_front = dlib_detect(front);
    const std::vector<Candidate> candidates = {
        {"opencv LBP improved", 640, cascade(lbp)},
        {"opencv Haar default", 640, cascade(haar)},
        {"dlib HOG frontal", 640, dlib_hog},
        {"opencv LBP improved", 480, cascade(lbp)},
        {"opencv Haar default", 480, cascade(haar)},
        {"dlib HOG frontal", 480, dlib_hog},
        {"dlib HOG frontal", 320, dlib_hog},
        {"dlib HOG, front filter only", 640, dlib_front},
        {"dlib HOG, front filter only", 480, dlib_front},
    };

    std::vector<std::vector<Tally>> t(candidates.size(), std::vector<Tally>(sets.size()));
    const bool verbose = std::getenv("REKAM_COMPARE_VERBOSE") != nullptr;
    for (std::size_t s = 0; s < sets.size(); ++s)
        for (const fs::path& f : sets[s].files) {
            const cv::Mat grey = cv::imread(f.string(), cv::IMREAD_GRAYSCALE);
            if (grey.empty()) continue;
            const auto it = boxes.find(f.filename().string());
            const std::vector<cv::Rect> want =
                it == boxes.end() ? std::vector<cv::Rect>{} : it->second;
            if (!sets[s].one_face_each && want.empty()) continue;
            if (verbose) std::printf("%-28s", f.filename().c_str());
            for (std::size_t c = 0; c < candidates.size(); ++c) {
                Tally& k = t[c][s];
                const double start = now_ms();
                double scale = 1;
                const cv::Mat small = reduced(grey, candidates[c].side, scale);
                std::vector<cv::Rect> got = candidates[c].detect(small);
                k.ms += now_ms() - start;
                for (cv::Rect& r : got)
                    r = cv::Rect(
                        cv::Point(static_cast<int>(r.x / scale), static_cast<int>(r.y / scale)),
                        cv::Size(static_cast<int>(r.width / scale),
                                 static_cast<int>(r.height / scale)));
                ++k.photos;
                if (verbose) std::printf(" %zu", got.size());
                if (sets[s].one_face_each) {
                    k.exact += got.size() == 1;
                    k.missed += got.empty();
                    k.extra += got.empty() ? 0 : static_cast<int>(got.size()) - 1;
                    continue;
                }
                k.truth += static_cast<int>(want.size());
                for (const cv::Rect& w : want)
                    k.found += std::any_of(got.begin(), got.end(),
                                           [&](const cv::Rect& g) { return overlaps(w, g); });
                for (const cv::Rect& g : got)
                    k.extra += std::none_of(want.begin(), want.end(),
                                            [&](const cv::Rect& w) { return overlaps(w, g); });
            }
            if (verbose) std::printf("\n");
        }

    // A camera frame: the 1080p photo, 20 runs per candidate.
    const cv::Mat frame =
        cv::imread((data / "face_recognition/obama-1080p.jpg").string(), cv::IMREAD_GRAYSCALE);
    std::vector<double> frame_ms(candidates.size(), 0.0);
    if (!frame.empty())
        for (std::size_t c = 0; c < candidates.size(); ++c) {
            const double start = now_ms();
            for (int i = 0; i < 20; ++i) {
                double scale = 1;
                (void)candidates[c].detect(reduced(frame, candidates[c].side, scale));
            }
            frame_ms[c] = (now_ms() - start) / 20;
        }

    std::printf("| detector | long side | ");
    for (const Set& s : sets)
        std::printf(s.one_face_each ? "%s: one face / missed / extra | " : "%s: found / extra | ",
                    s.name.c_str());
    std::printf("CPU ms per photo | CPU ms per 1080p frame |\n|---|---|");
    for (std::size_t s = 0; s < sets.size(); ++s) std::printf("---|");
    std::printf("---|---|\n");
    for (std::size_t c = 0; c < candidates.size(); ++c) {
        std::printf("| %s | %d | ", candidates[c].name.c_str(), candidates[c].side);
        double ms = 0;
        int photos = 0;
        for (std::size_t s = 0; s < sets.size(); ++s) {
            const Tally& k = t[c][s];
            if (sets[s].one_face_each)
                std::printf("%d of %d / %d / %d | ", k.exact, k.photos, k.missed, k.extra);
            else
                std::printf("%d of %d / %d | ", k.found, k.truth, k.extra);
            ms += k.ms;
            photos += k.photos;
        }
        std::printf("%.1f | %.1f |\n", photos ? ms / photos : 0.0, frame_ms[c]);
    }
}
