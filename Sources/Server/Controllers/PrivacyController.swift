import Core
import APIContract
import Foundation
import Hummingbird
import Plates
import Storage

/// Privacy requests under UK GDPR for one plate, over HTTP: `GET /v1/privacy/subject-access?plate=` (a ZIP of
/// every row and image held about it) and `POST /v1/privacy/erasures` (delete it). Admins only; the work is
/// ``PrivacyRequests``'s, shared with `microanpr privacy`.
struct PrivacyController {
    let audit: AuditLog
    let privacy: PrivacyRequests

    func addRoutes(to group: RouterGroup<AppContext>) {
        group.get("privacy/subject-access", use: subjectAccess)
        group.post("privacy/erasures", use: erase)
    }

    var requests: PrivacyRequests { privacy }

    func plate(_ text: String?, field: String) throws -> String {
        guard let text, let p = PrivacyRequests.plate(text) else {
            throw APIError.badRequest("\(field) must be a plate: \(PlateText.rule)", code: .badParameter)
        }
        return p
    }

    @Sendable func subjectAccess(_ request: Request, context: AppContext) async throws -> Response {
        let t = try context.requireTenant()
        let plate = try plate(request.uri.queryParameters["plate"].map(String.init), field: "plate")
        let zip = try await requests.subjectAccess(tenant: t, plate: plate)
        await audit(context, tenantID: t.id, action: "privacy.subject_access", target: "plate:\(plate)")
        return Response(
            status: .ok,
            headers: [
                .contentType: "application/zip", .contentDisposition: "attachment; filename=\"subject-access-\(plate).zip\"",
                .cacheControl: "no-store",
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: zip)))
    }

    @Sendable func erase(_ request: Request, context: AppContext) async throws -> EditedResponse<ErasureJSON> {
        let t = try context.requireTenant()
        let body = try await decodeJSON(Components.Schemas.ErasureRequest.self, from: request)
        let plate = try plate(body.plate, field: "plate")
        let reason = body.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty, reason.count <= 500 else {
            throw APIError.badRequest("reason must be 1 to 500 characters (why the plate is erased)", code: .badParameter)
        }
        let result = try await requests.erase(
            tenantID: t.id, plate: plate, typed: body.plate, reason: reason, includeLists: body.includeLists ?? false,
            actor: context.actor, ip: context.clientIP)
        return EditedResponse(status: .ok, response: result)
    }
}

extension ErasureJSON: ResponseEncodable {}
