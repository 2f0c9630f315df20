import Foundation
import Plates
import Testing

@Suite struct CountryMixTests {
    /// A GB plate whose 1 the reader takes for an I, confidently (a made-up registration in GB's current format:
    /// two letters, two digits, three letters; DVLA issues no I there), with clear blanks between the
    /// characters (a reader sure where they are, as on a sharp plate).
    let misread = matrix(
        [["B": 0.999], ["D": 0.999], ["5": 0.999], ["I": 0.9996, "1": 0.0003], ["S": 0.999], ["M": 0.999], ["R": 0.999]],
        blank: 0.9999)

    @Test func aSitesMixLetsAutoCorrectAPlateAsItsCountrysPackWould() throws {
        let gb = try PlateInterpreter(packs: [.gb])
        #expect(gb.interpret(misread)?.text == "BD51SMR")
        var auto = try PlateInterpreter(packs: FormatPack.all)
        // Every country equally likely: the correction into GB's format is held back by the 23 other packs.
        let alone = try #require(auto.interpret(misread))
        #expect(alone.text != "BD51SMR")
        // A site that has read GB plates (and one French one) weighs GB as it is.
        let mix = CountryMix()
        for _ in 0..<60 { mix.observe(sure("GB")) }
        mix.observe(sure("FR"))
        auto.countryPrior = mix.prior(over: auto.countries)
        let learnt = try #require(auto.interpret(misread))
        #expect(learnt.text == "BD51SMR" && learnt.country == "GB")
        // A plate clearly of another country is still read as it is.
        #expect(auto.interpret(confident("AA1234BK"))?.country == "UA")
    }

    @Test func theSitesCountryProposesItsOwnPlates() throws {
        // Less clear blanks: under `auto` the constrained search's places go to other countries' strings (a
        // character dropped is as cheap as the 1 read as I), so the GB plate is not even a candidate.
        let unclear = matrix(
            [["B": 0.999], ["D": 0.999], ["5": 0.999], ["I": 0.9996, "1": 0.0003], ["S": 0.999], ["M": 0.999], ["R": 0.999]])
        var auto = try PlateInterpreter(packs: FormatPack.all)
        let mix = CountryMix()
        for _ in 0..<60 { mix.observe(sure("GB")) }
        auto.countryPrior = mix.prior(over: auto.countries)
        #expect(auto.interpret(unclear)?.text != "BD51SMR")
        auto.proposer = try PlateInterpreter(packs: [.gb]).automaton
        #expect(auto.interpret(unclear)?.text == "BD51SMR")
    }

    @Test func aNewSiteLeansOnItsCountryAfterAFewSureReads() throws {
        // Most sites see one country: three sure GB reads make GB more likely than the 22 other packs together
        // (the threshold at which its own formats are also searched), where an even prior took 21.
        var auto = try PlateInterpreter(packs: FormatPack.all)
        let mix = CountryMix()
        for _ in 0..<2 { mix.observe(sure("GB")) }
        #expect(try #require(mix.prior(over: auto.countries)?["GB"]) < 0.5)
        mix.observe(sure("GB"))
        let prior = try #require(mix.prior(over: auto.countries))
        #expect(prior["GB"]! > 0.5 && abs(prior.values.reduce(0, +) - 1) < 1e-9)
        auto.countryPrior = prior
        #expect(auto.interpret(misread)?.text == "BD51SMR")
        // An even prior (one read added per country) is still far from it after the same three reads.
        let even = CountryMix(pseudoCount: 1)
        for _ in 0..<3 { even.observe(sure("GB")) }
        #expect(try #require(even.prior(over: auto.countries)?["GB"]) < 0.2)
        // A plate clearly of another country is still read as it is.
        #expect(auto.interpret(confident("AA1234BK"))?.country == "UA")
    }

    @Test func onlySureReadsInACountryCount() throws {
        let mix = CountryMix(minConfidence: 0.9)
        #expect(mix.prior(over: ["GB", "FR"]) == nil)
        mix.observe(sure("GB", confidence: 0.5))
        mix.observe(sure("GB", countryConfidence: 0.5))
        mix.observe(PlateReading(text: "X1", display: "X1", format: "unknown", country: nil, confidence: 1, candidates: []))
        #expect(mix.prior(over: ["GB", "FR"]) == nil)
        mix.observe(sure("GB"))
        let prior = try #require(mix.prior(over: ["GB", "FR"]))
        #expect(abs(prior["GB"]! - 1.1 / 1.2) < 1e-9 && abs(prior["FR"]! - 0.1 / 1.2) < 1e-9)
        let still = CountryMix(learns: false)
        still.observe(sure("GB"))
        #expect(still.prior(over: ["GB", "FR"]) == nil)
    }

    @Test func countsAreHalvedSoTheMixFollowsChangingTraffic() {
        let mix = CountryMix(window: 10)
        for _ in 0..<9 { mix.observe(sure("GB")) }
        #expect(mix.observed["GB"] == 9)
        mix.observe(sure("FR"))
        #expect(mix.observed["GB"] == 4.5 && mix.observed["FR"] == 0.5)
    }

    func sure(_ country: String, confidence: Double = 0.99, countryConfidence: Double = 0.99) -> PlateReading {
        PlateReading(
            text: "A1", display: "A1", format: "\(country.lowercased()).test", country: country,
            countryConfidence: countryConfidence, confidence: confidence, candidates: [])
    }
}
