import Core
import Foundation
import HTTPTypes
import Recognition
import Vision

/// Checks an image's header: 400 empty/corrupt, 413 above the pixel limit, 415 not an image.
func probeUpload(_ bytes: [UInt8], maxPixels: Int) throws -> ImageFormat {
    if bytes.isEmpty { throw APIError.badRequest("the uploaded file is empty", code: .emptyInput) }
    do {
        let p = try Image.probe(bytes)
        if p.width * p.height > maxPixels {
            throw APIError(
                .contentTooLarge, .imageTooLarge,
                "image is \(p.width)x\(p.height) pixels, above the limit of \(maxPixels)")
        }
        return p.format
    } catch let e as VisionError {
        throw APIError(RecognitionError.vision(e))
    }
}

extension APIError {
    /// The HTTP error of a recognition failure.
    init(_ e: RecognitionError) {
        self =
            switch e {
            case .vision(.unsupportedFormat(let m)): APIError(.unsupportedMediaType, .unsupportedMediaType, m)
            case .vision(.tooLarge(let m)), .tooLarge(let m): APIError(.contentTooLarge, .imageTooLarge, m)
            case .vision(.emptyInput(let m)): APIError.badRequest(m, code: .emptyInput)
            case .vision(.corruptImage(let m)), .unreadable(let m): APIError.badRequest(m, code: .corruptImage)
            case .formats(let m): APIError.badRequest(m, code: .unknownCountry)
            default: APIError(.internalServerError, .recognitionFailed, "recognition failed")
            }
    }
}
