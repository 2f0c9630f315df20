// Text lines: the line of a plate's characters inside a detector box (its lean, and the registration line).
#include "internal.hpp"

using namespace cvn_detail;

namespace {
struct Blob {
  cv::Point2f centre;
  cv::Rect rect;
  int label; // in the label image character_blobs wrote
};

/// Character-sized connected components of a binary image (white = ink); `labels` receives the label image.
std::vector<Blob> character_blobs(const cv::Mat &binary, cv::Mat &labels) {
  cv::Mat stats, centroids;
  int n = cv::connectedComponentsWithStats(binary, labels, stats, centroids, 8, CV_32S);
  std::vector<Blob> out;
  const int H = binary.rows, W = binary.cols;
  for (int i = 1; i < n; i++) {
    int w = stats.at<int>(i, cv::CC_STAT_WIDTH), h = stats.at<int>(i, cv::CC_STAT_HEIGHT);
    int area = stats.at<int>(i, cv::CC_STAT_AREA);
    if (h < H / 5 || h > H * 9 / 10 || w > W / 4 || w < 2 || h < w * 0.9 || h > w * 8) continue;
    if (area < w * h / 8) continue;
    cv::Rect r(stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP), w, h);
    out.push_back({cv::Point2f(float(centroids.at<double>(i, 0)), float(centroids.at<double>(i, 1))), r, i});
  }
  return out;
}

/// A blob's principal axis from the vertical, in radians (positive: turned clockwise), and how much longer that
/// axis is than the other (the ratio of the second moments).
std::pair<float, float> principal_axis(const cv::Mat &labels, const Blob &b) {
  const cv::Moments m = cv::moments(labels(b.rect) == b.label, true);
  const double theta = 0.5 * std::atan2(2 * m.mu11, m.mu20 - m.mu02); // from the x axis, in (-pi/2, pi/2]
  const double mean = (m.mu20 + m.mu02) / 2, half = std::hypot((m.mu20 - m.mu02) / 2, m.mu11);
  return {float(theta > 0 ? theta - CV_PI / 2 : theta + CV_PI / 2), mean - half > 1e-6 ? float((mean + half) / (mean - half)) : 1e6f};
}
} // namespace

extern "C" cvn_status cvn_estimate_text_line(const cvn_image *image, const float box[4], int adaptive_block, int allow_shear,
                                             float quad[8], float *degrees, float span[2], int *decorated, int *sheared,
                                             int *found) {
  if (!image || !box || !quad || !degrees || !span || !decorated || !sheared || !found)
    return fail(CVN_ERR_INVALID_ARGUMENT, "null argument");
  *found = 0;
  *degrees = 0;
  *decorated = 0;
  *sheared = 0;
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
    cv::Mat bestLabels;
    // Keeps the blobs of `ink` (and their label image) when it holds more character-sized ones than the best so far.
    auto consider = [&best, &bestLabels](const cv::Mat &ink) {
      cv::Mat labels;
      auto blobs = character_blobs(ink, labels);
      if (blobs.size() > best.size()) best = std::move(blobs), bestLabels = labels;
    };
    cv::Mat otsu[2];
    for (int polarity = 0; polarity < 2; polarity++) {
      cv::threshold(gray, otsu[polarity], 0, 255, (polarity ? cv::THRESH_BINARY : cv::THRESH_BINARY_INV) | cv::THRESH_OTSU);
      consider(otsu[polarity]);
    }
    // One threshold for the whole box fails when the box holds more than the plate: bright paint around a grey
    // plate puts the threshold between paint and plate, and the characters vanish into the plate. A threshold
    // from each pixel's neighbourhood (about a character's height) still separates them. Only then: where the
    // one threshold finds the characters, its blobs are whole characters, and the neighbourhood's can be parts
    // of them, which would mark the registration's own characters as smaller ones beside it.
    if (adaptive_block > 0 && best.size() < 3) {
      for (int polarity = 0; polarity < 2; polarity++) {
        cv::adaptiveThreshold(gray, binary, 255, cv::ADAPTIVE_THRESH_MEAN_C,
                              polarity ? cv::THRESH_BINARY : cv::THRESH_BINARY_INV, adaptive_block | 1, 10);
        consider(binary);
      }
    }
    // Characters touching the plate's frame or a border line join it into one blob too large to be a character
    // (a US plate in a dealer's frame): remove long horizontal and vertical runs (a third of the box wide, 0.6 of
    // it high) from the whole-box threshold's ink and look again.
    if (adaptive_block > 0 && best.size() < 3) {
      const cv::Mat across = cv::getStructuringElement(cv::MORPH_RECT, cv::Size(std::max(3, gray.cols / 3), 1));
      const cv::Mat down = cv::getStructuringElement(cv::MORPH_RECT, cv::Size(1, int(gray.rows * 0.6)));
      cv::Mat lines, opened;
      for (const cv::Mat &ink : otsu) {
        cv::morphologyEx(ink, lines, cv::MORPH_OPEN, across);
        cv::morphologyEx(ink, opened, cv::MORPH_OPEN, down);
        cv::dilate(lines | opened, lines, cv::Mat::ones(3, 3, CV_8U));
        consider(ink & ~lines);
      }
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
    // A sloping line is a plate turned in the picture (the camera rolled: its characters lean with the line) or
    // a plate seen from the side (the camera turned: its characters stay upright, the line slopes, the plate is
    // sheared). Each character's principal axis tells which: turned with the line, or (for a sheared character,
    // whose top and bottom slope) leaning slightly the other way. A sheared plate is straightened by a shear,
    // keeping its characters upright; turning it would make them lean.
    // Only a line sloping by 8 degrees or more: below that, a character's own slant (a 7, a J) is as large as what
    // tells the two apart, and a shear and a rotation hardly differ. The axes are measured only then.
    bool shear = false;
    if (allow_shear && std::abs(angle) >= 8.f * float(CV_PI) / 180.f) {
      std::vector<float> leans;
      for (size_t i = 0; i < best.size(); i++) {
        if (!onLine[i]) continue;
        const auto [lean, elongation] = principal_axis(bestLabels, best[i]);
        if (elongation > 2.f) leans.push_back(lean);
      }
      if (!leans.empty()) {
        std::nth_element(leans.begin(), leans.begin() + long(leans.size() / 2), leans.end());
        const float lean = leans[leans.size() / 2];
        shear = lean * angle <= 0.1f * angle * angle;
      }
    }
    // Coordinates along the line and across it: a rotated frame, or for a shear, x and the height above the
    // sloping line (so that the quadrilateral's sides stay vertical).
    const cv::Point2f u(std::cos(angle), std::sin(angle)), v(-std::sin(angle), std::cos(angle));
    auto along = [&](cv::Point2f p) { return shear ? p.x : p.dot(u); };
    auto across = [&](cv::Point2f p) { return shear ? p.y - slope * p.x : p.dot(v); };
    auto at = [&](float a, float b) { return shear ? cv::Point2f(a, slope * a + b) : u * a + v * b; };
    // Across the line: the characters' extent. Along it: the whole box, so that a first or last character
    // that did not separate from the plate's border is not cut off.
    float umin = 1e9f, umax = -1e9f, vmin = 1e9f, vmax = -1e9f;
    for (auto &p : corners) {
      float pv = across(p);
      vmin = std::min(vmin, pv); vmax = std::max(vmax, pv);
    }
    const float W = float(gray.cols), H = float(gray.rows);
    for (const cv::Point2f &p : {cv::Point2f(0, 0), cv::Point2f(W, 0), cv::Point2f(W, H), cv::Point2f(0, H)}) {
      float pu = along(p);
      umin = std::min(umin, pu); umax = std::max(umax, pu);
    }
    const cv::Point2f q[4] = {at(umin, vmin), at(umax, vmin), at(umax, vmax), at(umin, vmax)};
    // The registration's span: from the first to the last character on the line of at least 3/4 of the
    // median height; smaller ones outside it are decoration.
    std::nth_element(heights.begin(), heights.begin() + long(heights.size() / 2), heights.end());
    std::nth_element(widths.begin(), widths.begin() + long(widths.size() / 2), widths.end());
    const float mh = heights[heights.size() / 2], mw = widths[widths.size() / 2];
    float smin = 1e9f, smax = -1e9f;
    for (size_t i = 0; i < best.size(); i++) {
      if (!onLine[i] || float(best[i].rect.height) < 0.75f * mh) continue;
      const cv::Rect &b = best[i].rect;
      smin = std::min(smin, std::min(along(cv::Point2f(float(b.x), float(b.y))), along(cv::Point2f(float(b.x), float(b.y + b.height)))));
      smax = std::max(smax, std::max(along(cv::Point2f(float(b.x + b.width), float(b.y))),
                                     along(cv::Point2f(float(b.x + b.width), float(b.y + b.height)))));
    }
    if (smax > smin && umax > umin) {
      smin -= mw / 3; smax += mw / 3;
      for (size_t i = 0; i < best.size(); i++) {
        const float cu = along(best[i].centre);
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
    *sheared = shear;
    *found = 1;
    return CVN_OK;
  });
}
