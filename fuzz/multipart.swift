// libFuzzer target: the multipart/form-data parser of uploads, built with AddressSanitizer by fuzz/run.sh.
// The input's first line is the Content-Type header, the rest the body.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMultipart(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let newline = bytes.firstIndex(of: 10) ?? bytes.count
    let header = String(decoding: bytes[..<newline], as: UTF8.self)
    let body = newline < bytes.count ? Array(bytes[(newline + 1)...]) : []
    guard let boundary = Multipart.boundary(contentType: header) else { return 0 }
    // The streaming parser (video uploads), fed in chunks whose size the input's length picks.
    var stream = MultipartStream(boundary: boundary)
    var written = 0
    let chunk = 1 + body.count % 37
    var at = 0
    while at < body.count {
        let end = min(body.count, at + chunk)
        guard (try? stream.feed(body[at..<end], write: { written += $0.count })) != nil else { break }
        at = end
    }
    if written > body.count { fatalError("the file part is longer than the body") }
    guard let form = try? Multipart(body: body, boundary: boundary) else { return 0 }
    for part in form.parts {
        // Every part lies inside the body.
        if part.data.startIndex < 0 || part.data.endIndex > body.count { fatalError("part outside the body") }
        _ = form.field(part.name)
    }
    return 0
}
