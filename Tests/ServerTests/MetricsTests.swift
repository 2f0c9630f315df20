import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Hummingbird
import HummingbirdTesting
@testable import Server
import Testing
import TestSupport

@Suite("Metrics (GET /metrics)")
struct MetricsTests {
    static let token = "metrics-token-\(UUID().uuidString)"

    @Test func offUnlessATokenIsSetAndThenOnlyForIt() async throws {
        let off = try await TestServer.make(.sqlite)
        try await off.test { c in
            let r = try await c.call(.get, "/metrics", headers: ["Authorization": "Bearer x"])
            #expect(r.status == .notFound)
        }
        await off.close()
        let s = try await TestServer.make(.sqlite) { $0.metricsToken = Self.token }
        let (_, key) = try await s.tenant()
        try await s.test { c in
            #expect(try await c.call(.get, "/metrics").status == .unauthorized)
            #expect(try await c.call(.get, "/metrics", key: key).status == .unauthorized, "an API key is not the metrics token")
            _ = try await c.call(.get, "/v1/reads", key: key)
            _ = try await c.call(.get, "/v1/reads/rd_nothing", key: key)
            _ = try await c.upload("/v1/recognise", key: key, file: try Photos.carpark())
            let r = try await c.call(.get, "/metrics", headers: ["Authorization": "Bearer \(Self.token)"])
            #expect(r.status == .ok)
            #expect(r.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            let text = String(decoding: r.body, as: UTF8.self)
            for line in [
                #"microanpr_http_requests_total{method="GET",route="/v1/reads",status="200"} 1"#,
                #"microanpr_http_requests_total{method="GET",route="/v1/reads/{id}",status="404"} 1"#,
                #"microanpr_recognitions_total 1"#,
                #"microanpr_jobs{status="queued"} 0"#,
                #"microanpr_webhook_deliveries{status="pending"} 0"#,
                #"microanpr_sse_clients 0"#,
                #"microanpr_db_connections_max 1"#,
            ] {
                #expect(text.contains(line), "\(line)")
            }
            #expect(text.contains(#"microanpr_recognition_stage_duration_seconds_bucket{stage="read""#))
            #expect(text.contains(#"microanpr_http_request_duration_seconds_count{method="GET",route="/v1/reads"} 1"#))
            #expect(!text.contains("rd_nothing"), "routes are patterns, not paths")
        }
        await s.close()
    }

    /// Debian's Prometheus server scrapes a live server with the token and answers a query over its HTTP API.
    @Test(.enabled(if: TestServices.runPrometheus), .timeLimit(.minutes(3)))
    func prometheusScrapesIt() async throws {
        try #require(hasTool("prometheus"), "prometheus is not installed (make test installs it)")
        let s = try await TestServer.make(.sqlite) { $0.metricsToken = Self.token }
        let (_, key) = try await s.tenant()
        try await s.live { c, port in
            for _ in 0..<3 { _ = try await c.call(.get, "/v1/reads", key: key) }
            let dir = try TestPaths.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let promPort = freeLoopbackPort()
            try """
            global: {scrape_interval: 1s, scrape_timeout: 1s}
            scrape_configs:
              - job_name: microanpr
                metrics_path: /metrics
                authorization: {type: Bearer, credentials: \(Self.token)}
                static_configs: [{targets: ['127.0.0.1:\(port)']}]
            """.write(to: dir.appendingPathComponent("prometheus.yml"), atomically: true, encoding: .utf8)
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/prometheus")
            p.arguments = [
                "--config.file=\(dir.path)/prometheus.yml", "--storage.tsdb.path=\(dir.path)/data",
                "--web.listen-address=127.0.0.1:\(promPort)",
            ]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            defer { p.terminate(); p.waitUntilExit() }
            let query = #"microanpr_http_requests_total{route="/v1/reads",status="200"}"#
            var url = URLComponents(string: "http://127.0.0.1:\(promPort)/api/v1/query")!
            url.queryItems = [URLQueryItem(name: "query", value: query)]
            var value: String?
            for _ in 0..<120 where value == nil {
                try await Task.sleep(for: .milliseconds(500))
                guard let (data, _) = try? await URLSession.shared.data(from: url.url!),
                    let o = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                    let result = (o["data"] as? [String: Any])?["result"] as? [[String: Any]],
                    let v = result.first?["value"] as? [Any]
                else { continue }
                value = v.last as? String
            }
            #expect(value == "3", "Prometheus saw the three requests (got \(value ?? "nothing"))")
        }
        await s.close()
    }
}

