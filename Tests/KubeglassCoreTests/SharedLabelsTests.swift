import KubeglassCore
import Testing

struct SharedLabelsTests {
    @Test func namedLabelsEqualAndHashAsIfBuiltWhole() {
        let cases: [[String: String]] = [
            ["namespace": "default", "pod": "web-1", "node": "n1"],
            [:],
            ["Zone": "a", "AZ": "b", "pod": "p"], // upper-case names sort before __name__
            ["_a": "1", "a": "2"], // so does _a; lower-case names after
            ["pod": "p", "empty": ""], // an empty value is no label
        ]
        for dictionary in cases {
            let sorted = dictionary.map { Label($0.key, $0.value) }.sorted { $0.name < $1.name }
            for shared in [SharedLabels(dictionary), SharedLabels(sortedPairs: sorted)] {
                #expect(
                    shared.labels == Labels(dictionary)
                        && shared.labels.precomputedHash == Labels(dictionary).precomputedHash)
                for name in ["cpu", "kubeglass_pod_cpu_usage_cores", "A"] {
                    let fast = shared.labels(name: name)
                    let whole = Labels(name: name, dictionary)
                    #expect(fast == whole)
                    #expect(fast.pairs == whole.pairs, "same order: \(whole.pairs.map(\.name))")
                    #expect(fast.precomputedHash == whole.precomputedHash)
                    #expect(fast.precomputedHash == Labels(name: name, sortedPairs: sorted).precomputedHash)
                    #expect(Set([fast, whole]).count == 1)
                }
            }
        }
    }

    @Test func noNameIsTheSharedLabels() {
        let shared = SharedLabels(Labels(name: "dropped", ["pod": "p"]))
        #expect(shared.labels.name == nil)
        #expect(shared.labels(name: "") == Labels(["pod": "p"]))
        #expect(shared.labels(name: "").hashValue == Labels(["pod": "p"]).hashValue)
    }

    @Test func differentNamesOrValuesDiffer() {
        let a = SharedLabels(["pod": "p"])
        let b = SharedLabels(["pod": "q"])
        #expect(a.labels(name: "x") != a.labels(name: "y"))
        #expect(a.labels(name: "x") != b.labels(name: "x"))
        // A value that moves between pairs is a different label set, though the strings are the same.
        #expect(Labels(["a": "b", "c": ""]) != Labels(["a": "", "c": "b"]))
        #expect(Labels(name: "x", ["a": "1"]) != Labels(["a": "1", "b": "x"]))
    }
}
