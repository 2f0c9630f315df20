import NIOCore
import Storage

/// What an export job writes: the rows of a dataset for the query stored with the job. The HTTP edge implements it
/// with the same code that answers a download (`GET /v1/exports/{dataset}`), so a job's file and a download of the
/// same query are the same bytes; the worker only counts, writes and reports progress.
package protocol ExportWriting: Sendable {
    /// The rows `dataset` holds for `query` (a URL query string) in `format`, or an error naming the bad parameter.
    func export(dataset: String, format: String, query: String, tenant: Tenant) throws -> ExportSource
}

/// An export ready to write: how many rows it will hold (for progress), and the writer of its bytes.
package struct ExportSource: Sendable {
    /// How many rows the export will hold.
    package var count: @Sendable () async throws -> Int
    /// Writes the file chunk by chunk to `sink`; `written` gets the number of rows so far.
    package var write: @Sendable (_ sink: (ByteBuffer) async throws -> Void, _ written: (Int) async throws -> Void) async throws -> Void

    package init(
        count: @escaping @Sendable () async throws -> Int,
        write: @escaping @Sendable ((ByteBuffer) async throws -> Void, (Int) async throws -> Void) async throws -> Void
    ) {
        self.count = count; self.write = write
    }
}
