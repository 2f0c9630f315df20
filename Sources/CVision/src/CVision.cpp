// CVision implementation: OpenCV for decoding and geometry, ONNX Runtime (loaded with dlopen) for inference.
#include "CVision.h"

#include <dlfcn.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <climits>
#include <numeric>
#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/core/utils/logger.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include "onnxruntime_c_api.h"

namespace {
thread_local std::string last_error;

cvn_status fail(cvn_status status, const std::string &message) {
  last_error = message;
  return status;
}

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

uint32_t be16(const uint8_t *p) { return (uint32_t(p[0]) << 8) | p[1]; }
uint32_t be32(const uint8_t *p) { return (be16(p) << 16) | be16(p + 2); }
uint32_t le16(const uint8_t *p) { return uint32_t(p[0]) | (uint32_t(p[1]) << 8); }
uint32_t le24(const uint8_t *p) { return le16(p) | (uint32_t(p[2]) << 16); }
uint32_t le32(const uint8_t *p) { return le24(p) | (uint32_t(p[3]) << 24); }

cvn_status probe(const uint8_t *d, size_t n, cvn_format *format, int *width, int *height) {
  *format = CVN_FORMAT_UNKNOWN;
  *width = *height = 0;
  if (n == 0) return fail(CVN_ERR_EMPTY_INPUT, "empty input");
  if (n >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF) {
    *format = CVN_FORMAT_JPEG;
    size_t i = 2;
    while (i + 4 <= n) {
      if (d[i] != 0xFF) return fail(CVN_ERR_CORRUPT_IMAGE, "JPEG: bad marker structure");
      uint8_t m = d[i + 1];
      if (m == 0xFF) { i++; continue; }
      if (m == 0xD8 || (m >= 0xD0 && m <= 0xD7) || m == 0x01) { i += 2; continue; }
      uint32_t len = be16(d + i + 2);
      if (len < 2) return fail(CVN_ERR_CORRUPT_IMAGE, "JPEG: bad segment length");
      bool sof = m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
      if (sof) {
        if (i + 9 > n) break;
        *height = int(be16(d + i + 5));
        *width = int(be16(d + i + 7));
        if (*width == 0 || *height == 0) return fail(CVN_ERR_CORRUPT_IMAGE, "JPEG: zero size");
        return CVN_OK;
      }
      if (m == 0xDA || m == 0xD9) break;
      i += 2 + len;
    }
    return fail(CVN_ERR_CORRUPT_IMAGE, "JPEG: truncated before its frame header");
  }
  if (n >= 8 && std::memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0) {
    *format = CVN_FORMAT_PNG;
    if (n < 24 || std::memcmp(d + 12, "IHDR", 4) != 0) return fail(CVN_ERR_CORRUPT_IMAGE, "PNG: truncated header");
    *width = int(std::min<uint32_t>(be32(d + 16), INT32_MAX));
    *height = int(std::min<uint32_t>(be32(d + 20), INT32_MAX));
    if (*width == 0 || *height == 0) return fail(CVN_ERR_CORRUPT_IMAGE, "PNG: zero size");
    return CVN_OK;
  }
  if (n >= 12 && std::memcmp(d, "RIFF", 4) == 0 && std::memcmp(d + 8, "WEBP", 4) == 0) {
    *format = CVN_FORMAT_WEBP;
    if (n < 30) return fail(CVN_ERR_CORRUPT_IMAGE, "WebP: truncated header");
    if (std::memcmp(d + 12, "VP8 ", 4) == 0) {
      *width = int(le16(d + 26) & 0x3FFF);
      *height = int(le16(d + 28) & 0x3FFF);
    } else if (std::memcmp(d + 12, "VP8L", 4) == 0) {
      uint32_t b = le32(d + 21);
      *width = int((b & 0x3FFF) + 1);
      *height = int(((b >> 14) & 0x3FFF) + 1);
    } else if (std::memcmp(d + 12, "VP8X", 4) == 0) {
      *width = int(le24(d + 24) + 1);
      *height = int(le24(d + 27) + 1);
    } else {
      return fail(CVN_ERR_CORRUPT_IMAGE, "WebP: unknown chunk");
    }
    if (*width == 0 || *height == 0) return fail(CVN_ERR_CORRUPT_IMAGE, "WebP: zero size");
    return CVN_OK;
  }
  if (n >= 2 && d[0] == 'B' && d[1] == 'M') {
    *format = CVN_FORMAT_BMP;
    if (n < 26) return fail(CVN_ERR_CORRUPT_IMAGE, "BMP: truncated header");
    int32_t w = int32_t(le32(d + 18)), h = int32_t(le32(d + 22));
    if (w <= 0 || h == 0 || h == INT32_MIN) return fail(CVN_ERR_CORRUPT_IMAGE, "BMP: bad size");
    *width = w;
    *height = h < 0 ? -h : h;
    return CVN_OK;
  }
  return fail(CVN_ERR_UNSUPPORTED_FORMAT, "not a JPEG, PNG, WebP or BMP image");
}

bool jpeg_complete(const uint8_t *d, size_t n) {
  // A complete JPEG ends with EOI (FFD9), possibly followed by a little padding.
  size_t from = n > 4096 ? n - 4096 : 0;
  for (size_t i = n - 1; i > from; i--)
    if (d[i - 1] == 0xFF && d[i] == 0xD9) return true;
  return false;
}

/// Whether the container's own framing says the data is all there (decoders print noise on truncated data).
const char *truncation(cvn_format format, const uint8_t *d, size_t n) {
  switch (format) {
  case CVN_FORMAT_JPEG:
    return jpeg_complete(d, n) ? nullptr : "JPEG is truncated (no end-of-image marker)";
  case CVN_FORMAT_PNG: {
    size_t from = n > 64 ? n - 64 : 0;
    for (size_t i = n >= 8 ? n - 8 : 0; i + 1 > from && i < n; i--) {
      if (i + 8 <= n && std::memcmp(d + i, "IEND", 4) == 0) return nullptr;
      if (i == 0) break;
    }
    return "PNG is truncated (no IEND chunk)";
  }
  case CVN_FORMAT_WEBP:
    return size_t(le32(d + 4)) + 8 <= n ? nullptr : "WebP is truncated (shorter than its RIFF size)";
  case CVN_FORMAT_BMP:
    return size_t(le32(d + 2)) <= n ? nullptr : "BMP is truncated (shorter than its file size)";
  default:
    return nullptr;
  }
}

/// Source points of the warp: a quad, or the whole image.
std::vector<cv::Point2f> source_quad(const cv::Mat &m, const float *quad) {
  if (quad) return {{quad[0], quad[1]}, {quad[2], quad[3]}, {quad[4], quad[5]}, {quad[6], quad[7]}};
  float w = float(m.cols), h = float(m.rows);
  return {{0, 0}, {w, 0}, {w, h}, {0, h}};
}

cv::Mat warp(const cv::Mat &m, const float *quad, int w, int h) {
  if (!quad) {
    cv::Mat out;
    cv::resize(m, out, cv::Size(w, h), 0, 0, (w < m.cols) ? cv::INTER_AREA : cv::INTER_LINEAR);
    return out;
  }
  std::vector<cv::Point2f> src = source_quad(m, quad);
  // Shrinking: warp at the quadrilateral's own size (at most 8x the target), then average down (INTER_AREA).
  // Warping interpolates between the source pixels around each output pixel's point only; with points more
  // than a pixel apart some columns count little or not at all, and with them the thin strokes of a plate.
  const int sw = int(std::max(cv::norm(src[1] - src[0]), cv::norm(src[2] - src[3])));
  const int sh = int(std::max(cv::norm(src[3] - src[0]), cv::norm(src[2] - src[1])));
  const bool shrink = sw > w || sh > h;
  const int nw = shrink ? std::clamp(sw, w, 8 * w) : w, nh = shrink ? std::clamp(sh, h, 8 * h) : h;
  std::vector<cv::Point2f> dst = {{0, 0}, {float(nw), 0}, {float(nw), float(nh)}, {0, float(nh)}};
  cv::Mat t = cv::getPerspectiveTransform(src, dst);
  cv::Mat out;
  cv::warpPerspective(m, out, t, cv::Size(nw, nh), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
  if (nw != w || nh != h) cv::resize(out, out, cv::Size(w, h), 0, 0, cv::INTER_AREA);
  return out;
}

struct SilenceOpenCV {
  SilenceOpenCV() { cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT); }
} silence_opencv;
} // namespace

struct cvn_image {
  cv::Mat mat;
};

extern "C" const char *cvn_last_error(void) { return last_error.c_str(); }

extern "C" cvn_status cvn_image_probe(const uint8_t *data, size_t length, cvn_format *format, int *width, int *height) {
  if ((!data && length) || !format || !width || !height) return fail(CVN_ERR_INVALID_ARGUMENT, "null argument");
  return probe(data, length, format, width, height);
}

extern "C" cvn_status cvn_image_decode(const uint8_t *data, size_t length, int64_t max_pixels, cvn_image **out) {
  if ((!data && length) || !out) return fail(CVN_ERR_INVALID_ARGUMENT, "null argument");
  *out = nullptr;
  return guarded([&] {
    cvn_format format;
    int w, h;
    cvn_status s = probe(data, length, &format, &w, &h);
    if (s != CVN_OK) return s;
    if (max_pixels > 0 && int64_t(w) * int64_t(h) > max_pixels)
      return fail(CVN_ERR_TOO_LARGE, "image is " + std::to_string(w) + "x" + std::to_string(h) +
                                         " pixels, above the limit of " + std::to_string(max_pixels));
    if (const char *why = truncation(format, data, length)) return fail(CVN_ERR_CORRUPT_IMAGE, why);
    cv::Mat buf(1, int(std::min<size_t>(length, INT32_MAX)), CV_8UC1, const_cast<uint8_t *>(data));
    cv::Mat img = cv::imdecode(buf, cv::IMREAD_COLOR);
    if (img.empty()) return fail(CVN_ERR_CORRUPT_IMAGE, "image data is corrupt or truncated");
    *out = new cvn_image{std::move(img)};
    return CVN_OK;
  });
}

extern "C" cvn_status cvn_image_from_bgr(const uint8_t *pixels, int width, int height, cvn_image **out) {
  if (!pixels || !out || width <= 0 || height <= 0) return fail(CVN_ERR_INVALID_ARGUMENT, "bad pixel buffer");
  return guarded([&] {
    cv::Mat m(height, width, CV_8UC3, const_cast<uint8_t *>(pixels));
    *out = new cvn_image{m.clone()};
    return CVN_OK;
  });
}

extern "C" void cvn_image_free(cvn_image *image) { delete image; }

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

extern "C" cvn_status cvn_image_difference(const cvn_image *a, const cvn_image *b, double *difference) {
  if (!a || !b || !difference) return fail(CVN_ERR_INVALID_ARGUMENT, "null argument");
  return guarded([&] {
    cv::Mat ga, gb, sa, sb, d;
    cv::resize(a->mat, sa, cv::Size(64, 48), 0, 0, cv::INTER_AREA);
    cv::resize(b->mat, sb, cv::Size(64, 48), 0, 0, cv::INTER_AREA);
    cv::cvtColor(sa, ga, cv::COLOR_BGR2GRAY);
    cv::cvtColor(sb, gb, cv::COLOR_BGR2GRAY);
    cv::absdiff(ga, gb, d);
    *difference = cv::mean(d)[0];
    return CVN_OK;
  });
}

extern "C" void cvn_image_size(const cvn_image *image, int *width, int *height) {
  *width = image ? image->mat.cols : 0;
  *height = image ? image->mat.rows : 0;
}

extern "C" cvn_status cvn_image_warp(const cvn_image *image, const float *quad, int width, int height, cvn_image **out) {
  if (!image || !out || width <= 0 || height <= 0 || width > 16384 || height > 16384)
    return fail(CVN_ERR_INVALID_ARGUMENT, "bad warp size");
  return guarded([&] {
    *out = new cvn_image{warp(image->mat, quad, width, height)};
    return CVN_OK;
  });
}

extern "C" cvn_status cvn_image_to_tensor(const cvn_image *image, const float *quad, int content_w, int content_h,
                                          int canvas_w, int canvas_h, int rgb, const float mean[3],
                                          const float std[3], float pad_pixel, int flags, float *out) {
  if (!image || !out || !mean || !std || content_w <= 0 || content_h <= 0 || content_w > canvas_w ||
      content_h > canvas_h)
    return fail(CVN_ERR_INVALID_ARGUMENT, "bad tensor geometry");
  return guarded([&] {
    cv::Mat small = warp(image->mat, quad, content_w, content_h);
    if (flags & CVN_TENSOR_EQUALIZE) {
      cv::Mat lab;
      cv::cvtColor(small, lab, cv::COLOR_BGR2Lab);
      std::vector<cv::Mat> planes;
      cv::split(lab, planes);
      cv::createCLAHE(2.0, cv::Size(4, 2))->apply(planes[0], planes[0]);
      cv::merge(planes, lab);
      cv::cvtColor(lab, small, cv::COLOR_Lab2BGR);
    }
    const size_t plane = size_t(canvas_w) * size_t(canvas_h);
    for (int c = 0; c < 3; c++) {
      int src = rgb ? 2 - c : c; // BGR source channel feeding output channel c
      float scale = 1.f / (255.f * std[c]);
      float offset = -mean[c] / std[c];
      float pad = pad_pixel * scale + offset;
      float *dst = out + plane * size_t(c);
      for (int y = 0; y < canvas_h; y++) {
        float *row = dst + size_t(y) * size_t(canvas_w);
        if (y < content_h) {
          const uint8_t *p = small.ptr<uint8_t>(y);
          for (int x = 0; x < content_w; x++) row[x] = float(p[x * 3 + src]) * scale + offset;
          std::fill(row + content_w, row + canvas_w, pad);
        } else {
          std::fill(row, row + canvas_w, pad);
        }
      }
    }
    return CVN_OK;
  });
}

extern "C" cvn_status cvn_image_encode(const cvn_image *image, cvn_format format, int quality, uint8_t **data,
                                      size_t *length) {
  if (!image || !data || !length) return fail(CVN_ERR_INVALID_ARGUMENT, "null argument");
  return guarded([&] {
    std::vector<uint8_t> buf;
    std::vector<int> params;
    const char *ext;
    int q = std::clamp(quality, 1, 100);
    switch (format) {
    case CVN_FORMAT_JPEG: ext = ".jpg"; params = {cv::IMWRITE_JPEG_QUALITY, q}; break;
    case CVN_FORMAT_PNG: ext = ".png"; break;
    case CVN_FORMAT_WEBP: ext = ".webp"; params = {cv::IMWRITE_WEBP_QUALITY, q}; break;
    case CVN_FORMAT_BMP: ext = ".bmp"; break;
    default: return fail(CVN_ERR_INVALID_ARGUMENT, "unknown output format");
    }
    if (!cv::imencode(ext, image->mat, buf, params)) return fail(CVN_ERR_INTERNAL, "encoding failed");
    *data = static_cast<uint8_t *>(std::malloc(buf.size()));
    if (!*data) return fail(CVN_ERR_INTERNAL, "out of memory");
    std::memcpy(*data, buf.data(), buf.size());
    *length = buf.size();
    return CVN_OK;
  });
}

extern "C" void cvn_buffer_free(void *buffer) { std::free(buffer); }

namespace {
struct Blob {
  cv::Point2f centre;
  cv::Rect rect;
};

/// Character-sized connected components of a binary image (white = ink).
std::vector<Blob> character_blobs(const cv::Mat &binary) {
  cv::Mat labels, stats, centroids;
  int n = cv::connectedComponentsWithStats(binary, labels, stats, centroids, 8, CV_32S);
  std::vector<Blob> out;
  const int H = binary.rows, W = binary.cols;
  for (int i = 1; i < n; i++) {
    int w = stats.at<int>(i, cv::CC_STAT_WIDTH), h = stats.at<int>(i, cv::CC_STAT_HEIGHT);
    int area = stats.at<int>(i, cv::CC_STAT_AREA);
    if (h < H / 5 || h > H * 9 / 10 || w > W / 4 || w < 2 || h < w * 0.9 || h > w * 8) continue;
    if (area < w * h / 8) continue;
    cv::Rect r(stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP), w, h);
    out.push_back({cv::Point2f(float(centroids.at<double>(i, 0)), float(centroids.at<double>(i, 1))), r});
  }
  return out;
}
} // namespace

extern "C" cvn_status cvn_estimate_text_line(const cvn_image *image, const float box[4], float quad[8], float *degrees,
                                             float span[2], int *decorated, int *found) {
  if (!image || !box || !quad || !degrees || !span || !decorated || !found)
    return fail(CVN_ERR_INVALID_ARGUMENT, "null argument");
  *found = 0;
  *degrees = 0;
  *decorated = 0;
  span[0] = 0;
  span[1] = 1;
  return guarded([&] {
    cv::Rect r = cv::Rect(int(box[0]), int(box[1]), int(box[2]), int(box[3])) & cv::Rect(0, 0, image->mat.cols, image->mat.rows);
    if (r.width < 16 || r.height < 8) return CVN_OK;
    cv::Mat gray, binary;
    cv::cvtColor(image->mat(r), gray, cv::COLOR_BGR2GRAY);
    const double s = 96.0 / r.height;
    cv::resize(gray, gray, cv::Size(std::max(16, int(r.width * s)), 96), 0, 0, cv::INTER_AREA);
    std::vector<Blob> best;
    for (int polarity = 0; polarity < 2; polarity++) {
      cv::threshold(gray, binary, 0, 255, (polarity ? cv::THRESH_BINARY : cv::THRESH_BINARY_INV) | cv::THRESH_OTSU);
      auto blobs = character_blobs(binary);
      if (blobs.size() > best.size()) best = blobs;
    }
    if (best.size() < 3) return CVN_OK;
    // Robust slope: the median of pairwise slopes between blobs far enough apart (Theil-Sen).
    std::vector<float> slopes;
    for (size_t i = 0; i < best.size(); i++)
      for (size_t j = i + 1; j < best.size(); j++) {
        float dx = best[j].centre.x - best[i].centre.x;
        if (std::abs(dx) > 4) slopes.push_back((best[j].centre.y - best[i].centre.y) / dx);
      }
    if (slopes.size() < 3) return CVN_OK;
    std::nth_element(slopes.begin(), slopes.begin() + long(slopes.size() / 2), slopes.end());
    float slope = slopes[slopes.size() / 2];
    // Keep the blobs near the fitted line (the plate's characters, not its border or a sticker).
    std::vector<float> intercepts;
    for (auto &b : best) intercepts.push_back(b.centre.y - slope * b.centre.x);
    std::vector<float> sorted = intercepts;
    std::nth_element(sorted.begin(), sorted.begin() + long(sorted.size() / 2), sorted.end());
    float c0 = sorted[sorted.size() / 2];
    std::vector<cv::Point2f> corners;
    std::vector<bool> onLine(best.size(), false);
    std::vector<float> heights, widths;
    int kept = 0;
    for (size_t i = 0; i < best.size(); i++) {
      if (std::abs(intercepts[i] - c0) > 0.25f * best[i].rect.height) continue;
      kept++;
      onLine[i] = true;
      heights.push_back(float(best[i].rect.height));
      widths.push_back(float(best[i].rect.width));
      const cv::Rect &b = best[i].rect;
      corners.insert(corners.end(), {cv::Point2f(float(b.x), float(b.y)), cv::Point2f(float(b.x + b.width), float(b.y)),
                                     cv::Point2f(float(b.x + b.width), float(b.y + b.height)),
                                     cv::Point2f(float(b.x), float(b.y + b.height))});
    }
    if (kept < 3) return CVN_OK;
    const float angle = std::atan(slope);
    const cv::Point2f u(std::cos(angle), std::sin(angle)), v(-std::sin(angle), std::cos(angle));
    // Across the line: the characters' extent. Along it: the whole box, so that a first or last character
    // that did not separate from the plate's border is not cut off.
    float umin = 1e9f, umax = -1e9f, vmin = 1e9f, vmax = -1e9f;
    for (auto &p : corners) {
      float pv = p.dot(v);
      vmin = std::min(vmin, pv); vmax = std::max(vmax, pv);
    }
    const float W = float(gray.cols), H = float(gray.rows);
    for (const cv::Point2f &p : {cv::Point2f(0, 0), cv::Point2f(W, 0), cv::Point2f(W, H), cv::Point2f(0, H)}) {
      float pu = p.dot(u);
      umin = std::min(umin, pu); umax = std::max(umax, pu);
    }
    const cv::Point2f q[4] = {u * umin + v * vmin, u * umax + v * vmin, u * umax + v * vmax, u * umin + v * vmax};
    // The registration's span: from the first to the last character on the line of at least 3/4 of the
    // median height; smaller ones outside it are decoration.
    std::nth_element(heights.begin(), heights.begin() + long(heights.size() / 2), heights.end());
    std::nth_element(widths.begin(), widths.begin() + long(widths.size() / 2), widths.end());
    const float mh = heights[heights.size() / 2], mw = widths[widths.size() / 2];
    float smin = 1e9f, smax = -1e9f;
    for (size_t i = 0; i < best.size(); i++) {
      if (!onLine[i] || float(best[i].rect.height) < 0.75f * mh) continue;
      const cv::Rect &b = best[i].rect;
      smin = std::min(smin, std::min(cv::Point2f(float(b.x), float(b.y)).dot(u), cv::Point2f(float(b.x), float(b.y + b.height)).dot(u)));
      smax = std::max(smax, std::max(cv::Point2f(float(b.x + b.width), float(b.y)).dot(u),
                                     cv::Point2f(float(b.x + b.width), float(b.y + b.height)).dot(u)));
    }
    if (smax > smin && umax > umin) {
      smin -= mw / 3; smax += mw / 3;
      for (size_t i = 0; i < best.size(); i++) {
        const float cu = best[i].centre.dot(u);
        if (float(best[i].rect.height) < 0.7f * mh && (cu < smin || cu > smax)) *decorated = 1;
      }
      span[0] = std::clamp((smin - umin) / (umax - umin), 0.f, 1.f);
      span[1] = std::clamp((smax - umin) / (umax - umin), 0.f, 1.f);
    }
    for (int i = 0; i < 4; i++) {
      quad[2 * i] = float(r.x + q[i].x / s);
      quad[2 * i + 1] = float(r.y + q[i].y / s);
    }
    *degrees = angle * 180.0f / float(CV_PI);
    *found = 1;
    return CVN_OK;
  });
}

// MARK: ONNX Runtime

struct cvn_runtime {
  void *library = nullptr;
  const OrtApi *api = nullptr;
  OrtEnv *env = nullptr;
  std::string version;
};

struct cvn_session {
  cvn_runtime *runtime;
  OrtSession *session = nullptr;
  std::vector<std::string> input_names, output_names;
};

struct cvn_outputs {
  const OrtApi *api;
  std::vector<OrtValue *> values;
  std::vector<std::vector<int64_t>> shapes;
  std::vector<const float *> data;
  ~cvn_outputs() {
    for (auto *v : values)
      if (v) api->ReleaseValue(v);
  }
};

namespace {
/// Turns an OrtStatus into a cvn_status (releasing it); CVN_OK for NULL.
cvn_status ort_check(const OrtApi *api, OrtStatus *status, cvn_status code, const char *what) {
  if (!status) return CVN_OK;
  std::string msg = std::string(what) + ": " + api->GetErrorMessage(status);
  api->ReleaseStatus(status);
  return fail(code, msg);
}
} // namespace

#define ORT_TRY(expr, code, what)                                                                                  \
  do {                                                                                                             \
    cvn_status _s = ort_check(api, (expr), code, what);                                                            \
    if (_s != CVN_OK) return _s;                                                                                   \
  } while (0)

extern "C" cvn_status cvn_runtime_create(const char *library_path, cvn_runtime **out) {
  if (!library_path || !out) return fail(CVN_ERR_INVALID_ARGUMENT, "null argument");
  *out = nullptr;
  return guarded([&] {
    void *lib = dlopen(library_path, RTLD_NOW | RTLD_LOCAL);
    if (!lib) return fail(CVN_ERR_RUNTIME_LOAD, std::string("cannot load ONNX Runtime: ") + dlerror());
    using GetApiBase = const OrtApiBase *(*)();
    auto get = reinterpret_cast<GetApiBase>(dlsym(lib, "OrtGetApiBase"));
    if (!get) {
      dlclose(lib);
      return fail(CVN_ERR_RUNTIME_LOAD, "library has no OrtGetApiBase");
    }
    const OrtApiBase *base = get();
    const OrtApi *api = base ? base->GetApi(ORT_API_VERSION) : nullptr;
    if (!api) {
      dlclose(lib);
      return fail(CVN_ERR_RUNTIME_LOAD, "ONNX Runtime is older than API version " + std::to_string(ORT_API_VERSION));
    }
    auto *rt = new cvn_runtime{lib, api, nullptr, base->GetVersionString()};
    cvn_status s = ort_check(api, api->CreateEnv(ORT_LOGGING_LEVEL_ERROR, "microanpr", &rt->env), CVN_ERR_RUNTIME_LOAD,
                             "CreateEnv");
    if (s != CVN_OK) {
      dlclose(lib);
      delete rt;
      return s;
    }
    *out = rt;
    return CVN_OK;
  });
}

extern "C" void cvn_runtime_free(cvn_runtime *runtime) {
  if (!runtime) return;
  if (runtime->env) runtime->api->ReleaseEnv(runtime->env);
  // The library stays loaded: ONNX Runtime does not support being unloaded and reloaded in one process.
  delete runtime;
}

extern "C" const char *cvn_runtime_version(const cvn_runtime *runtime) {
  return runtime ? runtime->version.c_str() : "";
}

extern "C" cvn_status cvn_session_create(cvn_runtime *runtime, const char *model_path, int intra_threads,
                                         cvn_session **out) {
  if (!runtime || !model_path || !out || intra_threads < 1) return fail(CVN_ERR_INVALID_ARGUMENT, "bad argument");
  *out = nullptr;
  const OrtApi *api = runtime->api;
  return guarded([&]() -> cvn_status {
    OrtSessionOptions *options = nullptr;
    ORT_TRY(api->CreateSessionOptions(&options), CVN_ERR_MODEL_LOAD, "CreateSessionOptions");
    struct OptionsGuard {
      const OrtApi *api;
      OrtSessionOptions *o;
      ~OptionsGuard() { api->ReleaseSessionOptions(o); }
    } guard{api, options};
    ORT_TRY(api->SetIntraOpNumThreads(options, intra_threads), CVN_ERR_MODEL_LOAD, "SetIntraOpNumThreads");
    ORT_TRY(api->SetInterOpNumThreads(options, 1), CVN_ERR_MODEL_LOAD, "SetInterOpNumThreads");
    ORT_TRY(api->SetSessionGraphOptimizationLevel(options, ORT_ENABLE_ALL), CVN_ERR_MODEL_LOAD, "optimisation level");
    // No arena: it keeps the largest input's buffers for good (a second look at a large size or the text
    // finder would hold ~100 MB more); freed buffers go back to malloc. Measured: same speed.
    ORT_TRY(api->DisableCpuMemArena(options), CVN_ERR_MODEL_LOAD, "DisableCpuMemArena");
    auto *s = new cvn_session{runtime};
    cvn_status st = ort_check(api, api->CreateSession(runtime->env, model_path, options, &s->session),
                              CVN_ERR_MODEL_LOAD, "cannot load model");
    if (st != CVN_OK) {
      delete s;
      return st;
    }
    OrtAllocator *alloc = nullptr;
    ORT_TRY(api->GetAllocatorWithDefaultOptions(&alloc), CVN_ERR_MODEL_LOAD, "allocator");
    size_t n_in = 0, n_out = 0;
    ORT_TRY(api->SessionGetInputCount(s->session, &n_in), CVN_ERR_MODEL_LOAD, "input count");
    ORT_TRY(api->SessionGetOutputCount(s->session, &n_out), CVN_ERR_MODEL_LOAD, "output count");
    if (n_in != 1) {
      api->ReleaseSession(s->session);
      delete s;
      return fail(CVN_ERR_MODEL_LOAD, "model must have exactly one input");
    }
    for (size_t i = 0; i < n_in + n_out; i++) {
      char *name = nullptr;
      if (i < n_in)
        ORT_TRY(api->SessionGetInputName(s->session, i, alloc, &name), CVN_ERR_MODEL_LOAD, "input name");
      else
        ORT_TRY(api->SessionGetOutputName(s->session, i - n_in, alloc, &name), CVN_ERR_MODEL_LOAD, "output name");
      (i < n_in ? s->input_names : s->output_names).emplace_back(name);
      api->ReleaseStatus(api->AllocatorFree(alloc, name));
    }
    *out = s;
#ifdef __GLIBC__
    // Loading parsed the whole model file into memory and copied its weights out: give the freed heap back to
    // the system (13 MB of resident memory for the three models), or glibc keeps it for the process's life.
    malloc_trim(0);
#endif
    return CVN_OK;
  });
}

extern "C" void cvn_session_free(cvn_session *session) {
  if (!session) return;
  if (session->session) session->runtime->api->ReleaseSession(session->session);
  delete session;
}

extern "C" cvn_status cvn_session_metadata(cvn_session *session, const char *key, char **value) {
  if (!session || !key || !value) return fail(CVN_ERR_INVALID_ARGUMENT, "null argument");
  *value = nullptr;
  const OrtApi *api = session->runtime->api;
  return guarded([&]() -> cvn_status {
    OrtModelMetadata *meta = nullptr;
    ORT_TRY(api->SessionGetModelMetadata(session->session, &meta), CVN_ERR_MODEL_LOAD, "metadata");
    OrtAllocator *alloc = nullptr;
    OrtStatus *st = api->GetAllocatorWithDefaultOptions(&alloc);
    char *v = nullptr;
    if (!st) st = api->ModelMetadataLookupCustomMetadataMap(meta, alloc, key, &v);
    api->ReleaseModelMetadata(meta);
    ORT_TRY(st, CVN_ERR_MODEL_LOAD, "metadata lookup");
    if (v) {
      *value = strdup(v);
      api->ReleaseStatus(api->AllocatorFree(alloc, v));
    }
    return CVN_OK;
  });
}

extern "C" cvn_status cvn_session_run(cvn_session *session, const float *input, const int64_t *shape, size_t rank,
                                      cvn_outputs **out) {
  if (!session || !input || !shape || !out || rank == 0 || rank > 8)
    return fail(CVN_ERR_INVALID_ARGUMENT, "bad input tensor");
  *out = nullptr;
  const OrtApi *api = session->runtime->api;
  return guarded([&]() -> cvn_status {
    size_t count = 1;
    for (size_t i = 0; i < rank; i++) {
      if (shape[i] <= 0) return fail(CVN_ERR_INVALID_ARGUMENT, "non-positive tensor dimension");
      count *= size_t(shape[i]);
    }
    OrtMemoryInfo *mem = nullptr;
    ORT_TRY(api->CreateCpuMemoryInfo(OrtArenaAllocator, OrtMemTypeDefault, &mem), CVN_ERR_INFERENCE, "memory info");
    OrtValue *in = nullptr;
    OrtStatus *st = api->CreateTensorWithDataAsOrtValue(mem, const_cast<float *>(input), count * sizeof(float), shape,
                                                        rank, ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT, &in);
    api->ReleaseMemoryInfo(mem);
    ORT_TRY(st, CVN_ERR_INFERENCE, "input tensor");
    std::vector<const char *> in_names = {session->input_names[0].c_str()};
    std::vector<const char *> out_names;
    for (auto &n : session->output_names) out_names.push_back(n.c_str());
    auto result = std::make_unique<cvn_outputs>();
    result->api = api;
    result->values.assign(out_names.size(), nullptr);
    st = api->Run(session->session, nullptr, in_names.data(), &in, 1, out_names.data(), out_names.size(),
                  result->values.data());
    api->ReleaseValue(in);
    ORT_TRY(st, CVN_ERR_INFERENCE, "inference failed");
    for (OrtValue *v : result->values) {
      OrtTensorTypeAndShapeInfo *info = nullptr;
      ORT_TRY(api->GetTensorTypeAndShape(v, &info), CVN_ERR_INFERENCE, "output shape");
      size_t dims = 0;
      ONNXTensorElementDataType type;
      OrtStatus *s1 = api->GetDimensionsCount(info, &dims);
      std::vector<int64_t> sh(dims);
      if (!s1) s1 = api->GetDimensions(info, sh.data(), dims);
      if (!s1) s1 = api->GetTensorElementType(info, &type);
      api->ReleaseTensorTypeAndShapeInfo(info);
      ORT_TRY(s1, CVN_ERR_INFERENCE, "output shape");
      if (type != ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT) return fail(CVN_ERR_INFERENCE, "model output is not float32");
      void *data = nullptr;
      ORT_TRY(api->GetTensorMutableData(v, &data), CVN_ERR_INFERENCE, "output data");
      result->shapes.push_back(std::move(sh));
      result->data.push_back(static_cast<const float *>(data));
    }
    *out = result.release();
    return CVN_OK;
  });
}

extern "C" size_t cvn_outputs_count(const cvn_outputs *outputs) { return outputs ? outputs->data.size() : 0; }

extern "C" const float *cvn_outputs_tensor(const cvn_outputs *outputs, size_t index, const int64_t **shape,
                                           size_t *rank) {
  if (!outputs || index >= outputs->data.size()) return nullptr;
  if (shape) *shape = outputs->shapes[index].data();
  if (rank) *rank = outputs->shapes[index].size();
  return outputs->data[index];
}

extern "C" void cvn_outputs_free(cvn_outputs *outputs) { delete outputs; }

extern "C" cvn_status cvn_nms(const float *boxes, const float *scores, int count, float iou_threshold, int *keep,
                              int *kept) {
  if (count < 0 || !kept || (count > 0 && (!boxes || !scores || !keep)))
    return fail(CVN_ERR_INVALID_ARGUMENT, "bad NMS input");
  return guarded([&] {
    std::vector<int> order(static_cast<size_t>(count));
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](int a, int b) { return scores[a] != scores[b] ? scores[a] > scores[b] : a < b; });
    std::vector<bool> removed(static_cast<size_t>(count), false);
    int n = 0;
    for (size_t i = 0; i < order.size(); i++) {
      int a = order[i];
      if (removed[size_t(a)]) continue;
      keep[n++] = a;
      const float *A = boxes + 4 * a;
      for (size_t j = i + 1; j < order.size(); j++) {
        int b = order[j];
        if (removed[size_t(b)]) continue;
        const float *B = boxes + 4 * b;
        float x1 = std::max(A[0], B[0]), y1 = std::max(A[1], B[1]);
        float x2 = std::min(A[0] + A[2], B[0] + B[2]), y2 = std::min(A[1] + A[3], B[1] + B[3]);
        float inter = std::max(0.f, x2 - x1) * std::max(0.f, y2 - y1);
        float uni = A[2] * A[3] + B[2] * B[3] - inter;
        if (uni > 0 && inter / uni > iou_threshold) removed[size_t(b)] = true;
      }
    }
    *kept = n;
    return CVN_OK;
  });
}
