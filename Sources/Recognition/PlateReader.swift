import Foundation
import Plates
import Vision

/// Reads the characters of a plate crop with a CTC text reader, giving per-step probabilities over the
/// plate alphabet.
struct PlateReader: Sendable {
    let session: OnnxSession
    let spec: ModelManifest.Reader
    /// For each reader class, the plate symbol it stands for (letters case-folded), or nil.
    let symbolOfClass: [Int?]

    init(session: OnnxSession, spec: ModelManifest.Reader) throws {
        self.session = session
        self.spec = spec
        let raw: String
        if let key = spec.alphabetMetadataKey {
            guard let value = try session.metadata(key) else {
                throw RecognitionError.badManifest("reader model has no metadata key \(key)")
            }
            raw = value
        } else if let a = spec.alphabet {
            raw = a
        } else {
            throw RecognitionError.badManifest("reader needs alphabet or alphabet_metadata_key")
        }
        let sep = spec.alphabetSeparator ?? ""
        let entries: [String] = sep.isEmpty ? raw.map(String.init) : raw.components(separatedBy: sep)
        var map: [Int?] = []
        var e = 0
        // Class indices: the blank at blankIndex, the alphabet entries in order around it.
        let total = entries.count + 1
        for c in 0..<total {
            if c == spec.blankIndex { map.append(nil); continue }
            let entry = entries[e]; e += 1
            map.append(entry.count == 1 ? Symbol.index(of: entry.first!) : nil)
        }
        symbolOfClass = map
    }

    /// Probabilities for the plate inside `quad` of `image`.
    func read(_ image: Image, quad: Quad, aspect: Float) throws -> CTCMatrix {
        let content = min(spec.maxWidth, max(8, Int((Float(spec.height) * aspect).rounded(.up))))
        let input = try image.tensor(quad, content: (content, spec.height), canvas: (spec.maxWidth, spec.height),
                                     normalisation: spec.normalisation)
        let outputs = try session.run(input: input, shape: [1, 3, spec.height, spec.maxWidth])
        guard let out = outputs.first, out.shape.count == 3 else { throw RecognitionError.badManifest("reader output shape") }
        let steps = out.shape[1], classes = out.shape[2]
        // The reader may or may not end in softmax; normalise per step if it does not.
        var values = out.values
        if !(values.prefix(classes).allSatisfy { $0 >= 0 }) || abs(values.prefix(classes).reduce(0, +) - 1) > 0.01 {
            for t in 0..<steps {
                let row = t * classes
                var mx = -Float.infinity
                for c in 0..<classes { mx = max(mx, values[row + c]) }
                var sum: Float = 0
                for c in 0..<classes { values[row + c] = expf(values[row + c] - mx); sum += values[row + c] }
                for c in 0..<classes { values[row + c] /= sum }
            }
        }
        let map = classes == symbolOfClass.count ? symbolOfClass
            : symbolOfClass + [Int?](repeating: nil, count: max(0, classes - symbolOfClass.count))
        return CTCMatrix.restricting(values, steps: steps, classes: classes, blank: spec.blankIndex, symbolOfClass: map)
    }
}
