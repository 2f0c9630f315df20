import Foundation

/// New random identifiers: a short type prefix and 20 random base32 characters.
public enum Identifier {
    private static let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567")
    public static func make(_ prefix: String) -> String {
        var g = SystemRandomNumberGenerator()
        return prefix + "_" + String((0..<20).map { _ in alphabet[Int(g.next() % 32)] })
    }
}
