import Foundation
import TestSupport
import Testing
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Debian's Prometheus server scrapes a `microanpr serve` process with the metrics token and answers a query over
/// its HTTP API (a process of its own: nothing in the test holds a connection idle while Prometheus starts).
@Suite struct PrometheusScrapeTests {
    @Test(.enabled(if: TestServices.runPrometheus), .timeLimit(.minutes(3)))
    func prometheusScrapesTheMetrics() async throws {
        try #require(hasTool("prometheus"), "prometheus is not installed (make test installs it)")
        let token = "metrics-\(UUID().uuidString)"
        let data = ["--data-dir", try TestPaths.temporaryDirectory().path]
        let tenant = try createTenant(data)
        let server = try ServerProcess(arguments: data, environment: ["MICROANPR_METRICS_TOKEN": token])
        defer { server.stop() }
        for _ in 0..<3 { #expect(try await server.request("GET", "/v1/reads", key: tenant.key).0 == 200) }
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let promPort = freeLoopbackPort()
        try """
        global: {scrape_interval: 1s, scrape_timeout: 1s}
        scrape_configs:
          - job_name: microanpr
            metrics_path: /metrics
            authorization: {type: Bearer, credentials: \(token)}
            static_configs: [{targets: ['127.0.0.1:\(server.port)']}]
        """.write(to: dir.appendingPathComponent("prometheus.yml"), atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/prometheus")
        p.arguments = [
            "--config.file=\(dir.path)/prometheus.yml", "--storage.tsdb.path=\(dir.path)/data", "--web.listen-address=127.0.0.1:\(promPort)",
        ]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        defer { p.terminate(); p.waitUntilExit() }
        var url = URLComponents(string: "http://127.0.0.1:\(promPort)/api/v1/query")!
        url.queryItems = [URLQueryItem(name: "query", value: #"microanpr_http_requests_total{route="/v1/reads",status="200"}"#)]
        var value: String?
        for _ in 0..<240 where value == nil {
            try await Task.sleep(for: .milliseconds(500))
            guard let (body, _) = try? await URLSession.shared.data(from: url.url!),
                let o = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
                let result = (o["data"] as? [String: Any])?["result"] as? [[String: Any]],
                let v = result.first?["value"] as? [Any]
            else { continue }
            value = v.last as? String
        }
        #expect(value == "3", "Prometheus saw the three requests (got \(value ?? "nothing"))")
    }
}
