// libFuzzer target: the CSV importer's parser (group member imports), built with AddressSanitizer by fuzz/run.sh.
// Checks what must hold for any input: parsing ends, and writing the rows back and parsing again gives them again.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    guard let text = String(validating: bytes, as: UTF8.self), let rows = CSV.parse(text) else { return 0 }
    let written = rows.map { CSV.line($0) }.joined()
    guard let again = CSV.parse(written) else { fatalError("rows written by CSV.line do not parse again") }
    // The rows again, with the formula guard's quote mark in front of cells a spreadsheet would evaluate.
    let guarded = rows.map { row in
        row.map { f in f.unicodeScalars.first.map { "=+-@\t\r".unicodeScalars.contains($0) } == true ? "'" + f : f }
    }
    if again != guarded { fatalError("CSV round trip changed the rows: \(guarded) -> \(again)") }
    return 0
}
