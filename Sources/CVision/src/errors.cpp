// Errors: the per-thread message behind cvn_last_error, and OpenCV's own logging silenced.
#include "internal.hpp"

namespace {
thread_local std::string last_error;

struct SilenceOpenCV {
  SilenceOpenCV() { cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT); }
} silence_opencv;
} // namespace

cvn_status cvn_detail::fail(cvn_status status, const std::string &message) {
  last_error = message;
  return status;
}

extern "C" const char *cvn_last_error(void) { return last_error.c_str(); }
