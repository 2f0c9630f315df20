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
    /// (class index, plate symbol) for every class that is a letter or digit.
    let symbolClasses: [(Int, Int)]

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
        symbolClasses = map.enumerated().compactMap { c, s in s.map { (c, $0) } }
    }

    /// Probabilities for the plate inside `quad` of `image`.
    func read(_ image: Image, quad: Quad, aspect: Float) throws -> CTCMatrix {
        var aspect = aspect
        if let below = spec.stretchBelowAspect, let to = spec.stretchToAspect, aspect < below { aspect = max(aspect, to) }
        let content = min(spec.maxWidth, max(8, Int((Float(spec.height) * aspect).rounded(.up))))
        let canvas = spec.padToMaxWidth ?? true ? spec.maxWidth : min(spec.maxWidth, (content + 7) / 8 * 8)
        let input = try image.tensor(
            quad, content: (content, spec.height), canvas: (canvas, spec.height),
            normalisation: spec.normalisation)
        let classes = symbolClasses
        let blank = spec.blankIndex
        return try session.run(input: input, shape: [1, 3, spec.height, canvas]) { outputs throws(VisionError) in
            guard let out = outputs.first, out.shape.count == 3, out.shape[2] >= symbolOfClass.count else {
                throw .inference("reader output shape \(outputs.first?.shape ?? []) does not fit its alphabet")
            }
            let steps = out.shape[1], width = out.shape[2]
            let v = out.values
            // Readers that end without a softmax give logits: normalise each step over all classes first.
            let rowSum = v[0..<width].reduce(0, +)
            let isProbability = v[0..<width].allSatisfy { $0 >= 0 } && abs(rowSum - 1) < 0.01
            var probs = [Float](repeating: 0, count: steps * CTCMatrix.columns)
            for t in 0..<steps {
                let row = t * width
                var mx: Float = 0, norm: Float = 1
                if !isProbability {
                    mx = -Float.infinity
                    for c in 0..<width { mx = max(mx, v[row + c]) }
                    norm = 0
                    for c in 0..<width { norm += expf(v[row + c] - mx) }
                }
                func p(_ c: Int) -> Float { isProbability ? v[row + c] : expf(v[row + c] - mx) / norm }
                var sum = p(blank)
                probs[t * CTCMatrix.columns] = sum
                for (c, s) in classes {
                    let x = p(c)
                    probs[t * CTCMatrix.columns + 1 + s] += x
                    sum += x
                }
                let base = t * CTCMatrix.columns
                if sum > 0 { for k in 0..<CTCMatrix.columns { probs[base + k] /= sum } } else { probs[base] = 1 }
            }
            return CTCMatrix(steps: steps, probabilities: probs)
        }
    }
}
