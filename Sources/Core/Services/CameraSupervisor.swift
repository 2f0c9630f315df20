import Foundation
import Logging
import Recognition
import ServiceLifecycle
import Storage

/// Runs every enabled camera with a live source: one ``CameraRunner`` task per camera, started and stopped as
/// cameras change (checked every `refresh`). With several processes on one PostgreSQL database, each camera
/// is run by one process at a time (a lease with heartbeats in the cameras table).
public struct CameraSupervisor: Service {
    package let env: ServerEnvironment
    package let runnerID: String
    package let refresh: Duration

    public init(env: ServerEnvironment, runnerID: String, refresh: Duration = .seconds(3)) {
        self.env = env; self.runnerID = runnerID; self.refresh = refresh
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            /// What a runner was started with; a change restarts it.
            func key(_ c: Camera) -> String { "\(c.sourceURL ?? "")|\(c.country ?? "")|\(c.direction)" }
            var running: [ID<Camera>: (key: String, task: Task<Void, Never>)] = [:]
            while !Task.isCancelled {
                let cameras = (try? await env.store.liveCameras()) ?? []
                let wanted = Dictionary(cameras.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
                for (id, r) in running where wanted[id].map(key) != r.key {
                    r.task.cancel()
                    running[id] = nil
                }
                for (id, camera) in wanted where running[id] == nil {
                    let runner = CameraRunner(env: env, camera: camera, runnerID: runnerID)
                    running[id] = (key(camera), Task { await runner.run() })
                }
                try? await Task.sleep(for: refresh)
            }
            for r in running.values { r.task.cancel() }
            for r in running.values { await r.task.value }
        }
    }
}
