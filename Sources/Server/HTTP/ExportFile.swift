import Hummingbird

/// Export files as downloads (`GET /v1/exports/{dataset}`, `GET /v1/export-jobs/{id}/download`).
enum ExportFile {
    /// The formats of exports that are files of rows (PDF reports and the SQL dump are made otherwise).
    static let formats = ["csv", "jsonl", "xlsx"]

    /// The headers of an export file download: its type, and its name for the browser to save it as.
    static func headers(format: String, filename: String) -> HTTPFields {
        let types = [
            "csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson",
            "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ]
        return [
            .contentType: types[format] ?? "application/octet-stream",
            .contentDisposition: "attachment; filename=\"\(filename)\"", .cacheControl: "no-store",
        ]
    }
}
