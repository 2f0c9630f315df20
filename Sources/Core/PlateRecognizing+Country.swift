import Recognition
import Storage

extension PlateRecognizing {
    /// The country to read with: the call's, else the camera's, else the server default (nil); checked against the
    /// known packs.
    package func country(_ requested: String?, camera: Camera?) throws -> String? {
        guard let c = (requested?.isEmpty == false ? requested : nil) ?? camera?.country else { return nil }
        let code = c.lowercased()
        guard knownCountries.contains(code) else {
            throw DomainError.invalid(
                "unknown country \"\(c)\"; known: \(knownCountries.joined(separator: ", "))", code: .unknownCountry)
        }
        return code
    }
}
