import Core
import ExportFormats
import Foundation
import Hummingbird
import Plates
import Storage

extension Request {
    /// The `limit` query parameter of a listing: 1 to 500, `default` when absent.
    func limitParameter(default value: Int = 50) throws -> Int {
        guard let l = uri.queryParameters["limit"] else { return value }
        guard let v = Int(String(l)), (1...500).contains(v) else {
            throw APIError.badRequest("limit must be an integer from 1 to 500", code: .badParameter)
        }
        return v
    }

    /// The `cursor` query parameter of a listing: the `next_cursor` of the previous page, nil when absent.
    func cursorParameter() throws -> PageCursor? {
        guard let c = uri.queryParameters["cursor"], !c.isEmpty else { return nil }
        guard let cursor = PageCursor(token: String(c)) else {
            throw APIError.badRequest("cursor is not one this server issued (pass next_cursor back as it is)", code: .badCursor)
        }
        return cursor
    }

    /// The `from`/`to` query parameters (RFC 3339), each nil when absent (a 400 when `required`).
    func timeRange(required: Bool) throws -> (from: Int64?, to: Int64?) {
        let q = uri.queryParameters
        func parse(_ k: Substring) throws -> Int64? {
            guard let s = q[k] else {
                if required { throw APIError.badRequest("\(k) is required (RFC 3339)", code: .badParameter) }
                return nil
            }
            guard let v = JSONTime.parse(String(s)) else {
                throw APIError.badRequest("\(k) must be an RFC 3339 time such as 2026-11-22T08:00:00Z", code: .badParameter)
            }
            return v
        }
        return (try parse("from"), try parse("to"))
    }

    /// The filters and page of a list of reads or passes (`/v1/reads`, `/v1/passes`, their exports). A plate
    /// filter also matches the plate's pseudonym in the tenant (``PrivacyRequests/plateForms(_:tenantID:)``).
    func readQuery(tenantID: ID<Tenant>, privacy: PrivacyRequests) throws -> ReadQuery {
        // Empty text filters count as absent; typed parameters must parse.
        var q: [String: String] = [:]
        let text: Set<String> = ["plate", "plate_prefix", "camera_id", "job_id", "pass_id", "cursor"]
        for (k, v) in uri.queryParameters where !(v.isEmpty && text.contains(String(k))) { q[String(k)] = String(v) }
        var query = ReadQuery()
        if let p = q["plate"] {
            let plate = try plateParameter(p, field: "plate")
            query.plate = plate
            query.plateAliases = Array(privacy.plateForms(plate, tenantID: tenantID).dropFirst())
        }
        if let p = q["plate_prefix"] { query.platePrefix = try plateParameter(p, field: "plate_prefix") }
        query.cameraID = q["camera_id"].map { ID($0) }
        query.jobID = q["job_id"].map { ID($0) }
        query.passID = q["pass_id"].map { ID($0) }
        (query.from, query.to) = try timeRange(required: false)
        if let m = q["min_confidence"] {
            guard let v = Double(m), (0...1).contains(v) else {
                throw APIError.badRequest("min_confidence must be a number from 0 to 1", code: .badParameter)
            }
            query.minConfidence = v
        }
        query.limit = try limitParameter(default: query.limit)
        query.after = try cursorParameter()
        return query
    }
}

/// A plate given as a parameter or field, in its stored form (``PlateText``), or a 400 naming `field`.
func plateParameter(_ s: String, field: String) throws -> String {
    guard let p = PlateText.normalised(s) else {
        throw APIError.badRequest("\(field) may hold only \(PlateText.rule)", code: .badParameter)
    }
    return p
}

/// A text field of a request body, trimmed: at most `max` characters, present and not empty when `required`.
func textField(_ s: String?, _ field: String, max: Int, required: Bool) throws -> String? {
    guard let s else {
        if required { throw APIError.badRequest("\(field) is required", code: .badParameter) }
        return nil
    }
    let v = s.trimmingCharacters(in: .whitespacesAndNewlines)
    guard v.count <= max, !required || !v.isEmpty else {
        throw APIError.badRequest("\(field) must be \(required ? "1" : "0") to \(max) characters", code: .badParameter)
    }
    return v
}
