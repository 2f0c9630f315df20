import Core
import HTTPTypes
import Plates
import Storage
import Testing

@Suite struct CountryMixesTests {
    @Test func eachCameraAndEachTenantLearnsItsOwnMix() async {
        let mixes = CountryMixes(store: nil, capacity: 3)
        let a = await mixes.mix(tenant: "t1", camera: "c1")
        #expect(await mixes.mix(tenant: "t1", camera: "c1") === a)
        // Another camera, the tenant's uploads without a camera, and another tenant's camera of the same id.
        let others = [
            await mixes.mix(tenant: "t1", camera: "c2"), await mixes.mix(tenant: "t1", camera: nil),
            await mixes.mix(tenant: "t2", camera: "c1"),
        ]
        for o in others { #expect(o !== a) }
        a.observe(PlateReading(text: "BD51SMR", display: "BD51 SMR", format: "gb.current", country: "GB", confidence: 1, candidates: []))
        #expect(others.allSatisfy { $0.observed.isEmpty })
        // Past its capacity the table starts again rather than grow without bound.
        #expect(await mixes.mix(tenant: "t1", camera: "c1") !== a)
    }

    /// Through the API: a camera set to `auto` learns its mix from the plates read at it, and a new process (a
    /// new table of mixes) starts that camera's mix from the reads it stored.
    @Test(arguments: Engine.available)
    func anAutoCameraLearnsItsMixThroughTheAPI(engine: Engine) async throws {
        let s = try await TestServer.make(engine, models: true)
        let (tenant, key) = try await s.tenant()
        let photo = try Photos.carpark()
        try await s.test { c in
            let cam = try await c.call(.post, "/v1/cameras", key: key, json: ["name": "Gate", "country": "auto"])
            let camID = try #require(cam["id"] as? String)
            let r = try await c.upload("/v1/recognise", key: key, file: photo, fields: ["camera_id": camID])
            #expect(r.list("reads").first?["country"] as? String == "GB")
            #expect(await s.env.countryMixes.mix(tenant: tenant.id, camera: ID(camID)).observed == ["GB": 1])
            #expect(await s.env.countryMixes.mix(tenant: tenant.id, camera: nil).observed.isEmpty)
            #expect(await CountryMixes(store: s.store).mix(tenant: tenant.id, camera: ID(camID)).observed == ["GB": 1])
        }
        await s.close()
    }

    /// A process that has not used a camera's mix yet starts it from the camera's newest sure stored reads, of
    /// that camera and tenant only.
    @Test(arguments: Engine.available)
    func aMixStartsFromTheSourcesStoredReads(engine: Engine) async throws {
        let db = try await DatabaseFactory.open(url: try await freshDatabaseURL(engine))
        try await Migrations.apply(to: db)
        let store = Store(db)
        let (a, _) = try await APIKeys.createTenant(store: store, name: "A", plan: .starter)
        let (b, _) = try await APIKeys.createTenant(store: store, name: "B", plan: .starter)
        var reads: [PlateRead] = []
        func read(_ tenant: ID<Tenant>, _ camera: ID<Camera>?, _ country: String, confidence: Double = 0.95, at t: Int64) -> PlateRead {
            PlateRead(
                id: ID(Identifier.make("rd")), tenantID: tenant, plate: "AB12CDE", display: "AB12 CDE", confidence: confidence,
                format: "x", country: country, box: (1, 2, 30, 10), cameraID: camera, jobID: nil, frameTimeMillis: nil,
                capturedAt: t, createdAt: t, cropKey: nil, frameKey: nil)
        }
        for i in 0..<5 { reads.append(read(a.id, "gate", "GB", at: Int64(1_000 + i))) }
        reads.append(read(a.id, "gate", "FR", at: 2_000))
        reads.append(read(a.id, "gate", "DE", confidence: 0.5, at: 2_001))  // unsure: not counted
        reads.append(read(a.id, nil, "IE", at: 2_002))  // the tenant's uploads without a camera
        reads.append(read(b.id, "gate", "NL", at: 2_003))  // another tenant's camera of the same id
        _ = try await store.insertReads(reads)
        #expect(try await store.recentCountries(tenantID: a.id, cameraID: "gate", limit: 3, minConfidence: 0.9) == ["GB": 2, "FR": 1])

        let mixes = CountryMixes(store: store)
        #expect(await mixes.mix(tenant: a.id, camera: "gate").observed == ["GB": 5, "FR": 1])
        #expect(await mixes.mix(tenant: a.id, camera: nil).observed == ["IE": 1])
        #expect(await mixes.mix(tenant: b.id, camera: "gate").observed == ["NL": 1])
        #expect(await mixes.mix(tenant: b.id, camera: "other").observed.isEmpty)
        await db.close()
    }
}
