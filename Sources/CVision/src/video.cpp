// Videos: demuxed and decoded with the system's FFmpeg libraries directly (libavformat, libavcodec, libswscale).
//
// Why not OpenCV's VideoCapture (used until 2026-12-03): a video is read every few frames, and VideoCapture decodes
// every frame it skips, with as many decoder threads as the machine has cores on top of our inference workers.
// Here a frame nobody will look at and that no other frame refers to (most B-frames) is not decoded at all, and a
// file is decoded on one thread: measured in docs/benchmarks.md ("video frames decoded only when needed").
#include "internal.hpp"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/display.h>
#include <libswscale/swscale.h>
}

#include <chrono>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <string>
#include <thread>

using namespace cvn_detail;

namespace {
// Why: FFmpeg's demuxers open further URLs named inside a file (HLS and DASH playlists, concat lists, SDP,
// image sequences, tty text), so an uploaded "video" could make the server read its own files or reach its
// network, and a camera could send a playlist pointing anywhere. Every open is limited to self-contained
// containers and camera stream formats, and to the protocols each source needs.
constexpr const char *kFormats =
    "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,avi,mpegts,flv,asf,mpeg,mjpeg,mpjpeg,h264,hevc,rtsp";
constexpr const char *kNetworkProtocols = "file,rtsp,rtsps,rtp,srtp,tcp,udp,tls,http,https";
/// Opening a stream and each read give up after this long (a camera that stops answering must not block forever).
constexpr int64_t kTimeoutMillis = 10000;
/// Packets decoded in a row without a frame coming out before the stream counts as ended (as OpenCV did: a
/// camera sending only undecodable data must not keep its grabber busy forever).
constexpr int kMaxPacketsWithoutFrame = 4096;
/// Bytes after a converted frame that swscale may write (its BGR writers go up to 15 pixels past the last one).
constexpr size_t kScalerSlack = 64;

bool hasPrefix(const std::string &s, const char *prefix) {
  std::string p(prefix);
  if (s.size() < p.size()) return false;
  for (size_t i = 0; i < p.size(); i++)
    if (std::tolower(static_cast<unsigned char>(s[i])) != p[i]) return false;
  return true;
}

int64_t nowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

/// The options every open gets. An operator's own options from OPENCV_FFMPEG_CAPTURE_OPTIONS (the variable
/// OpenCV read, kept so that existing set-ups still work; `key;value|key;value`) come first and ours after them,
/// so they may tune transports and timeouts but not widen what may be opened.
AVDictionary *openOptions(bool network) {
  AVDictionary *dict = nullptr;
  if (const char *own = std::getenv("OPENCV_FFMPEG_CAPTURE_OPTIONS"); own && *own) {
    std::string theirs(own);
    if (theirs.find("whitelist") == std::string::npos) av_dict_parse_string(&dict, own, ";", "|", 0);
  }
  av_dict_set(&dict, "format_whitelist", kFormats, 0);
  if (network) {
    av_dict_set(&dict, "protocol_whitelist", kNetworkProtocols, 0);
    if (!av_dict_get(dict, "rtsp_transport", nullptr, 0)) av_dict_set(&dict, "rtsp_transport", "tcp", 0);
    // An HTTP camera's address is checked by the outbound policy before it is opened; a redirect would take
    // FFmpeg to an address nobody checked (a private one), so a 3xx answer fails the open instead.
    av_dict_set(&dict, "max_redirects", "0", 0);
  } else {
    av_dict_set(&dict, "protocol_whitelist", "file", 0);
  }
  return dict;
}

/// FFmpeg's own log lines would reach the server's stderr for every corrupt upload; errors are reported through
/// statuses instead.
__attribute__((constructor)) void quietFFmpeg() { av_log_set_level(AV_LOG_QUIET); }
} // namespace

struct cvn_video {
  AVFormatContext *format = nullptr;
  AVCodecContext *codec = nullptr;
  AVPacket *packet = nullptr;
  AVFrame *frame = nullptr;
  SwsContext *scaler = nullptr;
  int stream = -1;
  /// Degrees clockwise that turn a decoded frame upright (0, 90, 180 or 270), from the stream's display matrix.
  int rotation = 0;
  double fps = 0;
  int64_t frames = 0;
  /// Pixels of a frame as the stream declares them at open (what the caller's pixel limit was checked against).
  int64_t declaredPixels = 0;
  /// Display-order index of the next frame handed out (files), and of the frames decoded so far (those without
  /// a usable timestamp).
  int64_t wanted = 0, counted = 0;
  /// Whether frames may be left undecoded: only for files whose packets carry timestamps that place them.
  bool mayDiscard = false;
  bool network = false, draining = false;
  /// When the current blocking operation gives up (milliseconds on the steady clock; 0: never).
  int64_t deadline = 0;

  ~cvn_video() {
    sws_freeContext(scaler);
    av_frame_free(&frame);
    av_packet_free(&packet);
    avcodec_free_context(&codec);
    avformat_close_input(&format);
  }

  /// Seconds from the stream's start of a timestamp in stream units (negative before it).
  double seconds(int64_t pts) const {
    const AVStream *st = format->streams[stream];
    return double(pts - (st->start_time == AV_NOPTS_VALUE ? 0 : st->start_time)) * av_q2d(st->time_base);
  }

  /// Display-order index of a timestamp (negative before the stream's start), or kNoIndex.
  static constexpr int64_t kNoIndex = INT64_MIN;
  int64_t index(int64_t pts) const {
    return pts == AV_NOPTS_VALUE || fps <= 0 ? kNoIndex : std::llround(seconds(pts) * fps);
  }

  double millis(int64_t pts) const { return pts == AV_NOPTS_VALUE ? 0 : std::max(0.0, seconds(pts) * 1000); }
};

static int interrupted(void *opaque) {
  auto *v = static_cast<cvn_video *>(opaque);
  return v->deadline != 0 && nowMillis() > v->deadline;
}

/// The clockwise turn that shows a stream's frames as players do: phones record with the sensor's orientation and
/// a display matrix in the metadata (FFmpeg's own players turn by minus its counter-clockwise angle).
static int uprightRotation(const AVStream *stream) {
  size_t size = 0;
  const uint8_t *matrix = av_stream_get_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, &size);
  if (!matrix || size < 9 * sizeof(int32_t)) return 0;
  const double angle = av_display_rotation_get(reinterpret_cast<const int32_t *>(matrix));
  if (!std::isfinite(angle)) return 0;
  int turn = int(std::lround(-angle));
  turn = ((turn % 360) + 360) % 360;
  return turn == 90 || turn == 180 || turn == 270 ? turn : 0;
}

extern "C" cvn_status cvn_video_open(const char *location, cvn_source source, cvn_video **out) {
  if (!location || !out) return fail(CVN_ERR_INVALID_ARGUMENT, "null argument");
  *out = nullptr;
  std::string path(location);
  const bool network = source == CVN_SOURCE_NETWORK;
  if (source == CVN_SOURCE_FILE) {
    // `file:` makes FFmpeg treat the whole string as a local path, whatever it looks like.
    if (hasPrefix(path, "file://")) path = path.substr(7);
    if (path.empty() || path[0] != '/') return fail(CVN_ERR_INVALID_ARGUMENT, "a video file needs an absolute path");
    path = "file:" + path;
  } else if (network) {
    if (!hasPrefix(path, "rtsp://") && !hasPrefix(path, "rtsps://") && !hasPrefix(path, "http://") && !hasPrefix(path, "https://"))
      return fail(CVN_ERR_INVALID_ARGUMENT, "a camera stream must be rtsp://, rtsps://, http:// or https://");
  } else {
    return fail(CVN_ERR_INVALID_ARGUMENT, "unknown video source");
  }
  return guarded([&] {
    const auto undecodable = [] { return fail(CVN_ERR_UNSUPPORTED_FORMAT, "not a video that can be decoded"); };
    auto v = std::make_unique<cvn_video>();
    v->network = network;
    v->format = avformat_alloc_context();
    if (!v->format) return fail(CVN_ERR_INTERNAL, "out of memory");
    v->format->interrupt_callback = AVIOInterruptCB{interrupted, v.get()};
    if (network) v->deadline = nowMillis() + kTimeoutMillis;
    AVDictionary *options = openOptions(network);
    // A raw motion-JPEG file probes as a single JPEG image (a format not allowed here); its name says what it is.
    const AVInputFormat *hint = nullptr;
    const size_t dot = path.rfind('.');
    if (!network && dot != std::string::npos) {
      std::string ext = path.substr(dot + 1);
      for (auto &c : ext) c = char(std::tolower(static_cast<unsigned char>(c)));
      if (ext == "mjpeg" || ext == "mjpg") hint = av_find_input_format("mjpeg");
    }
    const int opened = avformat_open_input(&v->format, path.c_str(), hint, &options);
    av_dict_free(&options);
    if (opened < 0) {
      v->format = nullptr;  // freed by avformat_open_input on failure
      return undecodable();
    }
    if (avformat_find_stream_info(v->format, nullptr) < 0) return undecodable();
    const AVCodec *decoder = nullptr;
    v->stream = av_find_best_stream(v->format, AVMEDIA_TYPE_VIDEO, -1, -1, &decoder, 0);
    if (v->stream < 0 || !decoder) return undecodable();
    AVStream *stream = v->format->streams[v->stream];
    // Only the video stream's packets are wanted; the demuxer drops the others.
    for (unsigned i = 0; i < v->format->nb_streams; i++)
      if (int(i) != v->stream) v->format->streams[i]->discard = AVDISCARD_ALL;
    v->codec = avcodec_alloc_context3(decoder);
    if (!v->codec || avcodec_parameters_to_context(v->codec, stream->codecpar) < 0) return undecodable();
    v->codec->pkt_timebase = stream->time_base;
    // A file is read by the inference workers as fast as they go, one core each: more decoder threads would
    // only take turns with them. A camera stream is decoded whole, frame after frame, by its grabber thread
    // alone, so it may use every core.
    v->codec->thread_count = network ? 0 : 1;
    if (avcodec_open2(v->codec, decoder, nullptr) < 0) return undecodable();
    if (v->codec->width <= 0 || v->codec->height <= 0)
      return fail(CVN_ERR_CORRUPT_IMAGE, "video has no decodable picture");
    v->declaredPixels = int64_t(v->codec->width) * v->codec->height;
    v->packet = av_packet_alloc();
    v->frame = av_frame_alloc();
    if (!v->packet || !v->frame) return fail(CVN_ERR_INTERNAL, "out of memory");
    v->rotation = uprightRotation(stream);
    const AVRational rate = av_guess_frame_rate(v->format, stream, nullptr);
    v->fps = rate.num > 0 && rate.den > 0 ? av_q2d(rate) : 0;
    v->frames = stream->nb_frames;
    if (v->frames <= 0 && v->fps > 0) {
      // As OpenCV did: the duration times the rate when the container does not count frames.
      double seconds = 0;
      if (v->format->duration != AV_NOPTS_VALUE && v->format->duration > 0)
        seconds = double(v->format->duration) / AV_TIME_BASE;
      else if (stream->duration != AV_NOPTS_VALUE && stream->duration > 0)
        seconds = double(stream->duration) * av_q2d(stream->time_base);
      v->frames = int64_t(std::floor(seconds * v->fps + 0.5));
    }
    v->mayDiscard = !network && v->fps > 0;
    v->deadline = 0;
    *out = v.release();
    return CVN_OK;
  });
}

extern "C" void cvn_video_info(const cvn_video *video, double *fps, int64_t *frames, int *width, int *height) {
  const bool turned = video->rotation == 90 || video->rotation == 270;
  if (fps) *fps = video->fps;
  if (frames) *frames = std::max<int64_t>(0, video->frames);
  if (width) *width = turned ? video->codec->height : video->codec->width;
  if (height) *height = turned ? video->codec->width : video->codec->height;
}

/// Decodes until a frame comes out; false at the end of the stream. Before each packet is decoded, a packet
/// that no one will look at may be marked so that the decoder drops it when no other frame refers to it.
static bool decodeFrame(cvn_video *v) {
  int withoutFrame = 0;
  while (true) {
    // A broken frame is an error here; decoders recover at the next one.
    const int got = avcodec_receive_frame(v->codec, v->frame);
    if (got == 0) return true;
    // Drained (or the decoder has nothing more after the end): the stream is over.
    if (got == AVERROR_EOF || v->draining) return false;
    if (v->network) v->deadline = nowMillis() + kTimeoutMillis;
    int read, again = 0;
    while (true) {
      read = av_read_frame(v->format, v->packet);
      // A stream with nothing to hand out yet (some network demuxers) is asked again, for at most the read timeout.
      if (read == AVERROR(EAGAIN) && ++again < kTimeoutMillis / 2 && !interrupted(v)) {
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        continue;
      }
      if (read >= 0 && v->packet->stream_index != v->stream) {
        av_packet_unref(v->packet);
        continue;
      }
      break;
    }
    if (read < 0) {
      // The end, or a stream that stopped answering: what the decoder holds is still handed out.
      v->draining = true;
      avcodec_send_packet(v->codec, nullptr);
      continue;
    }
    bool discarding = false;
    if (v->mayDiscard) {
      // Which frame this packet shows (in display order): one before the next wanted frame or later is decoded
      // in full; an earlier one is dropped if it is not a reference (the decoder decides). Missing timestamps:
      // everything is decoded.
      const int64_t pts = v->packet->pts != AV_NOPTS_VALUE ? v->packet->pts : v->packet->dts;
      const int64_t at = v->index(pts);
      discarding = at != cvn_video::kNoIndex && at < v->wanted - 1;
      v->codec->skip_frame = discarding ? AVDISCARD_NONREF : AVDISCARD_DEFAULT;
    }
    avcodec_send_packet(v->codec, v->packet);
    av_packet_unref(v->packet);
    if (!discarding && ++withoutFrame > kMaxPacketsWithoutFrame) return false;
  }
}

extern "C" cvn_status cvn_video_next(cvn_video *video, int skip, cvn_image **out, double *millis) {
  if (!video || !out) return fail(CVN_ERR_INVALID_ARGUMENT, "null argument");
  *out = nullptr;
  return guarded([&] {
    cvn_video *v = video;
    v->wanted = v->counted + std::max(0, skip);
    int64_t at = -1;
    while (true) {
      if (!decodeFrame(v)) return CVN_OK;
      at = v->frame->best_effort_timestamp;
      // A frame's place: from its timestamp when there is one, else by counting.
      int64_t index = v->mayDiscard ? v->index(at) : cvn_video::kNoIndex;
      if (v->mayDiscard && (index == cvn_video::kNoIndex || index < v->counted - 8)) {
        // No timestamp, or timestamps that went back (a file joined from pieces): counted from here on, with
        // every frame decoded, so that no frame is lost to a wrong place.
        v->mayDiscard = false;
        v->codec->skip_frame = AVDISCARD_DEFAULT;
        index = cvn_video::kNoIndex;
      }
      if (index == cvn_video::kNoIndex) index = v->counted;
      v->counted = std::max(v->counted, index) + 1;
      if (index >= v->wanted) break;
      av_frame_unref(v->frame);
    }
    AVFrame *f = v->frame;
    if (f->width <= 0 || f->height <= 0 || f->format < 0) {
      av_frame_unref(f);
      return fail(CVN_ERR_CORRUPT_IMAGE, "video frame has no picture");
    }
    // The caller checked the declared frame size against its pixel limit; a stream that later switches to far
    // larger frames (a crafted file) must not get past it.
    if (int64_t(f->width) * f->height > 2 * v->declaredPixels) {
      av_frame_unref(f);
      return fail(CVN_ERR_CORRUPT_IMAGE, "video frame larger than the size its stream declares");
    }
    v->scaler = sws_getCachedContext(v->scaler, f->width, f->height, AVPixelFormat(f->format), f->width, f->height,
                                     AV_PIX_FMT_BGR24, SWS_BICUBIC, nullptr, nullptr, nullptr);
    if (!v->scaler) {
      av_frame_unref(f);
      return fail(CVN_ERR_UNSUPPORTED_FORMAT, "video frame format cannot be converted");
    }
    // Why the spare bytes: swscale's SIMD converters write packed BGR in blocks of 16 pixels, so when the width
    // is not a multiple of 16 (1000, 1080 and 360 wide: vertical phone videos) its last row runs up to 45 bytes
    // past the picture; into an exact-size buffer that corrupted the heap and crashed the process. Earlier rows'
    // spill lands on the next row, which is written after it.
    const size_t rowBytes = size_t(f->width) * 3;
    cv::Mat buffer(1, int(rowBytes * f->height + kScalerSlack), CV_8U);
    cv::Mat frame = buffer.colRange(0, int(rowBytes * f->height)).reshape(3, f->height);
    uint8_t *planes[4] = {frame.data, nullptr, nullptr, nullptr};
    int steps[4] = {int(rowBytes), 0, 0, 0};
    sws_scale(v->scaler, f->data, f->linesize, 0, f->height, planes, steps);
    if (millis) *millis = v->millis(at);
    av_frame_unref(f);
    if (v->rotation == 90) cv::rotate(frame, frame, cv::ROTATE_90_CLOCKWISE);
    else if (v->rotation == 180) cv::rotate(frame, frame, cv::ROTATE_180);
    else if (v->rotation == 270) cv::rotate(frame, frame, cv::ROTATE_90_COUNTERCLOCKWISE);
    *out = new cvn_image{std::move(frame)};
    return CVN_OK;
  });
}

extern "C" void cvn_video_free(cvn_video *video) { delete video; }
