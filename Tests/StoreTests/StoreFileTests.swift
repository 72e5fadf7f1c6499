import Foundation
import KubeglassCore
import TestSupport
import Testing

@testable import Store

/// The saved store: exact round trips, and every damaged file refused in words, never trusted.
struct StoreFileTests {
    static func temporaryDirectory() -> String {
        let dir = NSTemporaryDirectory() + "kubeglass-store-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Series with the values Kubernetes gives: nanocores up to 10^12 (as cores), bytes up to 2^50,
    /// counters that reset, NaN and staleness markers, and constants.
    /// Ten minutes of raw samples, then 30 s buckets for 5 minutes and 2-minute buckets for an hour: 25
    /// minutes of polls fill every level.
    static let configuration = SeriesStore.Configuration(
        retention: 10 * Milliseconds.minute, interval: 5_000, maxSeries: 10_000,
        tiers: [.init(width: 30_000, span: 5 * Milliseconds.minute), .init(width: 120_000, span: Milliseconds.hour)])

    static func filledStore(series: Int = 40, samples: Int = 300) -> SeriesStore {
        let store = SeriesStore(configuration)
        var rng = SplitMix64(state: 7)
        for s in 0..<series {
            let pod = SharedLabels(["namespace": "ns-\(s % 3)", "pod": "pod-\(s / 4)", "container": "c\(s % 4)"])
            var counter = 0.0
            for i in 0..<samples {
                let t = Int64(1_700_000_000_000) + Int64(i) * 5_000 + (i % 9 == 4 ? 3 : 0)
                let r = rng.next()
                let nanocores = Double(r % 1_000_000_000_000)
                counter = i % 97 == 50 ? 0 : counter + Double(r % 5_000)
                let special: [Double] = [.nan, Sample.staleNaN, .infinity, -0.0, 0]
                let values: [(String, Double)] = [
                    ("cpu_cores", nanocores / 1e9),
                    ("memory_bytes", Double(r % (1 << 50))),
                    ("network_bytes_total", counter),
                    ("requests", 0.25),
                    ("odd", i % 11 == 0 ? special[i / 11 % special.count] : Double(i) * 0.1),
                ]
                for (name, v) in values { store.append(pod.labels(name: name), Sample(time: t, value: v)) }
            }
        }
        return store
    }

    /// The raw samples, and each rollup tier read by every aggregate.
    static func everything(_ store: SeriesStore) -> [Series] {
        let readings: [(RollupReading, Int)] = [
            (.last, 0), (.average, 1), (.counter, 1), (.min, 1), (.max, 2), (.sum, 2), (.count, 2), (.counter, 2),
        ]
        return readings.flatMap { store.select([], reading: $0.0, level: $0.1) }
    }

    static func same(_ a: [Series], _ b: [Series]) -> Bool {
        a.count == b.count
            && zip(a, b).allSatisfy { x, y in
                x.labels == y.labels && x.samples.count == y.samples.count
                    && zip(x.samples, y.samples).allSatisfy {
                        $0.time == $1.time && $0.value.bitPattern == $1.value.bitPattern
                    }
            }
    }

    @Test func savesAndLoadsExactly() throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = Self.filledStore()
        let path = StoreFile.path(directory: dir, cluster: "prod/eu-1")
        #expect(path.hasSuffix("/prod_eu-1.store"))
        let saved = try StoreFile.save(store, identity: "ctx prod", to: path, now: 42)
        #expect(saved.series == 200 && saved.samples >= 200 * 121 && saved.samples < 200 * 300)
        let loaded = SeriesStore(Self.configuration)
        let report = try StoreFile.load(path, identity: "ctx prod", into: loaded)
        #expect(saved.buckets > 200 * 20, "a bucket every 30 s or 2 minutes before the raw samples")
        #expect(
            report
                == StoreFile.Loaded(
                    series: 200, samples: saved.samples, buckets: saved.buckets, savedAt: 42,
                    newest: 1_700_000_000_000 + 299 * 5_000))
        #expect(Self.same(Self.everything(store), Self.everything(loaded)))
        // A pod's series share their labels again (one array, not one each).
        print("store file: \(saved.bytes) bytes for \(saved.samples) samples and \(saved.buckets) buckets")
        #expect(saved.bytes < saved.samples * 6 + saved.buckets * 20)
        #expect(!FileManager.default.fileExists(atPath: path + ".tmp-\(getpid())"))
    }

    @Test func refusesAnotherClusterAnotherVersionAndOtherFiles() throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/a.store"
        try StoreFile.save(Self.filledStore(series: 2, samples: 5), identity: "ctx a", to: path, now: 1)
        let store = SeriesStore()
        #expect(throws: StoreFile.Refused(path: path, reason: "saved for another cluster (ctx a), not ctx b")) {
            try StoreFile.load(path, identity: "ctx b", into: store)
        }
        var bytes = [UInt8](FileManager.default.contents(atPath: path)!)
        bytes[16] = 9 // the version
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        #expect(
            throws: StoreFile.Refused(
                path: path,
                reason: "saved by another version of kubeglass (format 9, this one reads \(StoreFile.version))")
        ) { try StoreFile.load(path, identity: "ctx a", into: store) }
        FileManager.default.createFile(atPath: path, contents: Data("apiVersion: v1\n".utf8))
        #expect(throws: StoreFile.Refused(path: path, reason: "not a kubeglass store file")) {
            try StoreFile.load(path, identity: nil, into: store)
        }
        #expect(
            throws: StoreFile.Refused(path: dir + "/none.store", reason: "cannot be read (No such file or directory)")
        ) {
            try StoreFile.load(dir + "/none.store", identity: nil, into: store)
        }
        #expect(store.seriesCount == 0, "nothing from a refused file")
        #expect(
            "\(StoreFile.Refused(path: "/x.store", reason: "cut short"))" == "/x.store: cut short; starting without it")
    }

    @Test func everyCutAndEveryFlippedBitIsRefusedOrExact() throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/s.store"
        let store = Self.filledStore(series: 3, samples: 40)
        try StoreFile.save(store, identity: "id", to: path, now: 5)
        let bytes = [UInt8](FileManager.default.contents(atPath: path)!)
        let original = try StoreFile.parse(bytes, path: path, identity: "id")
        #expect(original.series.count == 15)
        var refused = 0
        for cut in 0..<bytes.count {
            do {
                _ = try StoreFile.parse(Array(bytes[0..<cut]), path: path, identity: "id")
                Issue.record("a file cut at \(cut) of \(bytes.count) bytes was accepted")
            } catch {
                refused += 1
            }
        }
        for bit in 0..<(bytes.count * 8) {
            var damaged = bytes
            damaged[bit / 8] ^= 1 << UInt8(bit % 8)
            do {
                let parsed = try StoreFile.parse(damaged, path: path, identity: "id")
                let same =
                    parsed.series.count == original.series.count
                    && zip(parsed.series, original.series).allSatisfy { a, b in
                        a.0 == b.0 && a.1.map(\.time) == b.1.map(\.time)
                            && a.1.map(\.value.bitPattern) == b.1.map(\.value.bitPattern)
                    }
                if !same { Issue.record("bit \(bit) flipped: accepted and different") }
            } catch {
                refused += 1
            }
        }
        #expect(refused == bytes.count * 9, "every cut and every flip refused")
    }

    @Test func theDecoderRefusesBitsNoEncoderWrites() {
        // Past the checksum (as if it matched by chance): random words decode to nil or to increasing
        // times, and never trap.
        var rng = SplitMix64(state: 3)
        for _ in 0..<2_000 {
            let words = (0..<Int(rng.next() % 8)).map { _ in rng.next() }
            if let samples = SampleStream.decode(words, count: Int(rng.next() % 40)) {
                #expect(zip(samples, samples.dropFirst()).allSatisfy { $0.time < $1.time })
            }
        }
    }

    @Test func anInterruptedSaveLeavesThePreviousFile() throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/s.store"
        try StoreFile.save(Self.filledStore(series: 2, samples: 10), identity: "id", to: path, now: 1)
        // A save killed midway leaves only its temporary file, half written.
        FileManager.default.createFile(atPath: path + ".tmp-99999", contents: Data(repeating: 0x4b, count: 100))
        let store = SeriesStore()
        #expect(try StoreFile.load(path, identity: "id", into: store).series == 10)
    }

    @Test func defaultDirectoryFollowsXDG() {
        #expect(StoreFile.defaultDirectory(environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"]) == "/s/kubeglass")
        #expect(StoreFile.defaultDirectory(environment: ["HOME": "/h"]) == "/h/.local/state/kubeglass")
        #expect(
            StoreFile.defaultDirectory(environment: ["XDG_STATE_HOME": "relative", "HOME": "/h"])
                == "/h/.local/state/kubeglass", "the spec says a relative XDG path is ignored")
    }
}
