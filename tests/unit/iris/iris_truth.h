// Independent ground truth for the pupil and limbus circles of the development iris images in
// shared/data/iris/ (file paths relative to it). Values are in input pixels, one decimal.
//
// Made by tests/eval/iris_truth.cpp (see tests/eval/iris-truth.md), a standalone brute-force
// integro-differential search written from scratch; it shares no code with biometrics/iris.
//   - Image lightly blurred (Gaussian sigma 1.0 px at 640x480, 0.7 px at 320x240).
//   - Score of a circle: mean over usable angles of the radial dark-to-bright step (mean of the
//     band just outside minus the band just inside; pupil band 3/2 px, limbus band 8/4 px).
//   - Every centre on a 0.5 px grid and every radius on a 0.25 px grid in the window.
//   - Specular highlights (near-white top-hat, dilated) dropped; in a second, equally exhaustive
//     pass the angles whose outside is eyelash-dark are dropped (decided once per angle).
//   - Pupil: all 360 angles. Limbus: lateral arcs only (-30..+45 and 135..210 deg, y down),
//     radius 1.5..5 pupil radii, centre within 12 % of the radius of the pupil centre.
// Command:
//   g++ -O2 -std=c++20 tests/eval/iris_truth.cpp $(pkg-config --cflags --libs opencv4)
//       -Wno-deprecated-enum-enum-conversion -o /tmp/iris_truth
//   /tmp/iris_truth /work/shared/data/iris /tmp/iris-truth > rows.txt   (about 7 min)
// Every overlay was checked by eye (all 55 at 320 px wide on a contact sheet; 12 enlarged, the
// CASIA pupils on 12x crops); none needed a hand correction (how = "search" throughout).
// Uncertainty: pupil centre and radius +-0.5 px; limbus radius +-2 px, centre x +-2 px, centre y
// +-4 px (lateral arcs constrain it least). On CASIA the limbus is the middle of a 12-15 px
// ramp, 3-5 px outside the dark rim of the iris seen by eye.
#pragma once

namespace rekam::testing {

struct IrisTruth {
    const char* file;  // relative to shared data iris/
    double pupil_x, pupil_y, pupil_r, iris_x, iris_y, iris_r;
    const char* how;  // "search" or "hand: reason"
};

inline constexpr IrisTruth kIrisTruth[] = {
    {"casia_irisv2/0000_000.bmp", 329.5, 241.0, 26.6, 324.5, 244.5, 84.6, "search"},
    {"casia_irisv2/0000_001.bmp", 332.5, 234.5, 28.0, 327.5, 240.0, 85.5, "search"},
    {"casia_irisv2/0000_002.bmp", 327.5, 236.5, 26.8, 322.5, 243.5, 83.6, "search"},
    {"casia_irisv2/0000_003.bmp", 331.0, 246.0, 25.5, 325.5, 254.0, 83.8, "search"},
    {"iitd_v1_subset/014_L/01_L.bmp", 123.0, 112.5, 35.8, 112.5, 110.0, 108.5, "search"},
    {"iitd_v1_subset/014_L/02_L.bmp", 118.5, 107.0, 37.3, 108.0, 104.5, 108.5, "search"},
    {"iitd_v1_subset/014_L/03_L.bmp", 122.0, 100.5, 38.1, 112.0, 97.5, 108.2, "search"},
    {"iitd_v1_subset/014_L/04_L.bmp", 122.5, 98.0, 38.9, 113.0, 94.5, 107.6, "search"},
    {"iitd_v1_subset/014_L/05_L.bmp", 119.0, 100.5, 40.1, 110.0, 99.0, 106.5, "search"},
    {"iitd_v1_subset/014_R/06_R.bmp", 142.5, 115.5, 34.6, 147.5, 119.0, 104.6, "search"},
    {"iitd_v1_subset/014_R/07_R.bmp", 147.0, 104.5, 36.1, 152.5, 106.0, 104.6, "search"},
    {"iitd_v1_subset/014_R/08_R.bmp", 148.0, 104.5, 37.4, 153.5, 107.5, 104.6, "search"},
    {"iitd_v1_subset/014_R/09_R.bmp", 149.0, 99.5, 38.1, 154.0, 103.5, 104.5, "search"},
    {"iitd_v1_subset/014_R/10_R.bmp", 145.0, 99.5, 40.1, 149.5, 102.5, 104.5, "search"},
    {"iitd_v1_subset/015_L/01_L.bmp", 167.0, 111.0, 41.7, 163.5, 116.5, 102.1, "search"},
    {"iitd_v1_subset/015_L/02_L.bmp", 167.0, 112.0, 42.5, 163.5, 119.0, 102.2, "search"},
    {"iitd_v1_subset/015_L/03_L.bmp", 172.0, 101.0, 43.2, 169.0, 106.0, 101.9, "search"},
    {"iitd_v1_subset/015_L/04_L.bmp", 179.5, 102.0, 44.4, 172.5, 105.5, 104.9, "search"},
    {"iitd_v1_subset/015_L/05_L.bmp", 179.0, 103.0, 44.4, 175.5, 107.5, 101.6, "search"},
    {"iitd_v1_subset/015_R/06_R.bmp", 147.5, 97.0, 36.9, 151.0, 99.0, 104.3, "search"},
    {"iitd_v1_subset/015_R/07_R.bmp", 137.5, 95.5, 37.1, 142.0, 98.5, 104.2, "search"},
    {"iitd_v1_subset/015_R/08_R.bmp", 113.5, 87.0, 38.7, 117.0, 89.0, 104.1, "search"},
    {"iitd_v1_subset/015_R/09_R.bmp", 114.0, 97.0, 38.4, 118.0, 99.0, 104.3, "search"},
    {"iitd_v1_subset/015_R/10_R.bmp", 110.0, 98.0, 39.0, 113.0, 97.0, 104.7, "search"},
    {"iitd_v1_subset/016_L/01_L.bmp", 160.5, 121.5, 34.1, 157.0, 122.0, 100.6, "search"},
    {"iitd_v1_subset/016_L/02_L.bmp", 155.0, 120.0, 35.3, 152.0, 120.5, 100.5, "search"},
    {"iitd_v1_subset/016_L/03_L.bmp", 156.5, 117.0, 36.6, 153.5, 117.5, 100.5, "search"},
    {"iitd_v1_subset/016_L/04_L.bmp", 148.5, 123.0, 36.9, 145.5, 123.5, 100.3, "search"},
    {"iitd_v1_subset/016_L/05_L.bmp", 148.5, 123.0, 37.1, 145.5, 123.0, 100.5, "search"},
    {"iitd_v1_subset/016_R/06_R.bmp", 144.5, 121.0, 29.6, 150.0, 123.0, 98.2, "search"},
    {"iitd_v1_subset/016_R/07_R.bmp", 143.5, 123.0, 28.5, 150.0, 125.0, 98.3, "search"},
    {"iitd_v1_subset/016_R/08_R.bmp", 143.5, 119.5, 29.6, 149.0, 121.5, 98.0, "search"},
    {"iitd_v1_subset/016_R/09_R.bmp", 146.5, 115.5, 30.1, 152.5, 117.5, 98.0, "search"},
    {"iitd_v1_subset/016_R/10_R.bmp", 131.0, 117.5, 29.4, 136.0, 120.5, 97.1, "search"},
    {"iitd_v1_subset/017_L/01_L.bmp", 182.0, 82.0, 46.4, 179.5, 70.0, 108.1, "search"},
    {"iitd_v1_subset/017_L/02_L.bmp", 188.5, 76.0, 46.5, 188.0, 70.5, 106.2, "search"},
    {"iitd_v1_subset/017_L/03_L.bmp", 189.5, 75.5, 47.5, 188.5, 69.0, 104.7, "search"},
    {"iitd_v1_subset/017_L/04_L.bmp", 190.0, 76.0, 47.2, 188.5, 69.5, 105.1, "search"},
    {"iitd_v1_subset/017_L/05_L.bmp", 169.0, 77.5, 46.9, 168.0, 73.5, 104.4, "search"},
    {"iitd_v1_subset/017_R/06_R.bmp", 181.5, 143.5, 45.7, 184.5, 142.0, 101.0, "search"},
    {"iitd_v1_subset/017_R/07_R.bmp", 180.0, 131.0, 45.7, 183.0, 134.5, 97.3, "search"},
    {"iitd_v1_subset/017_R/08_R.bmp", 184.0, 133.0, 45.2, 186.5, 138.5, 96.3, "search"},
    {"iitd_v1_subset/017_R/09_R.bmp", 193.0, 129.0, 43.7, 196.5, 136.0, 95.6, "search"},
    {"iitd_v1_subset/017_R/10_R.bmp", 194.0, 126.5, 44.2, 198.0, 135.0, 94.0, "search"},
    {"iitd_v1_subset/018_L/01_L.bmp", 137.0, 127.5, 36.4, 132.0, 126.5, 101.8, "search"},
    {"iitd_v1_subset/018_L/02_L.bmp", 137.5, 124.5, 37.6, 132.5, 123.5, 102.5, "search"},
    {"iitd_v1_subset/018_L/03_L.bmp", 137.0, 126.5, 37.4, 132.5, 122.5, 102.8, "search"},
    {"iitd_v1_subset/018_L/04_L.bmp", 139.0, 126.5, 37.4, 135.0, 123.0, 102.3, "search"},
    {"iitd_v1_subset/018_L/05_L.bmp", 142.0, 126.5, 35.8, 138.5, 124.0, 101.0, "search"},
    {"iitd_v1_subset/018_R/06_R.bmp", 169.5, 134.0, 39.2, 173.0, 134.0, 102.4, "search"},
    {"iitd_v1_subset/018_R/07_R.bmp", 168.0, 134.5, 39.5, 171.0, 131.5, 102.0, "search"},
    {"iitd_v1_subset/018_R/08_R.bmp", 168.5, 138.0, 40.7, 172.0, 136.5, 103.1, "search"},
    {"iitd_v1_subset/018_R/09_R.bmp", 166.0, 138.5, 40.2, 168.5, 136.5, 102.6, "search"},
    {"iitd_v1_subset/018_R/10_R.bmp", 162.5, 141.5, 41.2, 166.0, 140.5, 102.1, "search"},
    {"openiris/anonymized.png", 328.5, 233.0, 63.5, 324.0, 235.0, 121.0, "search"},
};

}  // namespace rekam::testing
