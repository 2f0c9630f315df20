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
}
