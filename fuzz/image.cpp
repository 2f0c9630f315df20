// libFuzzer target: the vision core's image path as an upload reaches it (probe, then decode with the pixel
// limit, then the geometry the recogniser runs on every image), built with AddressSanitizer by fuzz/run.sh.
#include <cstddef>
#include <cstdint>

#include "CVision.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  cvn_format format;
  int width = 0, height = 0;
  if (cvn_image_probe(data, size, &format, &width, &height) != CVN_OK) return 0;
  cvn_image *image = nullptr;
  if (cvn_image_decode(data, size, 4'000'000, &image) != CVN_OK || !image) return 0;
  int w = 0, h = 0;
  cvn_image_size(image, &w, &h);
  // A crop warped out of the decoded picture, as the reader does for every plate box.
  const float quad[8] = {0, 0, float(w) * 0.9f, 0, float(w) * 0.9f, float(h) * 0.5f, 0, float(h) * 0.5f};
  cvn_image *crop = nullptr;
  if (cvn_image_warp(image, quad, 64, 16, &crop) == CVN_OK) cvn_image_free(crop);
  uint8_t *jpeg = nullptr;
  size_t length = 0;
  if (cvn_image_encode(image, CVN_FORMAT_JPEG, 80, &jpeg, &length) == CVN_OK) cvn_buffer_free(jpeg);
  cvn_image_free(image);
  return 0;
}
