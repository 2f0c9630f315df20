// Non-maximum suppression of detector boxes.
#include "internal.hpp"

using namespace cvn_detail;

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
