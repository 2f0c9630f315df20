// libFuzzer target: an uploaded video as the job worker opens it (written to a file, opened through the vision
// core with its FFmpeg allow-lists, up to 4 frames decoded), built with AddressSanitizer by fuzz/run.sh.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "CVision.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // One file per process, rewritten for each input (libFuzzer runs inputs one after another).
  static const std::string path = "/dev/shm/microanpr-fuzz-video-" + std::to_string(getpid()) + ".bin";
  FILE *f = std::fopen(path.c_str(), "wb");
  if (!f) return 0;
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  cvn_video *video = nullptr;
  if (cvn_video_open(path.c_str(), CVN_SOURCE_FILE, &video) == CVN_OK && video) {
    double fps = 0;
    int64_t frames = 0;
    int w = 0, h = 0;
    cvn_video_info(video, &fps, &frames, &w, &h);
    for (int i = 0; i < 4; i++) {
      cvn_image *frame = nullptr;
      double millis = 0;
      if (cvn_video_next(video, i == 2 ? 1 : 0, &frame, &millis) != CVN_OK || !frame) break;
      cvn_image_free(frame);
    }
    cvn_video_free(video);
  }
  return 0;
}
