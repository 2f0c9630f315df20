// Errors: the per-thread message behind cvn_last_error; OpenCV's own logging silenced and its own threads off.
#include "internal.hpp"

namespace {
thread_local std::string last_error;

struct SetUpOpenCV {
  SetUpOpenCV() {
    cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
    // The callers already run one image per core (the inference pool); OpenCV splitting each resize and warp
    // over its own thread pool as well only adds hand-offs between threads (measured: docs/benchmarks.md).
    cv::setNumThreads(1);
  }
} set_up_opencv;
} // namespace

cvn_status cvn_detail::fail(cvn_status status, const std::string &message) {
  last_error = message;
  return status;
}

extern "C" const char *cvn_last_error(void) { return last_error.c_str(); }
