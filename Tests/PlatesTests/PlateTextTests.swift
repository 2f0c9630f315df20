import Plates
import Testing

@Suite struct PlateTextTests {
    @Test func typedPlatesNormaliseToTheStoredForm() {
        #expect(PlateText.normalised("gy12 ubl") == "GY12UBL")
        #expect(PlateText.normalised("GY12-UBL") == "GY12UBL")
        #expect(PlateText.normalised("") == "")
        #expect(PlateText.normalised(String(repeating: "A", count: 16)) == String(repeating: "A", count: 16))
    }

    @Test(arguments: ["GY12_UBL", "GY12.UBL", "ÄB12", "GY12\u{0}UBL", String(repeating: "A", count: 17)])
    func otherCharactersOrTooLongAreRefused(_ text: String) {
        #expect(PlateText.normalised(text) == nil)
    }

    @Test func storedFormIsUpperCaseLettersAndDigitsOnly() {
        #expect(PlateText.isStored("GY12UBL"))
        #expect(!PlateText.isStored("gy12ubl"))
        #expect(!PlateText.isStored("GY12 UBL"))
        #expect(!PlateText.isStored(""))
    }

    /// A camera's date and time overlay reads as a long run of digits in no format; no registration holds more
    /// than 8 digits in a row. A reading in a format, or with the digits broken by letters, can be a registration.
    @Test(arguments: [
        ("2014011012", "unknown", false), ("AB123456789", "unknown", false), ("12345678", "unknown", true),
        ("1234A56789", "unknown", true), ("GY12UBL", "gb.current", true), ("131D123456", "ie.current", true),
    ])
    func aLongRunOfDigitsInNoFormatIsNoRegistration(_ text: String, _ format: String, _ could: Bool) {
        let reading = PlateReading(
            text: text, display: text, format: format, country: format == "unknown" ? nil : "XX", confidence: 0.99, candidates: [])
        #expect(reading.couldBeRegistration == could)
    }
}
