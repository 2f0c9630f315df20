// Motion blur: how far a plate's box looks smeared along its rows or columns, and the box deconvolved from it.
#include "internal.hpp"

using namespace cvn_detail;

namespace {
// `box` in whole pixels, inside the image.
cv::Rect pixels(const cv::Mat &m, float x, float y, float w, float h) {
  const cv::Rect r(int(std::floor(x)), int(std::floor(y)), int(std::ceil(x + w) - std::floor(x)),
                   int(std::ceil(y + h) - std::floor(y)));
  return r & cv::Rect(0, 0, m.cols, m.rows);
}

// The lag in [2, max_lag] where the autocorrelation of `grey`'s derivative along its rows (each row's mean taken
// away) is lowest; 0 when the rows are too short or flat.
int dip(const cv::Mat &grey, int max_lag) {
  const int cols = grey.cols - 1;
  if (grey.rows < 1 || cols < max_lag + 2) return 0;
  std::vector<double> ac(max_lag + 1, 0.0);
  std::vector<float> d(cols);
  for (int r = 0; r < grey.rows; ++r) {
    const float *g = grey.ptr<float>(r);
    double mean = 0;
    for (int c = 0; c < cols; ++c) mean += d[c] = g[c + 1] - g[c];
    mean /= cols;
    for (float &v : d) v -= float(mean);
    for (int l = 0; l <= max_lag; ++l)
      for (int c = 0; c + l < cols; ++c) ac[l] += double(d[c]) * d[c + l];
  }
  if (ac[0] <= 0) return 0;
  int lag = 2;
  for (int l = 3; l <= max_lag; ++l)
    if (ac[l] < ac[lag]) lag = l;
  return lag;
}
} // namespace

extern "C" cvn_status cvn_image_motion_blur(const cvn_image *image, float x, float y, float w, float h,
                                            int max_length, int lengths[2]) {
  if (!image || !lengths || max_length < 2 || max_length > 64)
    return fail(CVN_ERR_INVALID_ARGUMENT, "bad motion blur arguments");
  return guarded([&] {
    lengths[0] = lengths[1] = 0;
    const cv::Rect r = pixels(image->mat, x, y, w, h);
    if (r.empty()) return CVN_OK;
    cv::Mat grey, f;
    if (image->mat.channels() == 3)
      cv::cvtColor(image->mat(r), grey, cv::COLOR_BGR2GRAY);
    else
      grey = image->mat(r);
    grey.convertTo(f, CV_32F);
    lengths[0] = dip(f, max_length);
    lengths[1] = dip(cv::Mat(f.t()), max_length);
    return CVN_OK;
  });
}

extern "C" cvn_status cvn_image_deblur(const cvn_image *image, float x, float y, float w, float h, int vertical,
                                       int length, float balance, cvn_image **out) {
  if (!image || !out || length < 2 || length > 64 || !(balance > 0))
    return fail(CVN_ERR_INVALID_ARGUMENT, "bad deblur arguments");
  return guarded([&] {
    const cv::Rect r = pixels(image->mat, x, y, w, h);
    if (r.width < 2 || r.height < 2) return fail(CVN_ERR_INVALID_ARGUMENT, "deblur region outside the image");
    // The filter wraps round the region's edges: the region is extended by twice the blur along it, its edge
    // pixels repeated, and cut back afterwards, so that what wraps round lands outside it.
    const int margin = 2 * length;
    cv::Mat src;
    cv::copyMakeBorder(image->mat(r), src, vertical ? margin : 0, vertical ? margin : 0, vertical ? 0 : margin,
                       vertical ? 0 : margin, cv::BORDER_REPLICATE);
    src.convertTo(src, CV_32F);
    // The blur: a box of `length` pixels centred on the origin (wrapping round), of the extended region's size.
    cv::Mat psf = cv::Mat::zeros(src.rows, src.cols, CV_32F);
    for (int i = 0; i < length; ++i) {
      const int off = i - length / 2;
      if (vertical)
        psf.at<float>((off % psf.rows + psf.rows) % psf.rows, 0) += 1.0f / length;
      else
        psf.at<float>(0, (off % psf.cols + psf.cols) % psf.cols) += 1.0f / length;
    }
    cv::Mat spectrum;
    cv::dft(psf, spectrum, cv::DFT_COMPLEX_OUTPUT);
    // Wiener: conj(H) / (|H|^2 + balance).
    for (int i = 0; i < spectrum.rows; ++i) {
      auto *p = spectrum.ptr<cv::Vec2f>(i);
      for (int j = 0; j < spectrum.cols; ++j) {
        const float a = p[j][0], b = p[j][1], n = a * a + b * b + balance;
        p[j] = cv::Vec2f(a / n, -b / n);
      }
    }
    std::vector<cv::Mat> channels;
    cv::split(src, channels);
    for (cv::Mat &c : channels) {
      cv::Mat f;
      cv::dft(c, f, cv::DFT_COMPLEX_OUTPUT);
      cv::mulSpectrums(f, spectrum, f, 0);
      cv::dft(f, c, cv::DFT_INVERSE | cv::DFT_REAL_OUTPUT | cv::DFT_SCALE);
    }
    cv::Mat merged, result;
    cv::merge(channels, merged);
    const cv::Rect inner(vertical ? 0 : margin, vertical ? margin : 0, r.width, r.height);
    merged(inner).convertTo(result, image->mat.type());  // saturating: ringing beyond 0..255 is clipped
    *out = new cvn_image{result};
    return CVN_OK;
  });
}
