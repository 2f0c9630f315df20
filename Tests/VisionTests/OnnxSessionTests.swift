import Foundation
import TestSupport
import Testing
import Vision

@Suite struct OnnxSessionTests {
    @Test func runsTheReaderModel() throws {
        let runtime = try OnnxRuntime(libraryPath: TestPaths.onnxRuntimeLibrary)
        #expect(runtime.version.hasPrefix("1."))
        let session = try OnnxSession(runtime: runtime, modelPath: TestPaths.model("ppocrv4_rec.onnx"), intraOpThreads: 1)
        let alphabet = try #require(try session.metadata("character"))
        #expect(alphabet.contains("A") && alphabet.contains("7"))
        #expect(try session.metadata("no-such-key") == nil)
        let outputs = try session.run(input: [Float](repeating: 0, count: 3 * 48 * 160), shape: [1, 3, 48, 160])
        #expect(outputs.count == 1)
        #expect(outputs[0].shape == [1, 20, 6625])
    }

    @Test func reportsBadModelsAndLibraries() throws {
        #expect(throws: VisionError.self) { try OnnxRuntime(libraryPath: "/nonexistent/libonnxruntime.so") }
        do { _ = try OnnxRuntime(libraryPath: "/nonexistent/libonnxruntime.so") } catch { #expect(error.code == "runtime_load_failed") }
        let runtime = try OnnxRuntime(libraryPath: TestPaths.onnxRuntimeLibrary)
        let notAModel = try TestPaths.temporaryDirectory().appendingPathComponent("model.onnx")
        try Data("not a model".utf8).write(to: notAModel)
        do {
            _ = try OnnxSession(runtime: runtime, modelPath: notAModel.path, intraOpThreads: 1)
            Issue.record("garbage loaded as a model")
        } catch { #expect(error.code == "model_load_failed") }
    }

    @Test func rejectsAWrongInputShape() throws {
        let runtime = try OnnxRuntime(libraryPath: TestPaths.onnxRuntimeLibrary)
        let session = try OnnxSession(runtime: runtime, modelPath: TestPaths.model("ppocrv4_rec.onnx"), intraOpThreads: 1)
        #expect(throws: VisionError.self) { try session.run(input: [0, 0], shape: [1, 3, 48, 160]) }
        do { _ = try session.run(input: [Float](repeating: 0, count: 2 * 48 * 160), shape: [1, 2, 48, 160]) } catch {
            #expect(error.code == "inference_failed")
        }
    }

    @Test func poolRunsWorkOffTheCooperativePool() async throws {
        let pool = InferencePool(size: 2)
        defer { pool.shutdown() }
        let names = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<8 { group.addTask { try await pool.run { InferencePool.isPoolThread ? "pool" : (Thread.current.name ?? "?") } } }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(names == ["pool"])
        struct Boom: Error {}
        await #expect(throws: Boom.self) { try await pool.run { throw Boom() } }
    }
}
