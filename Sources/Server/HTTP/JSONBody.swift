import Foundation

// fuzz/run.sh compiles this file with ExportFormats' JSONTime.swift in one module.
#if canImport(ExportFormats)
    import ExportFormats
#endif

// Plain bytes in, a value or a readable reason out (Foundation only): fuzzed on its own by fuzz/run.sh.

/// A JSON request body decoded as one of the API's request types.
enum JSONBody {
    /// Why a body was refused, in words a client can act on.
    struct Problem: Error, Equatable {
        var message: String
        /// The body has the right shape but a value breaks a rule the document states (a value outside an `enum`).
        var rule = false
    }

    /// Decodes `data` as a JSON object of type `T`. Every field of the API is optional-or-typed, never nullable:
    /// an explicit null for a known field is an error, not "unset". A `closed` body takes only the `known` fields:
    /// another one is refused by name (a misspelt field would otherwise be ignored without a word). A field of
    /// `allowed` whose value (or an item of whose array) `T` cannot take is refused with the values it takes.
    static func decode<T: Decodable>(
        _ type: T.Type, from data: Data, fields known: Set<String>, closed: Bool = false, allowed: [String: [String]] = [:]
    ) throws(Problem) -> T {
        guard let object = try? JSONSerialization.jsonObject(with: data), let fields = object as? [String: Any] else {
            throw Problem(message: "request body must be a JSON object")
        }
        if closed { try refuseUnknown(fields, known: known) }
        if let key = fields.first(where: { known.contains($0.key) && $0.value is NSNull })?.key {
            throw Problem(message: "field \(key) must not be null")
        }
        do {
            return try decoder.decode(T.self, from: data)
        } catch DecodingError.dataCorrupted(let c) where c.codingPath.isEmpty {
            // The body parsed, so this is Foundation's answer for a number that does not fit an integer field,
            // which names no field: name the fields that hold such numbers.
            let paths = nonIntegers(in: object)
            let which = paths.isEmpty ? "a number that does not fit its field" : "a number at \(paths.prefix(5).joined(separator: ", "))"
            throw Problem(message: "request body is not valid JSON for this endpoint: \(which) where an integer is expected")
        } catch DecodingError.dataCorrupted(let c) where c.codingPath.first.map({ allowed[$0.stringValue] != nil }) ?? false {
            // A string the generated enum does not take (a type error is a wrong shape, answered below).
            let field = c.codingPath[0].stringValue
            let values = allowed[field]!.joined(separator: ", ")
            throw Problem(
                message: c.codingPath.count > 1 ? "\(field) takes only \(values)" : "\(field) must be one of \(values)", rule: true)
        } catch {
            throw Problem(message: "request body is not valid JSON for this endpoint: \(describe(error))")
        }
    }

    /// Refuses the first field (by name) of `fields` that is not `known`, naming the ones that are.
    static func refuseUnknown(_ fields: [String: Any], known: Set<String>) throws(Problem) {
        if let key = fields.keys.filter({ !known.contains($0) }).min() {
            throw Problem(message: "unknown field \(key); this body takes \(known.sorted().joined(separator: ", "))")
        }
    }

    /// Times (the types generated from the API document hold `Date`s) are RFC 3339, with or without fractions.
    static var decoder: JSONDecoder {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .custom { decoder in
            let c = try decoder.singleValueContainer()
            guard let millis = JSONTime.parse(try c.decode(String.self)) else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "expected an RFC 3339 time")
            }
            return Date(epochMilliseconds: millis)
        }
        return d
    }

    /// Paths of the numbers in a parsed body that are not integers (fractions, or beyond 64 bits).
    static func nonIntegers(in value: Any, path: String = "") -> [String] {
        switch value {
        case let object as [String: Any]:
            return object.keys.sorted().flatMap { nonIntegers(in: object[$0]!, path: path.isEmpty ? $0 : path + "." + $0) }
        case let array as [Any]:
            return array.enumerated().flatMap { nonIntegers(in: $1, path: path + "[\($0)]") }
        case let n as NSNumber:  // true and false are 1 and 0 here, integers either way
            let d = n.doubleValue
            return d.rounded() == d && abs(d) < 9.2e18 ? [] : [path]
        default:
            return []
        }
    }

    /// Which field and what was expected, for a body that is valid JSON but not of the endpoint's shape.
    static func describe(_ error: any Error) -> String {
        func path(_ c: DecodingError.Context) -> String {
            c.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
                .replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case DecodingError.keyNotFound(let k, let c):
            return "missing field \(c.codingPath.isEmpty ? k.stringValue : path(c) + "." + k.stringValue)"
        case DecodingError.typeMismatch(let type, let c): return "wrong type at \(path(c)): expected \(jsonName(type))"
        case DecodingError.valueNotFound(let type, let c): return "null at \(path(c)): expected \(jsonName(type))"
        case DecodingError.dataCorrupted(let c) where !c.codingPath.isEmpty:
            // A number that does not fit the field (2.5 where an integer is expected, 1e400).
            return "wrong value at \(path(c)): \(c.debugDescription)"
        default: return "malformed JSON"
        }
    }

    /// A Swift type as a JSON client would name it.
    static func jsonName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Int.Type, is Int64.Type, is Int32.Type, is UInt.Type: "an integer"
        case is Double.Type, is Float.Type: "a number"
        case is [Any].Type: "an array"
        case is [String: Any].Type: "an object"
        default:
            String(describing: type).hasPrefix("Array") ? "an array" : "an object"
        }
    }
}

/// A number a client may send as a JSON number or as a numeric string (`3`, `"3"`, `2.5`, `"2.5"`), as the
/// original design's tariff quote did.
struct LenientNumber: Decodable, Sendable {
    var value: Double

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let d = try? c.decode(Double.self) {
            value = d
        } else if let s = try? c.decode(String.self), let d = Self.decimal(s) {
            value = d
        } else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "expected a number or a numeric string"))
        }
    }

    /// Digits with an optional fraction, spaces around allowed (`"3"`, `" 2.5 "`); not `1e5`, `inf` or `-1`.
    static func decimal(_ s: String) -> Double? {
        let t = s.trimmingCharacters(in: CharacterSet(charactersIn: " "))
        let parts = t.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) })
        else { return nil }
        return Double(t)
    }
}
