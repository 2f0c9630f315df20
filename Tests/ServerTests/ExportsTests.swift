import Foundation
#if canImport(FoundationXML)
    import FoundationXML
#endif
import Hummingbird
import HummingbirdTesting
import Server
import Storage
import Testing
import TestSupport

@Suite("Exports, on SQLite and PostgreSQL")
struct ExportsTests {
    @Test(arguments: Engine.available)
    func readsExportAsCSVAndJSONLinesAcrossPages(engine: Engine) async throws {
        let s = try await TestServer.make(engine, models: true)
        let (tenant, key) = try await s.tenant()
        let (_, other) = try await s.tenant("other")
        let base: Int64 = 1_790_000_000_000
        let reads = (0..<2_500).map { i in
            PlateRead(
                id: ID(Identifier.make("rd")), tenantID: tenant.id, plate: i % 2 == 0 ? "AB\(10 + i % 80)CDE" : "XY\(10 + i % 80)ZZZ",
                display: "AB12 CDE", confidence: 0.9, format: "gb.current", country: "GB", box: (1, 2, 30, 10),
                cameraID: nil, jobID: nil, frameTimeMillis: nil, capturedAt: base + Int64(i) * 1000, createdAt: base,
                cropKey: nil, frameKey: nil)
        }
        try await s.store.insertReads(reads)
        try await s.test { c in
            let csv = try await c.call(.get, "/v1/exports/reads?format=csv", key: key)
            #expect(csv.status == .ok)
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.headers[.init("Content-Disposition")!]?.hasPrefix("attachment; filename=\"reads-") == true)
            let lines = String(decoding: csv.body, as: UTF8.self).split(separator: "\r\n")
            #expect(lines.count == 2_501)
            #expect(lines.first?.hasPrefix("id,plate,display,confidence,country") == true)
            #expect(Set(lines.dropFirst().map { $0.split(separator: ",")[0] }).count == 2_500, "every read once across pages")
            let jsonl = try await c.call(.get, "/v1/exports/reads?format=jsonl&plate_prefix=AB", key: key)
            let objects = String(decoding: jsonl.body, as: UTF8.self).split(separator: "\n")
                .compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            #expect(objects.count == 1_250 && objects.allSatisfy { ($0["plate"] as? String)?.hasPrefix("AB") == true })
            let from = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(base) / 1000 + 1000))
            let ranged = try await c.call(.get, "/v1/exports/reads?from=\(from)", key: key)
            #expect(String(decoding: ranged.body, as: UTF8.self).split(separator: "\r\n").count == 1_500 + 1)
            // Another tenant exports nothing of this one; bad requests are refused before any byte is sent.
            #expect(
                String(decoding: try await c.call(.get, "/v1/exports/reads", key: other).body, as: UTF8.self)
                    .split(separator: "\r\n").count == 1)
            #expect(try await c.call(.get, "/v1/exports/reads?format=xml", key: key).errorCode == "bad_parameter")
            #expect(try await c.call(.get, "/v1/exports/plates", key: key).status == .notFound)
            #expect(try await c.call(.get, "/v1/exports/sessions?status=nope", key: key).errorCode == "bad_parameter")
            let g = try #require(try await c.call(.post, "/v1/groups", key: key, json: ["name": "Residents, north"])["id"] as? String)
            _ = try await c.call(.post, "/v1/groups/\(g)/members", key: key, json: ["name": "Ann \"Nan\" Lee", "plate": "AB12CDE"])
            let members = String(decoding: try await c.call(.get, "/v1/exports/members", key: key).body, as: UTF8.self)
            #expect(members.contains("\"Residents, north\",\"Ann \"\"Nan\"\" Lee\""), "RFC 4180 quoting: \(members)")
            for dataset in ["passes", "sessions", "alerts", "members"] {
                let r = try await c.call(.get, "/v1/exports/\(dataset)", key: key)
                #expect(r.status == .ok && String(decoding: r.body, as: UTF8.self).hasPrefix("id,"), "\(dataset)")
            }
            // Excel: a real zip of OOXML parts, one row per read plus the header, dates as typed cells.
            let xlsx = try await c.call(.get, "/v1/exports/reads?format=xlsx", key: key)
            #expect(xlsx.headers[.contentType] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            let file = try TestPaths.temporaryDirectory().appendingPathComponent("reads.xlsx")
            try xlsx.body.write(to: file)
            #expect(try run("/usr/bin/unzip", ["-tq", file.path]).status == 0)
            let sheet = try run("/usr/bin/unzip", ["-p", file.path, "xl/worksheets/sheet1.xml"]).output
            _ = try XMLDocument(data: sheet)
            let xml = String(decoding: sheet, as: UTF8.self)
            #expect(xml.components(separatedBy: "<row ").count - 1 == 2_501)
            #expect(xml.contains("<c s=\"1\"><v>") && xml.contains("<is><t xml:space=\"preserve\">AB"))
            let audit = try await c.call(.get, "/v1/audit", key: key).list("entries")
            #expect(audit.filter { $0["action"] as? String == "export" }.count == 9)
            #expect(audit.contains { $0["target"] as? String == "reads" && ($0["detail"] as? String)?.contains("format=jsonl") == true })
        }
        await s.close()
    }
}

extension ExportsTests {
    @Test func pdfReportHasASummaryPageAndCrops() async throws {
        let s = try await TestServer.make(.sqlite, models: true)
        let (_, key) = try await s.tenant(plan: .enterprise)
        try await s.test { c in
            var plates: [String] = []
            for name in ["pd_test_data_2.jpg", "dash_public_uploads_upload-cam1-1706374052443.jpg"] {
                let r = try await c.upload("/v1/recognise", key: key, file: try Photos.carpark(name))
                plates += r.list("reads").compactMap { $0["display"] as? String }
            }
            #expect(!plates.isEmpty)
            let pdf = try await c.call(.get, "/v1/exports/reads?format=pdf", key: key)
            #expect(pdf.status == .ok && pdf.headers[.contentType] == "application/pdf")
            let dir = try TestPaths.temporaryDirectory()
            let file = dir.appendingPathComponent("report.pdf")
            try pdf.body.write(to: file)
            let info = String(decoding: try run("/usr/bin/pdfinfo", [file.path]).output, as: UTF8.self)
            #expect(info.contains("Pages:           2"), "summary page and one page of rows: \(info)")
            let text = String(decoding: try run("/usr/bin/pdftotext", ["-layout", file.path, "-"]).output, as: UTF8.self)
            #expect(text.contains("Summary") && text.contains("Distinct plates"))
            let squeezed = text.filter { $0 != " " }
            for p in plates { #expect(squeezed.contains(p.filter { $0 != " " }), "\(p) in the report") }
            // Rendered by poppler: the crops are real images.
            #expect(try run("/usr/bin/pdftoppm", ["-r", "40", "-png", file.path, dir.appendingPathComponent("page").path]).status == 0)
            let images = String(decoding: try run("/usr/bin/pdfimages", ["-list", file.path]).output, as: UTF8.self)
            #expect(images.split(separator: "\n").count - 2 == plates.count, "one crop image per read")
            #expect(try await c.call(.get, "/v1/exports/sessions?format=pdf", key: key).errorCode == "bad_parameter")
        }
        await s.close()
    }
}
