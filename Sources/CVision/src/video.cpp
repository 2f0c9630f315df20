// Videos: FFmpeg through OpenCV's VideoCapture, read frame by frame.
#include "internal.hpp"

using namespace cvn_detail;

struct cvn_video {
  cv::VideoCapture capture;
};

extern "C" cvn_status cvn_video_open(const char *path, cvn_video **out) {
  if (!path || !out) return fail(CVN_ERR_INVALID_ARGUMENT, "null argument");
  *out = nullptr;
  return guarded([&] {
    auto v = std::make_unique<cvn_video>();
    // Network sources must not block forever: opening and each read give up after 10 s.
    const std::vector<int> params{cv::CAP_PROP_OPEN_TIMEOUT_MSEC, 10000, cv::CAP_PROP_READ_TIMEOUT_MSEC, 10000};
    if (!v->capture.open(path, cv::CAP_FFMPEG, params) || !v->capture.isOpened())
      return fail(CVN_ERR_UNSUPPORTED_FORMAT, "not a video that can be decoded");
    if (v->capture.get(cv::CAP_PROP_FRAME_WIDTH) <= 0 || v->capture.get(cv::CAP_PROP_FRAME_HEIGHT) <= 0)
      return fail(CVN_ERR_CORRUPT_IMAGE, "video has no decodable picture");
    *out = v.release();
    return CVN_OK;
  });
}

extern "C" void cvn_video_info(const cvn_video *video, double *fps, int64_t *frames, int *width, int *height) {
  auto &c = const_cast<cv::VideoCapture &>(video->capture);
  if (fps) *fps = c.get(cv::CAP_PROP_FPS);
  if (frames) *frames = int64_t(std::max(0.0, c.get(cv::CAP_PROP_FRAME_COUNT)));
  if (width) *width = int(c.get(cv::CAP_PROP_FRAME_WIDTH));
  if (height) *height = int(c.get(cv::CAP_PROP_FRAME_HEIGHT));
}

extern "C" cvn_status cvn_video_next(cvn_video *video, int skip, cvn_image **out, double *millis) {
  if (!video || !out) return fail(CVN_ERR_INVALID_ARGUMENT, "null argument");
  *out = nullptr;
  return guarded([&] {
    for (int i = 0; i < skip; i++)
      if (!video->capture.grab()) return CVN_OK;
    cv::Mat frame;
    if (!video->capture.read(frame) || frame.empty()) return CVN_OK;
    if (millis) *millis = video->capture.get(cv::CAP_PROP_POS_MSEC);
    if (frame.channels() == 1) cv::cvtColor(frame, frame, cv::COLOR_GRAY2BGR);
    *out = new cvn_image{std::move(frame)};
    return CVN_OK;
  });
}

extern "C" void cvn_video_free(cvn_video *video) { delete video; }
