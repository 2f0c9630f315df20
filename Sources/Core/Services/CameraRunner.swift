import Foundation
import ExportFormats
import Logging
import Recognition
import ServiceLifecycle
import Storage

/// Checks camera source URLs: network sources by the ``OutboundPolicy`` (a tenant must not make the server
/// probe its own network), file sources only when enabled.
package enum CameraSources {
    package static func validate(_ s: String, allowFiles: Bool, policy: OutboundPolicy) async throws -> String? {
        if s.isEmpty { return nil }
        guard s.count <= 2000 else { throw DomainError.invalid("source_url is too long", code: .badParameter) }
        let lower = s.lowercased()
        if ["rtsp://", "rtsps://", "http://", "https://"].contains(where: lower.hasPrefix) {
            guard let host = URL(string: s)?.host, !host.isEmpty else {
                throw DomainError.invalid("source_url has no host", code: .badParameter)
            }
            do {
                _ = try await policy.address(for: host)
            } catch .unresolvable {
                throw DomainError.invalid("source_url: \(host) does not resolve", code: .badParameter)
            } catch {
                throw DomainError(
                    .forbidden, .cameraSourceForbidden,
                    "source_url: \(error); cameras on a private network need MICROANPR_ALLOW_PRIVATE_CAMERAS=1")
            }
            return s
        }
        if lower.hasPrefix("file://") || s.hasPrefix("/") {
            guard allowFiles else {
                throw DomainError(
                    .forbidden, .fileSourcesDisabled, "file sources are disabled (MICROANPR_ALLOW_FILE_SOURCES=1 enables them)")
            }
            return s
        }
        throw DomainError.invalid("source_url must be rtsp://, http(s):// or (if enabled) a file path", code: .badParameter)
    }
}

/// One live camera: a ``LiveStream`` whose passes are stored for the camera's tenant, holding the camera's
/// lease while connected and reporting its status into the cameras table.
package struct CameraRunner {
    package let env: ServerEnvironment
    package let camera: Camera
    package let runnerID: String

    package func run() async {
        let (env, camera, runnerID) = (env, camera, runnerID)
        let tenant = try? await env.store.tenant(camera.tenantID)
        var tracking = VideoOptions()
        tracking.countryMix = await env.countryMixes.mix(tenant: camera.tenantID, camera: camera.id)
        let stream = LiveStream(
            source: camera.sourceURL ?? "", recognizer: env.recognizer, country: camera.country, tracking: tracking)
        let policy = env.cameraPolicy
        await stream.run(
            resolve: { source in
                // Checked again at every connection, and opened at the address checked (no second lookup).
                guard LiveStream.filePath(of: source) == nil, var u = URLComponents(string: source), let host = u.host else {
                    return source
                }
                let address = try await policy.address(for: host)
                if OutboundPolicy.isName(host) {
                    u.host = address.contains(":") ? "[\(address)]" : address
                }
                return u.string ?? source
            },
            admit: {
                // Only one runner (process) per camera.
                (try? await env.store.claimCamera(id: camera.id, runner: runnerID, staleBefore: WallClock.nowMillis() - 15_000)) == true
            },
            passes: { passes, origin in
                guard let tenant else { return }
                try await env.storePasses(passes, tenant: tenant, camera: camera, jobID: nil, origin: origin, countingUsage: true)
            },
            status: { s in
                if s.state == "error" {
                    env.logger.warning(
                        "camera source lost",
                        metadata: [
                            "camera": "\(camera.id)", "error": "\(s.lastError ?? "")",
                            "retry_s": "\(s.retryIn ?? 0)",
                        ])
                }
                await report(s)
            })
        try? await env.store.releaseCamera(id: camera.id, runner: runnerID)
    }

    package func report(_ st: LiveStream.Status) async {
        let report = CameraReport(st, runner: runnerID)
        _ = try? await env.store.reportCamera(id: camera.id, runner: runnerID, status: report.json)
    }
}
