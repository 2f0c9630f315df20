// Shared by the CVision sources: error reporting, the image handle, and the perspective warp. Not part of the
// C interface (include/CVision.h).
#pragma once
#include "CVision.h"

#include <dlfcn.h>
#include <malloc.h>
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <mutex>
#include <new>
#include <climits>
#include <numeric>
#include <string>
#include <vector>
#include <opencv2/core.hpp>
#include <opencv2/core/utils/logger.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include "onnxruntime_c_api.h"

struct cvn_image {
  cv::Mat mat;
  /// The 64x48 grey thumbnail cvn_image_difference compares and cvn_image_levels measures, made once on first use: a
  /// video frame is compared with the frame before and the one after it (images never change once made).
  mutable std::once_flag thumbnail_once{};
  mutable cv::Mat thumbnail{};
};

namespace cvn_detail {
/// Sets this thread's error message (cvn_last_error) and returns `status`.
cvn_status fail(cvn_status status, const std::string &message);

/// Runs `body`, turning C++ exceptions into statuses: no exception crosses the C boundary.
template <typename F> cvn_status guarded(F &&body) {
  try {
    return body();
  } catch (const std::bad_alloc &) {
    return fail(CVN_ERR_INTERNAL, "out of memory");
  } catch (const cv::Exception &e) {
    return fail(CVN_ERR_INTERNAL, std::string("OpenCV: ") + e.what());
  } catch (const std::exception &e) {
    return fail(CVN_ERR_INTERNAL, e.what());
  } catch (...) {
    return fail(CVN_ERR_INTERNAL, "unknown C++ exception");
  }
}

/// Source points of the warp: a quad, or the whole image.
std::vector<cv::Point2f> source_quad(const cv::Mat &m, const float *quad);

/// `m` (or the quad of it) warped to w x h.
cv::Mat warp(const cv::Mat &m, const float *quad, int w, int h);
} // namespace cvn_detail
