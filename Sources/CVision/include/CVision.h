/// CVision: MicroANPR's vision core behind a plain C ABI.
///
/// Every symbol is prefixed `cvn_`; every object is an opaque handle created and freed through this header.
/// Functions return a `cvn_status`; on failure `cvn_last_error()` gives a message for the calling thread.
/// Images are 8-bit BGR. Tensors are float32, NCHW.
#ifndef CVISION_H
#define CVISION_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  CVN_OK = 0,
  CVN_ERR_INVALID_ARGUMENT = 1,
  CVN_ERR_EMPTY_INPUT = 2,
  CVN_ERR_UNSUPPORTED_FORMAT = 3,
  CVN_ERR_CORRUPT_IMAGE = 4,
  CVN_ERR_TOO_LARGE = 5,
  CVN_ERR_RUNTIME_LOAD = 6,
  CVN_ERR_MODEL_LOAD = 7,
  CVN_ERR_INFERENCE = 8,
  CVN_ERR_INTERNAL = 9
} cvn_status;

typedef enum {
  CVN_FORMAT_UNKNOWN = 0,
  CVN_FORMAT_JPEG = 1,
  CVN_FORMAT_PNG = 2,
  CVN_FORMAT_WEBP = 3,
  CVN_FORMAT_BMP = 4
} cvn_format;

typedef struct cvn_image cvn_image;
typedef struct cvn_runtime cvn_runtime;
typedef struct cvn_session cvn_session;
typedef struct cvn_outputs cvn_outputs;
typedef struct cvn_video cvn_video;

/// The message of the last failed call on this thread (never NULL).
const char *cvn_last_error(void);

// MARK: images

/// Reads the container format and pixel size from the header only, without decoding.
cvn_status cvn_image_probe(const uint8_t *data, size_t length, cvn_format *format, int *width, int *height);
/// Decodes JPEG/PNG/WebP/BMP from memory, applying EXIF orientation. Refuses images above `max_pixels`
/// (width x height, read from the header before decoding) with CVN_ERR_TOO_LARGE.
cvn_status cvn_image_decode(const uint8_t *data, size_t length, int64_t max_pixels, cvn_image **out);
/// Wraps a copy of packed BGR pixels (stride = width * 3).
cvn_status cvn_image_from_bgr(const uint8_t *pixels, int width, int height, cvn_image **out);
void cvn_image_free(cvn_image *image);
void cvn_image_size(const cvn_image *image, int *width, int *height);
/// Perspective-warps the quadrilateral `quad` (x0,y0 .. x3,y3: top-left, top-right, bottom-right,
/// bottom-left; may reach outside the image, borders replicate) to a new `width` x `height` image.
/// With `quad` NULL the whole image is resized.
cvn_status cvn_image_warp(const cvn_image *image, const float *quad, int width, int height, cvn_image **out);
/// Writes `image` (or `quad` of it, as in cvn_image_warp) resized to content_w x content_h into the top-left
/// of a canvas_w x canvas_h float CHW tensor: value = (pixel / 255 - mean[c]) / std[c], channels in RGB order
/// when `rgb` is non-zero, BGR otherwise; the rest of the canvas is `pad_pixel` normalised the same way.
/// With `stretch_below_range` above 0 and `stretch_max_gain` above 1, content whose 1st and 99th percentiles of
/// lightness are fewer than `stretch_below_range` levels apart (an underexposed or hazy picture) has its levels
/// stretched first: the 1st percentile to 20, at most `stretch_max_gain` times the contrast, the 99th to 235 at most.
/// `flags`: CVN_TENSOR_EQUALIZE applies contrast-limited adaptive histogram equalisation (CLAHE) to the
/// lightness of the resized content first.
cvn_status cvn_image_to_tensor(const cvn_image *image, const float *quad, int content_w, int content_h,
                               int canvas_w, int canvas_h, int rgb, const float mean[3], const float std[3],
                               float pad_pixel, int flags, int stretch_below_range, float stretch_max_gain,
                               float *out);
enum { CVN_TENSOR_EQUALIZE = 1 };
/// Encodes as JPEG, PNG, WebP or BMP (`quality` 1-100 for JPEG and WebP); the buffer is freed with
/// cvn_buffer_free.
cvn_status cvn_image_encode(const cvn_image *image, cvn_format format, int quality, uint8_t **data, size_t *length);
void cvn_buffer_free(void *buffer);

// MARK: video

/// Where a video comes from, which decides what FFmpeg may open for it.
typedef enum {
  /// A local file (an upload, a file camera): opened through FFmpeg's `file` protocol only.
  CVN_SOURCE_FILE = 0,
  /// A camera stream: `rtsp://`, `rtsps://`, `http://` or `https://` (the caller has checked its address).
  CVN_SOURCE_NETWORK = 1,
} cvn_source;

/// Opens a video (self-contained containers and camera streams as the system's FFmpeg decodes them; formats
/// that name further files or URLs, such as HLS playlists, concat lists, SDP and image sequences, are refused
/// with CVN_ERR_UNSUPPORTED_FORMAT).
cvn_status cvn_video_open(const char *location, cvn_source source, cvn_video **out);
/// Frames per second, frame count (as the container states it; may be 0 when unknown) and frame size.
void cvn_video_info(const cvn_video *video, double *fps, int64_t *frames, int *width, int *height);
/// Skips `skip` frames without decoding them, then decodes the next one into *out (NULL at the end of the
/// stream) with its position in milliseconds.
cvn_status cvn_video_next(cvn_video *video, int skip, cvn_image **out, double *millis);
void cvn_video_free(cvn_video *video);
/// Mean absolute difference (0..255) between two images shrunk to 64x48 grey: a cheap motion measure.
cvn_status cvn_image_difference(const cvn_image *a, const cvn_image *b, double *difference);
/// The 1st percentile, median and 99th percentile of `image`'s lightness (0..255), on the same 64x48 grey thumbnail:
/// how dark and how flat a picture is.
cvn_status cvn_image_levels(const cvn_image *image, int *low, int *median, int *high);

/// A new image with `image`'s levels raised by a gamma so that its median lightness (as `cvn_image_levels` measures
/// it) reaches `to_median` (1-254), the gamma at most 2.4 times lighter: a dark picture whose highlights are kept
/// (dusk), brightened for the detector. `*out` is NULL when the image is already that light (nothing to lift).
cvn_status cvn_image_lifted(const cvn_image *image, int to_median, cvn_image **out);

/// How far `box` (x, y, w, h; clipped to the image) of `image` looks smeared by motion, along its rows
/// (`lengths[0]`) and along its columns (`lengths[1]`): the lag from 2 to `max_length` pixels at which the
/// autocorrelation of the grey levels' derivative in that direction is lowest. A blur by a box of L pixels turns the
/// derivative into the difference of two copies of the sharp picture L pixels apart, so its autocorrelation dips
/// at L; a sharp plate's dips at its strokes' width, a few pixels. Lengths are 0 for a box too small to measure.
cvn_status cvn_image_motion_blur(const cvn_image *image, float x, float y, float w, float h, int max_length,
                                 int lengths[2]);
/// A new image: `region` (x, y, w, h; clipped to the image) of `image` deconvolved from a blur by a box of
/// `length` pixels (2 to 64) along its rows (`vertical` 0) or its columns, by a Wiener filter whose
/// noise-to-signal ratio is `balance` (above 0; larger is smoother).
cvn_status cvn_image_deblur(const cvn_image *image, float x, float y, float w, float h, int vertical, int length,
                            float balance, cvn_image **out);

/// Finds the line of characters inside `box` (x, y, w, h) of `image`: character-sized blobs (dark on light
/// or light on dark, whichever gives more) whose centres are fitted with a line. Writes the rotated rectangle
/// along that line, as high as the characters and as long as the box, as a quadrilateral (top-left, top-right, bottom-right, bottom-left along the line) and its
/// angle in degrees (positive: clockwise in image coordinates). *found is 0 when fewer than three
/// character blobs line up. `span` receives where the full-height characters on the line begin and end, as
/// fractions of the quadrilateral's length (widened by a third of a character), and *decorated is 1 when
/// characters clearly smaller than those (stacked letters, a state name, a sticker) lie outside that span.
/// With `adaptive_block` > 0, when one threshold for the whole box finds fewer than three characters, they are
/// looked for with a threshold from each pixel's neighbourhood of that many pixels (the box scaled to 96 high),
/// and then, still fewer, under the whole-box threshold with the box's long runs (a frame) taken away.
/// With `allow_shear`, a sloping line whose characters stay upright (a plate seen from the side, not turned)
/// gets a parallelogram with vertical sides instead of the rotated rectangle, and *sheared is 1.
cvn_status cvn_estimate_text_line(const cvn_image *image, const float box[4], int adaptive_block, int allow_shear,
                                  float quad[8], float *degrees, float span[2], int *decorated, int *sheared, int *found);

// MARK: inference (ONNX Runtime C API, loaded at run time from a given library path)

/// Loads the ONNX Runtime shared library and creates its environment. One per process is enough.
cvn_status cvn_runtime_create(const char *library_path, cvn_runtime **out);
void cvn_runtime_free(cvn_runtime *runtime);
/// The runtime library's version string.
const char *cvn_runtime_version(const cvn_runtime *runtime);
/// Creates a session for one model with `intra_threads` intra-op threads (>= 1). Sessions are thread-safe.
cvn_status cvn_session_create(cvn_runtime *runtime, const char *model_path, int intra_threads, cvn_session **out);
void cvn_session_free(cvn_session *session);
/// A custom metadata value of the model, malloc'ed (free with cvn_buffer_free); *value NULL when absent.
cvn_status cvn_session_metadata(cvn_session *session, const char *key, char **value);
/// Runs the model on one float32 input tensor; outputs are freed with cvn_outputs_free.
cvn_status cvn_session_run(cvn_session *session, const float *input, const int64_t *shape, size_t rank,
                           cvn_outputs **out);
size_t cvn_outputs_count(const cvn_outputs *outputs);
/// Data and shape of output `index` (float32). Pointers stay valid until cvn_outputs_free.
const float *cvn_outputs_tensor(const cvn_outputs *outputs, size_t index, const int64_t **shape, size_t *rank);
void cvn_outputs_free(cvn_outputs *outputs);

// MARK: geometry

/// Greedy non-maximum suppression over `count` boxes (x, y, w, h), highest score first. Writes the kept
/// indices to `keep` (capacity `count`) and their number to `kept`.
cvn_status cvn_nms(const float *boxes, const float *scores, int count, float iou_threshold, int *keep, int *kept);

#ifdef __cplusplus
}
#endif
#endif
