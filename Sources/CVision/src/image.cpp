// Images: probing and decoding (with truncation checks), BGR input, size, difference, warps, tensors, encoding.
#include "internal.hpp"

using namespace cvn_detail;

namespace {
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
  // HEIF/AVIF (an iPhone's photos): an ISO box file whose brand names a still image. Not decoded (no decoder in the
  // stack); said plainly, since a user holding such a photo would not know it is not a JPEG.
  if (n >= 12 && std::memcmp(d + 4, "ftyp", 4) == 0) {
    static const char *const brands[] = {"heic", "heix", "hevc", "heim", "heis", "hevm", "hevs", "mif1", "msf1", "avif", "avis"};
    for (const char *b : brands)
      if (std::memcmp(d + 8, b, 4) == 0)
        return fail(CVN_ERR_UNSUPPORTED_FORMAT, "HEIC/HEIF and AVIF photos are not read: save or export it as JPEG");
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
} // namespace

std::vector<cv::Point2f> cvn_detail::source_quad(const cv::Mat &m, const float *quad) {
  if (quad) return {{quad[0], quad[1]}, {quad[2], quad[3]}, {quad[4], quad[5]}, {quad[6], quad[7]}};
  float w = float(m.cols), h = float(m.rows);
  return {{0, 0}, {w, 0}, {w, h}, {0, h}};
}

cv::Mat cvn_detail::warp(const cv::Mat &m, const float *quad, int w, int h) {
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

namespace {
// The histogram of a grey picture's levels.
struct Levels {
  int counts[256] = {0};
  size_t total;
  explicit Levels(const cv::Mat &grey) : total(grey.total()) {
    for (int y = 0; y < grey.rows; y++) {
      const uint8_t *p = grey.ptr<uint8_t>(y);
      for (int x = 0; x < grey.cols; x++) counts[p[x]]++;
    }
  }
  // The darkest level at or below which more than `count` pixels lie.
  int darkest(size_t count) const {
    size_t seen = 0;
    for (int i = 0; i < 256; i++)
      if ((seen += counts[i]) > count) return i;
    return 255;
  }
  // The brightest level at or above which more than `count` pixels lie.
  int brightest(size_t count) const {
    size_t seen = 0;
    for (int i = 255; i >= 0; i--)
      if ((seen += counts[i]) > count) return i;
    return 0;
  }
};

// The 64x48 grey thumbnail of `i`, made once (area-averaged, so noise does not count).
const cv::Mat &thumbnail(const cvn_image *i) {
  std::call_once(i->thumbnail_once, [i] {
    cv::Mat small;
    cv::resize(i->mat, small, cv::Size(64, 48), 0, 0, cv::INTER_AREA);
    cv::cvtColor(small, i->thumbnail, cv::COLOR_BGR2GRAY);
  });
  return i->thumbnail;
}
} // namespace

extern "C" cvn_status cvn_image_difference(const cvn_image *a, const cvn_image *b, double *difference) {
  if (!a || !b || !difference) return fail(CVN_ERR_INVALID_ARGUMENT, "null argument");
  return guarded([&] {
    cv::Mat d;
    cv::absdiff(thumbnail(a), thumbnail(b), d);
    *difference = cv::mean(d)[0];
    return CVN_OK;
  });
}

extern "C" cvn_status cvn_image_levels(const cvn_image *image, int *low, int *median, int *high) {
  if (!image || !low || !median || !high) return fail(CVN_ERR_INVALID_ARGUMENT, "null argument");
  return guarded([&] {
    const Levels levels(thumbnail(image));
    *low = levels.darkest(levels.total / 100);
    *median = levels.darkest(levels.total / 2);
    *high = levels.brightest(levels.total / 100);
    return CVN_OK;
  });
}

extern "C" cvn_status cvn_image_lifted(const cvn_image *image, int to_median, cvn_image **out) {
  if (!image || !out || to_median < 1 || to_median > 254) return fail(CVN_ERR_INVALID_ARGUMENT, "bad lift arguments");
  return guarded([&] {
    const Levels levels(thumbnail(image));
    const int median = std::max(1, levels.darkest(levels.total / 2));
    *out = nullptr;
    if (median >= to_median) return CVN_OK;
    // level' = 255 (level / 255)^g with the median landing on `to_median`; no lighter than a gamma of 1 / 2.4.
    const double g = std::max(1.0 / 2.4, std::log(to_median / 255.0) / std::log(median / 255.0));
    cv::Mat lut(1, 256, CV_8U);
    for (int i = 0; i < 256; i++) lut.at<uint8_t>(i) = cv::saturate_cast<uint8_t>(255.0 * std::pow(i / 255.0, g));
    cv::Mat lifted;
    cv::LUT(image->mat, lut, lifted);
    *out = new cvn_image{lifted};
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

namespace {
// Stretches `m`'s levels in place when its 1st and 99th percentiles of lightness are fewer than `below_range` levels
// apart: the 1st goes to 20, each level above it gains at most `max_gain` (the 99th reaches 235 when it can).
void stretch_levels(cv::Mat &m, int below_range, float max_gain) {
  cv::Mat grey;
  cv::cvtColor(m, grey, cv::COLOR_BGR2GRAY);
  const Levels levels(grey);
  const int lo = levels.darkest(levels.total / 100), hi = levels.brightest(levels.total / 100);
  if (hi <= lo || hi - lo >= below_range) return;
  const double gain = std::min(double(max_gain), 215.0 / (hi - lo));
  m.convertTo(m, CV_8UC3, gain, 20.0 - lo * gain);
}
} // namespace

extern "C" cvn_status cvn_image_to_tensor(const cvn_image *image, const float *quad, int content_w, int content_h,
                                          int canvas_w, int canvas_h, int rgb, const float mean[3],
                                          const float std[3], float pad_pixel, int flags, int stretch_below_range,
                                          float stretch_max_gain, float *out) {
  if (!image || !out || !mean || !std || content_w <= 0 || content_h <= 0 || content_w > canvas_w ||
      content_h > canvas_h)
    return fail(CVN_ERR_INVALID_ARGUMENT, "bad tensor geometry");
  return guarded([&] {
    cv::Mat small = warp(image->mat, quad, content_w, content_h);
    if (stretch_below_range > 0 && stretch_max_gain > 1) stretch_levels(small, stretch_below_range, stretch_max_gain);
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
