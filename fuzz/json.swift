// libFuzzer target: JSON request bodies as the API decodes them (the null and type checks, then the request type),
// built with AddressSanitizer by fuzz/run.sh. The types mirror the shapes of the API's bodies: strings, optional
// fields, numbers, booleans, nested objects and arrays.
import Foundation

struct MemberBody: Decodable { var plate: String; var note: String?; var valid_from: String?; var valid_until: String? }
struct WebhookBody: Decodable { var url: String; var events: [String]?; var enabled: Bool? }
struct TariffBody: Decodable {
    struct Band: Decodable { var up_to_minutes: Int; var price: Double }
    var name: String; var currency: String?; var bands: [Band]?; var daily_cap: Double?
}
struct QuoteBody: Decodable { var entered_at: String; var exited_at: String; var tariff: TariffBody? }

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let body = Data(bytes: data, count: size)
    _ = try? JSONBody.decode(MemberBody.self, from: body, fields: ["plate", "note", "valid_from", "valid_until"])
    _ = try? JSONBody.decode(WebhookBody.self, from: body, fields: ["url", "events", "enabled"])
    _ = try? JSONBody.decode(TariffBody.self, from: body, fields: ["name", "currency", "bands", "daily_cap"])
    _ = try? JSONBody.decode(QuoteBody.self, from: body, fields: ["entered_at", "exited_at", "tariff"])
    return 0
}
