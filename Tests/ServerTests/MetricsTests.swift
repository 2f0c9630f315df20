@testable import Core
import Foundation
import Hummingbird
import HummingbirdTesting
@testable import Server
import Testing
import TestSupport

@Suite("Metrics (GET /metrics)")
struct MetricsTests {
    static let token = "metrics-token-\(UUID().uuidString)"

    @Test func offUnlessATokenIsSetAndThenOnlyForIt() async throws {
        let off = try await TestServer.make(.sqlite, models: true)
        try await off.test { c in
            let r = try await c.call(.get, "/metrics", headers: ["Authorization": "Bearer x"])
            #expect(r.status == .notFound)
        }
        await off.close()
        let s = try await TestServer.make(.sqlite, models: true) { $0.http.metricsToken = Self.token }
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
                #"microanpr_cameras_poor_light 0"#,
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

    /// On PostgreSQL a list page is a prepared statement, and the metrics say how many are kept and whether they were
    /// turned off (a pooler or a changed table would turn them off: operators see it here, not only in a log line).
    @Test(.enabled(if: TestServices.runPostgres, "needs the PostgreSQL test server (make test starts it)"))
    func preparedStatementsAreCounted() async throws {
        let s = try await TestServer.make(.postgres) { $0.http.metricsToken = Self.token }
        let (_, key) = try await s.tenant()
        try await s.test { c in
            #expect(try await c.call(.get, "/v1/reads?plate=AB12CDE", key: key).status == .ok)
            let r = try await c.call(.get, "/metrics", headers: ["Authorization": "Bearer \(Self.token)"])
            let text = String(decoding: r.body, as: UTF8.self)
            let line = text.split(separator: "\n").first { $0.hasPrefix("microanpr_db_prepared_statements ") }
            #expect(line.flatMap { Double($0.split(separator: " ")[1]) }.map { $0 >= 1 } == true, "\(line ?? "no line")")
            #expect(text.contains("microanpr_db_prepared_statements_off 0"))
        }
        await s.close()
    }
}
