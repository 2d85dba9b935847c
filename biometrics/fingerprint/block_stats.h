// Per-block statistics of a grey image: the building blocks of the fingerprint quality measure.
#pragma once

#include <opencv2/core.hpp>

namespace rekam::bio::fingerprint {

// One value per block (rows x cols = image / block, remainder cropped), CV_32F.
struct BlockStats {
    cv::Mat mean;  // grey mean
    cv::Mat std;   // grey standard deviation
    cv::Mat ocl;   // orientation certainty 1 - l2/l1 of the gradient structure tensor, 0-1
};

// `grey` is CV_8U; `block` > 0. Image smaller than one block gives empty matrices.
BlockStats block_stats(const cv::Mat& grey, int block);

}  // namespace rekam::bio::fingerprint
