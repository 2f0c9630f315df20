import Foundation
import Plates
import TestSupport
import Testing

@testable import Recognition

/// What stands beside a registration (a state name, stacked letters, a county code) is taken away from a reading in
/// no format, but never most of the plate: a span that keeps fewer than half of the characters was cut out of the
/// registration itself.
@Suite struct RegistrationSpanTests {
    static func reading(_ text: String, format: String = "unknown") -> PlateReading {
        PlateReading(
            text: text, display: text, format: format, country: format == "unknown" ? nil : "GB", confidence: 0.9,
            candidates: [.init(text: text, confidence: 0.9)])
    }

    @Test(arguments: [("G4280", "4280"), ("USASAMPL", "SAMPL"), ("ABC123CA", "ABC123")])
    func aFewCharactersBesideTheRegistrationAreTakenAway(_ best: String, _ span: String) {
        #expect(Recognizer.registrationAlone(Self.reading(best), span: Self.reading(span)).text == span)
    }

    @Test(arguments: [("173D441", "3D"), ("HALTC02", "TC0"), ("ABCD12", "CD")])
    func aSpanHoldingFewerThanHalfOfTheCharactersIsNotTheRegistration(_ best: String, _ span: String) {
        #expect(Recognizer.registrationAlone(Self.reading(best), span: Self.reading(span, format: "gb.dateless")).text == best)
    }

    @Test func aReadingInAFormatOrOneThatDoesNotHoldTheSpanIsKept() {
        #expect(Recognizer.registrationAlone(Self.reading("AB12CDE", format: "gb.current"), span: Self.reading("12CDE")).text == "AB12CDE")
        #expect(Recognizer.registrationAlone(Self.reading("G4280"), span: Self.reading("4281")).text == "G4280")
        #expect(Recognizer.registrationAlone(Self.reading("G4280"), span: nil).text == "G4280")
        #expect(Recognizer.registrationAlone(Self.reading("4280"), span: Self.reading("4280")).text == "4280")
    }

    /// A Californian vanity plate whose line the text-line estimate took to be mostly smaller characters: its span
    /// reads `TC0`, and the whole reading stays (it was `TC0` before the span had to keep half the characters).
    @Test func aVanityPlateIsNotCutToItsMiddle() async throws {
        let recognizer = try sharedRecognizer.get()
        let path = TestPaths.datasets.appendingPathComponent("openalpr_segocr/usimages/ca1000.png").path
        let result = try await recognizer.recognise(file: path, country: "us", crop: true)
        #expect(result.plates.map(\.reading.text) == ["HALTC02"])
    }
}
