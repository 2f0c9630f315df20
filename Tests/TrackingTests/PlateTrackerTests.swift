import Testing
import Tracking

@Suite struct PlateTrackerTests {
    /// A plate moving right and growing over `frames` frames at 5 reads/s, with read errors mixed in.
    func approaching(_ text: String, from t0: Double, frames: Int, x0: Double = 100, errors: [Int: String] = [:]) -> [(Double, Observation)] {
        (0..<frames).map { i in
            let t = t0 + Double(i) * 0.2
            let w = 80 + Double(i) * 6
            let box = Box(x: x0 + Double(i) * 4, y: 200 + Double(i) * 2, width: w, height: w / 4.5)
            let read = errors[i] ?? text
            return (t, Observation(time: t, box: box, text: read, format: "gb.current", confidence: errors[i] == nil ? 0.9 : 0.6))
        }
    }

    func run(_ events: [(Double, Observation)], configuration: PlateTracker.Configuration = .init()) -> [VehiclePass] {
        var tracker = PlateTracker(configuration: configuration)
        var passes: [VehiclePass] = []
        let times = Set(events.map(\.0)).sorted()
        for t in times { passes += tracker.add(events.filter { $0.0 == t }.map(\.1), at: t) }
        return passes + tracker.finish()
    }

    @Test func oneCarIsOnePassWithTheVotedPlate() {
        let passes = run(approaching("BD51SMR", from: 0, frames: 20, errors: [3: "BD51SMU", 7: "BDS1SMR", 12: "BD51IMR"]))
        #expect(passes.count == 1)
        let p = passes[0]
        #expect(p.text == "BD51SMR")
        #expect(p.frames == 20)
        #expect(p.firstSeen == 0)
        #expect(abs(p.lastSeen - 3.8) < 1e-9)
        #expect(p.direction == .approaching)
        #expect(p.observations[p.bestIndex].text == "BD51SMR")
        #expect(p.confidence > 0.6 && p.confidence <= 1)
    }

    @Test func characterVoteSettlesWhatNoWholeReadWins() {
        // Every read has one different error; the character vote recovers the plate, which some read had.
        let errors = [0: "AB12CDF", 1: "AB12CEE", 2: "AB12CDE", 3: "AB13CDE", 4: "XB12CDE", 5: "AB12CDF"]
        let passes = run(approaching("AB12CDE", from: 0, frames: 6, errors: errors))
        #expect(passes.map(\.text) == ["AB12CDE"])
    }

    @Test func twoCarsSideBySideStayApart() {
        let a = approaching("BD51SMR", from: 0, frames: 15, x0: 50)
        let b = approaching("CX64PKW", from: 0.4, frames: 15, x0: 420)
        let passes = run(a + b)
        #expect(passes.map(\.text).sorted() == ["BD51SMR", "CX64PKW"])
    }

    @Test func aParkedCarSeenForMinutesIsOnePass() {
        let events = (0..<600).map { i -> (Double, Observation) in
            let t = Double(i) * 0.5
            return (t, Observation(time: t, box: Box(x: 300, y: 300, width: 120, height: 27), text: i % 17 == 0 ? "KM14VLB" : "KM14VLH",
                                   format: "gb.current", confidence: 0.9))
        }
        let passes = run(events)
        #expect(passes.count == 1)
        #expect(passes.first?.text == "KM14VLH")
        #expect(passes.first?.direction == .stationary)
    }

    @Test func theSameCarComingBackLaterIsASecondPass() {
        let passes = run(approaching("BD51SMR", from: 0, frames: 10) + approaching("BD51SMR", from: 30, frames: 10))
        #expect(passes.count == 2)
        #expect(passes.map(\.firstSeen) == [0, 30])
    }

    @Test func leavingIsDetectedAndASingleGlimpseIsNoise() {
        let leaving = approaching("EF18RNY", from: 0, frames: 12).reversed().enumerated().map { i, e in
            (Double(i) * 0.2, Observation(time: Double(i) * 0.2, box: e.1.box, text: e.1.text, format: "gb.current", confidence: 0.9))
        }
        let glimpse = [(Double(20), Observation(time: 20, box: Box(x: 10, y: 10, width: 50, height: 12), text: "ZZ99ZZZ", confidence: 0.9))]
        let passes = run(leaving + glimpse)
        #expect(passes.count == 1)
        #expect(passes.first?.direction == .leaving)
    }

    @Test func tracksOfReadsThatNeverAgreeAreNoPass() {
        let noise = (0..<10).map { i -> (Double, Observation) in
            let t = Double(i) * 0.2
            return (t, Observation(time: t, box: Box(x: 500, y: 40, width: 40, height: 12), text: ["1E", "7F", "IE", "1F", "TE"][i % 5],
                                   format: "unknown", confidence: 0.15))
        }
        #expect(run(noise).isEmpty)
        let short = (0..<10).map { i -> (Double, Observation) in
            (Double(i) * 0.2, Observation(time: Double(i) * 0.2, box: Box(x: 500, y: 40, width: 40, height: 12), text: "1E", confidence: 0.9))
        }
        #expect(run(short).isEmpty)
        #expect(run(approaching("BD51SMR", from: 0, frames: 2)).isEmpty)
    }

    @Test func editDistance() {
        #expect(PlateTracker.editDistance("BD51SMR", "BD51SMR") == 0)
        #expect(PlateTracker.editDistance("BD51SMR", "BDS1SMR") == 1)
        #expect(PlateTracker.editDistance("BD51SMR", "D51SMR") == 1)
        #expect(PlateTracker.editDistance("", "ABC") == 3)
    }
}
