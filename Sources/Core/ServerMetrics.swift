import Foundation
import Prometheus
import Recognition
import Storage

/// The server's metrics in the Prometheus text format (`GET /metrics`): one registry per server, so that
/// servers in one process (the tests) do not mix their figures. Counters and histograms are recorded where
/// things happen; gauges of the whole deployment (jobs, outbox, cameras) are read at each scrape.
public final class ServerMetrics: Sendable {
    package let registry = PrometheusCollectorRegistry()

    private static let requestBuckets: [Duration] = [
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
    ]
    private static let stageBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(2.5), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5),
    ]

    public init() {}

    private func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "microanpr", metricName: metric, unitName: unit, helpText: help)
    }

    /// One answered HTTP request; `route` is the route's pattern (`/v1/reads/{id}`), never the raw path, so
    /// that ids do not make a series each.
    package func request(method: String, route: String, status: Int, duration: Duration) {
        registry.makeCounter(
            descriptor: name("http_requests", "total", "HTTP requests answered, by method, route and status"),
            labels: [("method", method), ("route", route), ("status", String(status))]
        ).increment()
        registry.makeDurationHistogram(
            descriptor: name("http_request_duration", "seconds", "Time to answer an HTTP request, by method and route"),
            labels: [("method", method), ("route", route)], buckets: Self.requestBuckets
        ).record(duration)
    }

    /// One image recognised (an upload or a job's image) with the time of each stage.
    package func recognised(_ r: RecognitionResult) {
        recognised(plates: r.plates.count, decodeMillis: r.timings.decode, detectMillis: r.timings.detect, readMillis: r.timings.read)
    }

    package func recognised(plates: Int, decodeMillis: Double, detectMillis: Double, readMillis: Double) {
        registry.makeCounter(descriptor: name("recognitions", "total", "Images recognised"), labels: []).increment()
        registry.makeCounter(descriptor: name("plates_read", "total", "Plates read"), labels: []).increment(by: Int64(plates))
        for (stage, ms) in [("decode", decodeMillis), ("detect", detectMillis), ("read", readMillis)] {
            registry.makeDurationHistogram(
                descriptor: name("recognition_stage_duration", "seconds", "Time per recognition stage"),
                labels: [("stage", stage)], buckets: Self.stageBuckets
            ).record(.nanoseconds(Int64(ms * 1e6)))
        }
    }

    /// One webhook delivery attempt: `delivered`, `retry` or `gave_up`.
    package func webhookAttempt(outcome: String) {
        registry.makeCounter(
            descriptor: name("webhook_attempts", "total", "Webhook delivery attempts by outcome"), labels: [("outcome", outcome)]
        ).increment()
    }

    private func gauge(_ metric: String, _ help: String, _ labels: [(String, String)], _ value: Double) {
        registry.makeGauge(descriptor: name(metric, "", help), labels: labels).set(value)
    }

    /// The text exposition, after reading the deployment's gauges.
    package func scrape(store: Store, sseClients: Int) async throws -> [UInt8] {
        let counts = try await store.operationalCounts()
        for status in ["queued", "running", "done", "failed"] {
            gauge("jobs", "Upload jobs by status (all tenants)", [("status", status)], Double(counts.jobs[status] ?? 0))
        }
        for status in ["pending", "delivered", "failed"] {
            gauge(
                "webhook_deliveries", "Webhook deliveries by status (pending: the outbox)", [("status", status)],
                Double(counts.deliveries[status] ?? 0))
        }
        var states: [String: Int] = ["connected": 0, "connecting": 0, "error": 0, "unknown": 0]
        var dropped = 0.0, poorLight = 0.0
        for status in counts.cameraStatuses {
            let report = CameraReport(json: status)
            let state = report?.state ?? "unknown"
            states[states[state] == nil ? "unknown" : state, default: 0] += 1
            dropped += Double(report?.framesDropped ?? 0)
            if (report?.poorLight ?? 0) >= 0.5 { poorLight += 1 }
        }
        for (state, n) in states { gauge("cameras", "Enabled cameras by state", [("state", state)], Double(n)) }
        gauge("camera_frames_dropped", "Frames dropped by the cameras' runners (latest reports)", [], dropped)
        gauge(
            "cameras_poor_light", "Enabled cameras whose latest report has at least half of the latest frames read dark or flat",
            [], poorLight)
        gauge("sse_clients", "Event-stream clients connected to this process", [], Double(sseClients))
        let pool = store.db.poolUse
        gauge(
            "db_connections_in_use", "Database connections busy in this process (statements, transactions, LISTEN)", [], Double(pool.inUse))
        gauge("db_connections_max", "Database connections this process's pool may open", [], Double(pool.size))
        let prepared = store.db.preparedStatements
        gauge("db_prepared_statements", "Distinct list statements kept prepared by this process (PostgreSQL)", [], Double(prepared.count))
        gauge(
            "db_prepared_statements_off", "1 when the server refused a prepared statement and this process stopped preparing", [],
            prepared.off ? 1 : 0)
        return registry.emitToBuffer()
    }
}
