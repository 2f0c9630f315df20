import CVision
import Foundation

/// A video file opened for sequential decoding through the vision core.
public final class Video: @unchecked Sendable {
    /// File extensions of the containers and streams the vision core opens (its FFmpeg allow-list: MP4/MOV, Matroska
    /// and WebM, AVI, MPEG-TS and program streams, FLV, ASF, MJPEG and raw H.264/HEVC streams).
    public static let fileExtensions: Set<String> = [
        "mp4", "m4v", "mov", "3gp", "mkv", "webm", "avi", "ts", "m2ts", "mts", "mpg", "mpeg", "flv", "asf", "wmv",
        "mjpeg", "mjpg", "h264", "264", "hevc", "h265", "265",
    ]

    private let handle: OpaquePointer
    /// Frames per second as the container states it (0 when unknown).
    public let fps: Double
    /// Frame count as the container states it (0 when unknown).
    public let frameCount: Int
    public let width: Int
    public let height: Int

    /// Opens a local video file (a relative path is taken from the current directory) through FFmpeg's `file`
    /// protocol only; fails with `unsupportedFormat` for anything FFmpeg cannot decode and for formats that
    /// name further files or URLs (playlists, concat lists, SDP, image sequences).
    public convenience init(path: String) throws(VisionError) {
        let absolute =
            path.hasPrefix("/") || path.lowercased().hasPrefix("file://")
            ? path : FileManager.default.currentDirectoryPath + "/" + path
        try self.init(location: absolute, source: CVN_SOURCE_FILE)
    }

    /// Opens a camera stream (`rtsp://`, `rtsps://`, `http://`, `https://`) whose address the caller has checked.
    public convenience init(stream url: String) throws(VisionError) {
        try self.init(location: url, source: CVN_SOURCE_NETWORK)
    }

    private init(location: String, source: cvn_source) throws(VisionError) {
        var out: OpaquePointer?
        try VisionError.check(cvn_video_open(location, source, &out))
        handle = out!
        var fps = 0.0, frames: Int64 = 0, w: Int32 = 0, h: Int32 = 0
        cvn_video_info(handle, &fps, &frames, &w, &h)
        self.fps = fps.isFinite && fps > 0 ? fps : 0
        frameCount = Int(frames)
        width = Int(w); height = Int(h)
    }

    deinit { cvn_video_free(handle) }

    /// Duration in seconds when the container states frame count and rate, else nil.
    public var duration: Double? { fps > 0 && frameCount > 0 ? Double(frameCount) / fps : nil }

    /// Skips `skip` frames, then decodes the next; nil at the end of the stream.
    public func next(skipping skip: Int = 0) throws(VisionError) -> (image: Image, millis: Double)? {
        var out: OpaquePointer?
        var millis = 0.0
        try VisionError.check(cvn_video_next(handle, Int32(max(0, skip)), &out, &millis))
        guard let out else { return nil }
        return (Image(handle: out), millis)
    }
}

extension Image {
    /// Mean absolute grey-level difference (0-255) with another image, both shrunk to 64x48.
    public func difference(_ other: Image) throws(VisionError) -> Double {
        var d = 0.0
        try VisionError.check(cvn_image_difference(handle, other.handle, &d))
        return d
    }

    /// How dark and how flat the picture is: the 1st percentile, median and 99th percentile of its lightness
    /// (0-255), on the same 64x48 grey thumbnail.
    public func levels() throws(VisionError) -> (low: Int, median: Int, high: Int) {
        var low: Int32 = 0, median: Int32 = 0, high: Int32 = 0
        try VisionError.check(cvn_image_levels(handle, &low, &median, &high))
        return (Int(low), Int(median), Int(high))
    }

    /// This picture with its levels raised by a gamma so that its median lightness (as ``levels()`` measures it)
    /// reaches `median` (1-254), the gamma at most 2.4 times lighter; nil when it is already that light. The
    /// measure and the lift are one pass, so a caller need not measure first.
    public func lifted(toMedian median: Int) throws(VisionError) -> Image? {
        var out: OpaquePointer?
        try VisionError.check(cvn_image_lifted(handle, Int32(median), &out))
        return out.map { Image(handle: $0) }
    }
}
