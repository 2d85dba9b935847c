// The measurement behind the detector choice (docs/face.md): OpenCV LBP (what rekam uses, on the
// frame reduced to 640 px), OpenCV Haar (full resolution) and dlib's HOG detector (full
// resolution) on every photo of ../shared/data/face: time per photo on one thread, photos with a
// face found (CPU time), and the annotated faces of dlib_faces/{training,testing}.xml found (IoU >=
// 0.3). Built only when libdlib-dev is installed: dlib is not a dependency of rekam.
#include <dlib/image_processing/frontal_face_detector.h>
#include <dlib/opencv/cv_image.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>
#include <regex>
#include <sstream>

#include "biometrics/face/detector.h"

namespace fs = std::filesystem;

namespace {

std::map<std::string, std::vector<cv::Rect>> truth(const fs::path& dir) {
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

int matched(const std::vector<cv::Rect>& want, const std::vector<cv::Rect>& got) {
    int n = 0;
    for (const cv::Rect& w : want)
        for (const cv::Rect& g : got)
            if ((w & g).area() >= 0.3 * (w | g).area()) {
                ++n;
                break;
            }
    return n;
}

// Thread CPU time: six builds share this machine, wall time would measure them too.
double now_ms() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

}  // namespace

int main() {
    cv::setNumThreads(1);
    const fs::path data = fs::path(REKAM_SHARED_DATA_DIR) / "face";
    std::vector<fs::path> files;
    for (const char* d : {"face_recognition", "dlib_faces"})
        if (fs::is_directory(data / d))
            for (const auto& e : fs::directory_iterator(data / d))
                if (e.path().extension() == ".jpg") files.push_back(e.path());
    if (files.empty()) {
        std::fprintf(stderr, "no photos under %s\n", data.c_str());
        return 1;
    }
    std::sort(files.begin(), files.end());
    const auto boxes = truth(data / "dlib_faces");

    rekam::bio::face::FaceDetector lbp;
    cv::CascadeClassifier haar(rekam::bio::face::cascade_directory() +
                               "/haarcascades/haarcascade_frontalface_default.xml");
    dlib::frontal_face_detector hog = dlib::get_frontal_face_detector();
    struct Tally {
        double ms = 0, mpx = 0;
        int photos = 0, faces = 0;
    } t[3];
    int annotated = 0;
    const char* names[3] = {"opencv-lbp (640 px)", "opencv-haar (full)", "dlib-hog (full)"};
    for (const fs::path& f : files) {
        const cv::Mat bgr = cv::imread(f.string());
        cv::Mat grey, eq;
        cv::cvtColor(bgr, grey, cv::COLOR_BGR2GRAY);
        std::vector<cv::Rect> got[3];
        double start = now_ms();
        for (const auto& d : lbp.detect(grey)) got[0].push_back(d.box);
        t[0].ms += now_ms() - start;
        start = now_ms();
        cv::equalizeHist(grey, eq);
        haar.detectMultiScale(eq, got[1], 1.1, 4, 0, cv::Size(24, 24));
        t[1].ms += now_ms() - start;
        start = now_ms();
        dlib::cv_image<unsigned char> img(grey);
        for (const auto& r : hog(img))
            got[2].emplace_back(static_cast<int>(r.left()), static_cast<int>(r.top()),
                                static_cast<int>(r.width()), static_cast<int>(r.height()));
        t[2].ms += now_ms() - start;
        const auto it = boxes.find(f.filename().string());
        if (it != boxes.end()) annotated += static_cast<int>(it->second.size());
        std::printf("%-30s %5.2f Mpx", f.filename().c_str(), grey.total() / 1e6);
        for (int i = 0; i < 3; ++i) {
            t[i].mpx += grey.total() / 1e6;
            t[i].photos += !got[i].empty();
            if (it != boxes.end()) t[i].faces += matched(it->second, got[i]);
            std::printf("  %zu", got[i].size());
        }
        std::printf("\n");
    }
    std::printf("\n%zu photos (%.1f Mpx), %d annotated faces in dlib_faces\n", files.size(),
                t[0].mpx, annotated);
    for (int i = 0; i < 3; ++i)
        std::printf(
            "%-20s  photos with a face %2d/%zu  annotated faces found %2d/%d  "
            "%.1f ms per photo, %.1f ms per Mpx\n",
            names[i], t[i].photos, files.size(), t[i].faces, annotated, t[i].ms / files.size(),
            t[i].ms / t[i].mpx);
}
