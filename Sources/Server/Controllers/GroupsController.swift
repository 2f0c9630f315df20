import Core
import APIContract
import Foundation
import ExportFormats
import Hummingbird
import Rules
import Storage

/// `/v1/groups`: permit groups and their members, with CSV import (all rows or none) and export.
struct GroupsController {
    let store: Store
    /// The largest CSV of members accepted.
    let maxUploadBytes: Int

    func addRoutes(to group: RouterGroup<AppContext>) {
        group.get("groups", use: list)
        group.post("groups", use: create)
        group.get("groups/{id}", use: get)
        group.patch("groups/{id}", use: update)
        group.delete("groups/{id}", use: delete)
        group.get("groups/{id}/members", use: members)
        group.post("groups/{id}/members", use: addMember)
        group.delete("groups/{id}/members/{member_id}", use: deleteMember)
        group.post("groups/{id}/members/import", use: importCSV)
        group.get("groups/{id}/members/export", use: exportCSV)
    }

    func group(_ context: AppContext) async throws -> (Tenant, Group) {
        let t = try context.requireTenant()
        let g = try found(try await store.group(tenantID: t.id, id: try context.requireID()), "group")
        return (t, g)
    }

    @Sendable func list(_ request: Request, context: AppContext) async throws -> GroupsList {
        let t = try context.requireTenant()
        return GroupsList(groups: try await store.groups(tenantID: t.id).map(GroupJSON.init))
    }

    @Sendable func create(_ request: Request, context: AppContext) async throws -> EditedResponse<GroupJSON> {
        let t = try context.requireTenant()
        let b = try await decodeJSON(Components.Schemas.GroupCreate.self, from: request)
        let name = try textField(b.name, "name", max: 200, required: true)!
        let description = try textField(b.description, "description", max: 2000, required: false) ?? ""
        let g = try await store.createGroup(tenantID: t.id, name: name, description: description)
        return EditedResponse(status: .created, response: GroupJSON(g))
    }

    @Sendable func get(_ request: Request, context: AppContext) async throws -> GroupJSON {
        GroupJSON(try await group(context).1)
    }

    @Sendable func update(_ request: Request, context: AppContext) async throws -> GroupJSON {
        var (_, g) = try await group(context)
        let b = try await decodeJSON(Components.Schemas.GroupInput.self, from: request)
        if let n = try textField(b.name, "name", max: 200, required: true) { g.name = n }
        if let d = try textField(b.description, "description", max: 2000, required: false) { g.description = d }
        try await store.updateGroup(g)
        return GroupJSON(g)
    }

    @Sendable func delete(_ request: Request, context: AppContext) async throws -> Response {
        let t = try context.requireTenant()
        return try Response.deleted(try await store.deleteGroup(tenantID: t.id, id: try context.requireID()), "group")
    }

    @Sendable func members(_ request: Request, context: AppContext) async throws -> MembersList {
        let (t, g) = try await group(context)
        return MembersList(members: try await store.members(tenantID: t.id, groupID: g.id).map(MemberJSON.init))
    }

    /// A member as text, the way a CSV row gives it; the API's body (the document's `MemberInput`) is turned
    /// into one so that both are checked by the same rules.
    struct MemberFields {
        var name: String?, email: String?, permit_id: String?, plate: String?
        var valid_from: String?, valid_to: String?, days: String?, hours: String?

        init(row v: [String: String]) {
            name = v["name"]; email = v["email"]; permit_id = v["permit_id"]; plate = v["plate"]
            valid_from = v["valid_from"]; valid_to = v["valid_to"]; days = v["days"]; hours = v["hours"]
        }

        init(_ b: Components.Schemas.MemberInput) {
            func time(_ d: Date?) -> String? { d.flatMap { JSONTime.string($0.epochMilliseconds) } }
            name = b.name; email = b.email; permit_id = b.permitId; plate = b.plate
            valid_from = time(b.validFrom); valid_to = time(b.validTo); days = b.days; hours = b.hours
        }
    }

    /// Checks a member; every problem is listed (for the CSV report), the first one thrown for the API.
    static func member(_ b: MemberFields, tenantID: ID<Tenant>, groupID: ID<Group>) -> (Member?, [String]) {
        var errors: [String] = []
        func field(_ s: String?, _ name: String, max: Int, required: Bool) -> String {
            do { return try textField(s, name, max: max, required: required) ?? "" } catch let e as APIError {
                errors.append(e.message)
            } catch {
            }
            return ""
        }
        let name = field(b.name, "name", max: 200, required: true)
        let email = field(b.email, "email", max: 254, required: false)
        if !email.isEmpty, !email.contains("@") { errors.append("email must be an e-mail address") }
        let permit = field(b.permit_id, "permit_id", max: 100, required: false)
        let plate = PlateMatcher.listPlate(b.plate ?? "") ?? ""
        if plate.isEmpty { errors.append(PlateMatcher.listPlateRule) }
        func time(_ s: String?, _ name: String) -> Int64? {
            guard let s, !s.isEmpty else { return nil }
            guard let t = JSONTime.parse(s) else { errors.append("\(name) must be an RFC 3339 time"); return nil }
            return t
        }
        let from = time(b.valid_from, "valid_from"), to = time(b.valid_to, "valid_to")
        if let from, let to, to <= from { errors.append("valid_to must be after valid_from") }
        let days = b.days.flatMap { $0.isEmpty ? nil : $0 }
        if let days, Schedule.days(days) == nil { errors.append("days must be a list such as mon,tue,wed,thu,fri") }
        let hours = b.hours.flatMap { $0.isEmpty ? nil : $0 }
        if let hours, Schedule.hours(hours) == nil { errors.append("hours must be HH:MM-HH:MM") }
        guard errors.isEmpty else { return (nil, errors) }
        return (
            Member(
                id: ID(Identifier.make("mem")), tenantID: tenantID, groupID: groupID, name: name, email: email, permitID: permit,
                plate: plate, validFrom: from, validTo: to, days: days?.lowercased(), hours: hours,
                createdAt: WallClock.nowMillis()), []
        )
    }

    @Sendable func addMember(_ request: Request, context: AppContext) async throws -> EditedResponse<MemberJSON> {
        let (t, g) = try await group(context)
        let b = try await decodeJSON(Components.Schemas.MemberInput.self, from: request)
        let (m, errors) = Self.member(MemberFields(b), tenantID: t.id, groupID: g.id)
        guard let m else { throw APIError.badRequest(errors.joined(separator: "; "), code: .badMember) }
        try await store.addMembers([m])
        return EditedResponse(status: .created, response: MemberJSON(m))
    }

    @Sendable func deleteMember(_ request: Request, context: AppContext) async throws -> Response {
        let (t, g) = try await group(context)
        return try Response.deleted(
            try await store.deleteMember(tenantID: t.id, groupID: g.id, id: ID(try context.parameters.require("member_id"))), "member")
    }

    static let csvHeader = ["name", "email", "permit_id", "plate", "valid_from", "valid_to", "days", "hours"]

    /// CSV with a header row (columns in any order; name and plate required). Every row is checked first:
    /// any bad row refuses the whole file with a report of each bad row (422), so nothing is half-imported.
    @Sendable func importCSV(_ request: Request, context: AppContext) async throws -> Response {
        let (t, g) = try await group(context)
        let body = try await request.collectBody(limit: min(maxUploadBytes, 20 << 20))
        let (text, separator) = CSV.spreadsheetText(body)
        guard let rows = CSV.parse(text, separator: separator), let header = rows.first else {
            throw APIError.badRequest("the body must be CSV with a header row (a quoted field never ends)", code: .badCsv)
        }
        let columns = header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let unknown = columns.filter { !Self.csvHeader.contains($0) }
        guard unknown.isEmpty, columns.contains("name"), columns.contains("plate") else {
            throw APIError.badRequest(
                "header must name columns among \(Self.csvHeader.joined(separator: ",")) with name and plate"
                    + (unknown.isEmpty ? "" : "; unknown: \(unknown.joined(separator: ","))"), code: .badCsv)
        }
        guard rows.count <= 100_001 else { throw APIError(.contentTooLarge, .tooManyRows, "at most 100,000 members per import") }
        var members: [Member] = []
        var report: [[String: Any]] = []
        for (i, row) in rows.dropFirst().enumerated() where !(row.count == 1 && row[0].isEmpty) {
            var v: [String: String] = [:]
            for (c, value) in zip(columns, row) { v[c] = value }
            var (m, errors) = Self.member(MemberFields(row: v), tenantID: t.id, groupID: g.id)
            if row.count != columns.count { errors.append("row has \(row.count) fields, the header \(columns.count)") }
            if let m, errors.isEmpty { members.append(m) } else { report.append(["row": i + 2, "errors": errors]) }
        }
        if !report.isEmpty {
            let message = "\(report.count) of \(rows.count - 1) rows are invalid; nothing was imported"
            let object: [String: Any] = ["error": ["code": "invalid_rows", "message": message, "rows": report]]
            return Response.json(object, status: .unprocessableContent)
        }
        try await store.addMembers(members)
        return Response.json(["imported": members.count])
    }

    @Sendable func exportCSV(_ request: Request, context: AppContext) async throws -> Response {
        let (t, g) = try await group(context)
        var csv = CSV.line(Self.csvHeader)
        for m in try await store.members(tenantID: t.id, groupID: g.id) {
            csv += CSV.line([
                m.name, m.email, m.permitID, m.plate, JSONTime.string(m.validFrom) ?? "", JSONTime.string(m.validTo) ?? "",
                m.days ?? "", m.hours ?? "",
            ])
        }
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/csv; charset=utf-8",
                .contentDisposition: "attachment; filename=\"members-\(g.id).csv\"",
            ],
            body: .init(byteBuffer: ByteBuffer(string: csv)))
    }
}

/// A group as the document's `Group` (generated).
typealias GroupJSON = Components.Schemas.Group

extension GroupJSON: ResponseEncodable {
    init(_ g: Group) {
        self.init(id: g.id.rawValue, name: g.name, description: g.description, createdAt: Date(epochMilliseconds: g.createdAt))
    }
}

typealias GroupsList = Components.Schemas.Groups

/// A member as the document's `Member` (generated).
typealias MemberJSON = Components.Schemas.Member

extension MemberJSON: ResponseEncodable {
    init(_ m: Member) {
        self.init(
            id: m.id.rawValue, groupId: m.groupID.rawValue, name: m.name, email: m.email, permitId: m.permitID, plate: m.plate,
            validFrom: m.validFrom.map(Date.init(epochMilliseconds:)), validTo: m.validTo.map(Date.init(epochMilliseconds:)),
            days: m.days, hours: m.hours, createdAt: Date(epochMilliseconds: m.createdAt))
    }
}

typealias MembersList = Components.Schemas.Members
