// Videos: FFmpeg through OpenCV's VideoCapture, read frame by frame.
#include "internal.hpp"

#include <cctype>
#include <cstdlib>
#include <string>

using namespace cvn_detail;

namespace {
// Why: FFmpeg's demuxers open further URLs named inside a file (HLS and DASH playlists, concat lists, SDP,
// image sequences, tty text), so an uploaded "video" could make the server read its own files or reach its
// network, and a camera could send a playlist pointing anywhere. Every open in this process is limited to
// self-contained containers and camera stream formats, and to the protocols those need. OpenCV reads these
// options from OPENCV_FFMPEG_CAPTURE_OPTIONS at each open, so they are set once, before any thread runs, when
// the library loads; an operator's own options in that variable are kept, ours after them (they win).
constexpr const char *kFormats =
    "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,avi,mpegts,flv,asf,mpeg,mjpeg,mpjpeg,h264,hevc,rtsp";
constexpr const char *kProtocols = "file,rtsp,rtsps,rtp,srtp,tcp,udp,tls,http,https";

__attribute__((constructor)) void restrictFFmpeg() {
  // max_redirects 0: an HTTP camera's address is checked by the outbound policy before it is opened; a redirect
  // would take FFmpeg to an address nobody checked (a private one), so a 3xx answer fails the open instead.
  std::string options = std::string("rtsp_transport;tcp|max_redirects;0|format_whitelist;") + kFormats +
                        "|protocol_whitelist;" + kProtocols;
  if (const char *own = std::getenv("OPENCV_FFMPEG_CAPTURE_OPTIONS"); own && *own) {
    std::string theirs(own);
    // The operator may tune transports and timeouts, not widen what may be opened.
    if (theirs.find("whitelist") == std::string::npos) options = theirs + "|" + options;
  }
  setenv("OPENCV_FFMPEG_CAPTURE_OPTIONS", options.c_str(), 1);
}

bool hasPrefix(const std::string &s, const char *prefix) {
  std::string p(prefix);
  if (s.size() < p.size()) return false;
  for (size_t i = 0; i < p.size(); i++)
    if (std::tolower(static_cast<unsigned char>(s[i])) != p[i]) return false;
  return true;
}
}  // namespace

struct cvn_video {
  cv::VideoCapture capture;
  /// Degrees clockwise that turn a decoded frame upright (0, 90, 180 or 270), from the stream's metadata.
  int rotation = 0;
};

/// The clockwise turn that shows a stream's frames as players do. Phones record with the sensor's orientation and
/// a display rotation in the metadata. OpenCV 4.6 reports that rotation negated and its own automatic rotation
/// therefore turns such videos upside down (opencv/opencv#22088, fixed in 4.7), so frames are turned here.
static int upright_rotation(cv::VideoCapture &capture) {
  int meta = int(std::lround(capture.get(cv::CAP_PROP_ORIENTATION_META)));
  meta = ((meta % 360) + 360) % 360;
#if CV_VERSION_MAJOR == 4 && CV_VERSION_MINOR == 6
  meta = (360 - meta) % 360;
#endif
  return meta == 90 || meta == 180 || meta == 270 ? meta : 0;
}

extern "C" cvn_status cvn_video_open(const char *location, cvn_source source, cvn_video **out) {
  if (!location || !out) return fail(CVN_ERR_INVALID_ARGUMENT, "null argument");
  *out = nullptr;
  std::string path(location);
  if (source == CVN_SOURCE_FILE) {
    // `file:` makes FFmpeg treat the whole string as a local path, whatever it looks like.
    if (hasPrefix(path, "file://")) path = path.substr(7);
    if (path.empty() || path[0] != '/') return fail(CVN_ERR_INVALID_ARGUMENT, "a video file needs an absolute path");
    path = "file:" + path;
  } else if (source == CVN_SOURCE_NETWORK) {
    if (!hasPrefix(path, "rtsp://") && !hasPrefix(path, "rtsps://") && !hasPrefix(path, "http://") && !hasPrefix(path, "https://"))
      return fail(CVN_ERR_INVALID_ARGUMENT, "a camera stream must be rtsp://, rtsps://, http:// or https://");
  } else {
    return fail(CVN_ERR_INVALID_ARGUMENT, "unknown video source");
  }
  return guarded([&] {
    auto v = std::make_unique<cvn_video>();
    // Network sources must not block forever: opening and each read give up after 10 s.
    const std::vector<int> params{cv::CAP_PROP_OPEN_TIMEOUT_MSEC, 10000, cv::CAP_PROP_READ_TIMEOUT_MSEC, 10000};
    if (!v->capture.open(path, cv::CAP_FFMPEG, params) || !v->capture.isOpened())
      return fail(CVN_ERR_UNSUPPORTED_FORMAT, "not a video that can be decoded");
    v->capture.set(cv::CAP_PROP_ORIENTATION_AUTO, 0);
    v->rotation = upright_rotation(v->capture);
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
  const bool turned = video->rotation == 90 || video->rotation == 270;
  if (width) *width = int(c.get(turned ? cv::CAP_PROP_FRAME_HEIGHT : cv::CAP_PROP_FRAME_WIDTH));
  if (height) *height = int(c.get(turned ? cv::CAP_PROP_FRAME_WIDTH : cv::CAP_PROP_FRAME_HEIGHT));
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
    if (video->rotation == 90) cv::rotate(frame, frame, cv::ROTATE_90_CLOCKWISE);
    else if (video->rotation == 180) cv::rotate(frame, frame, cv::ROTATE_180);
    else if (video->rotation == 270) cv::rotate(frame, frame, cv::ROTATE_90_COUNTERCLOCKWISE);
    *out = new cvn_image{std::move(frame)};
    return CVN_OK;
  });
}

extern "C" void cvn_video_free(cvn_video *video) { delete video; }
