import Core
import Plates
import Storage
import Testing

@Suite struct CountryMixesTests {
    @Test func eachCameraAndEachTenantLearnsItsOwnMix() {
        let mixes = CountryMixes(capacity: 3)
        let a = mixes.mix(tenant: "t1", camera: "c1")
        #expect(mixes.mix(tenant: "t1", camera: "c1") === a)
        // Another camera, the tenant's uploads without a camera, and another tenant's camera of the same id.
        let others = [mixes.mix(tenant: "t1", camera: "c2"), mixes.mix(tenant: "t1", camera: nil), mixes.mix(tenant: "t2", camera: "c1")]
        for o in others { #expect(o !== a) }
        a.observe(PlateReading(text: "BD51SMR", display: "BD51 SMR", format: "gb.current", country: "GB", confidence: 1, candidates: []))
        #expect(others.allSatisfy { $0.observed.isEmpty })
        // Past its capacity the table starts again rather than grow without bound.
        #expect(mixes.mix(tenant: "t1", camera: "c1") !== a)
    }
}
