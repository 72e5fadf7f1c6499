import Foundation
import KubeglassCore
import Testing

struct LabelsTests {
    @Test func orderDoesNotMatterAndEmptyValuesAreDropped() {
        let a = Labels(["b": "2", "a": "1", "c": ""])
        let b = Labels([Label("a", "1"), Label("b", "2")])
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(a.pairs.map(\.name) == ["a", "b"])
        #expect(a["c"] == nil)
    }

    @Test func prometheusNotation() {
        #expect(
            Labels(name: "up", ["job": "node", "instance": "a:9100"]).description
                == #"up{instance="a:9100", job="node"}"#)
        #expect(Labels(name: "up").description == "up")
        #expect(Labels(["q": "say \"hi\""]).description == #"{q="say \"hi\""}"#)
    }

    @Test func settingRemovingKeeping() {
        let l = Labels(name: "x", ["a": "1", "b": "2"])
        #expect(l.setting("a", to: "9")["a"] == "9")
        #expect(l.setting("a", to: "")["a"] == nil)
        #expect(l.droppingName().name == nil)
        #expect(l.keeping(["b"]) == Labels(["b": "2"]))
    }

    @Test func matchersAreAnchored() throws {
        #expect(try LabelMatcher("pod", .regex, "web-.*").matches("web-1"))
        #expect(try !LabelMatcher("pod", .regex, "web").matches("web-1"))
        #expect(try LabelMatcher("pod", .notRegex, "web-.*").matches("api-1"))
        #expect(LabelMatcher.equal("pod", "").matches(nil))
        #expect(try LabelMatcher("pod", .notEqual, "a").matches(nil))
        #expect(throws: PatternError.self) { try LabelMatcher("pod", .regex, "(") }
    }

    @Test func stalenessMarkerIsASpecialNaN() {
        #expect(Sample.staleMarker(at: 1).isStaleMarker)
        #expect(!Sample(time: 1, value: .nan).isStaleMarker)
    }

    @Test func sortedPairsMakeTheSameSetAsADictionary() {
        let fast = Labels(
            name: "kube_pod_info", sortedPairs: [Label("namespace", "shop"), Label("node", ""), Label("pod", "web-1")])
        let slow = Labels(name: "kube_pod_info", ["pod": "web-1", "namespace": "shop", "node": ""])
        #expect(fast == slow && fast.hashValue == slow.hashValue && fast.precomputedHash == slow.precomputedHash)
        #expect(fast.pairs.map(\.name) == ["__name__", "namespace", "pod"], "the empty node is dropped")
        #expect(!(fast < slow) && !(slow < fast))
    }

    @Test func theNameIsKeptApartButReadsAsAPair() {
        let l = Labels([Label("zone", "a"), Label("__name__", "up"), Label("Job", "x"), Label("_x", "y")])
        #expect(
            l.pairs.map(\.name) == ["Job", "__name__", "_x", "zone"],
            "sorted as bytes: upper case, then _, then lower case")
        #expect(l.name == "up" && l["__name__"] == "up" && l["zone"] == "a" && l.count == 4)
        #expect(l.droppingName().pairs.map(\.name) == ["Job", "_x", "zone"] && l.droppingName().name == nil)
        #expect(l.setting("__name__", to: "down").name == "down" && l.setting("__name__", to: "").name == nil)
        #expect(l.description == "up{Job=\"x\", _x=\"y\", zone=\"a\"}")
        #expect(Labels([Label("Job", "x")]) < l, "a prefix sorts first")
        let shared = SharedLabels(Labels([Label("pod", "p"), Label("Job", "x")]))
        #expect(shared.labels(name: "up") == Labels(name: "up", ["pod": "p", "Job": "x"]))
        #expect(shared.labels(name: "up").pairs == Labels(name: "up", ["pod": "p", "Job": "x"]).pairs)
    }
}

struct DurationTextTests {
    @Test func parsesPrometheusDurations() {
        #expect(DurationText.milliseconds("5s") == 5000)
        #expect(DurationText.milliseconds("1m30s") == 90_000)
        #expect(DurationText.milliseconds("500ms") == 500)
        #expect(DurationText.milliseconds("1h") == Milliseconds.hour)
        #expect(DurationText.milliseconds("7d") == 604_800_000)
        #expect(DurationText.milliseconds("") == nil)
        #expect(DurationText.milliseconds("5") == nil)
        #expect(DurationText.milliseconds("s") == nil)
        #expect(DurationText.milliseconds("5x") == nil)
        #expect(DurationText.milliseconds("99999999999999999999y") == nil)
    }

    @Test func printsTheShortestText() {
        #expect(DurationText.text(milliseconds: 90_000) == "1m30s")
        #expect(DurationText.text(milliseconds: Milliseconds.hour) == "1h")
        #expect(DurationText.text(milliseconds: 0) == "0s")
        #expect(DurationText.text(milliseconds: 1500) == "1s500ms")
    }
}

struct JSONTextTests {
    @Test func escapesWhatJSONRequires() throws {
        let text = "a\"b\\c\nd\te\u{1}f\u{1f}é"
        let quoted = JSONText.quoted(text)
        #expect(quoted == #""a\"b\\c\nd\te\u0001f\u001fé""#)
        // A real JSON parser reads back the same string.
        let back = try JSONSerialization.jsonObject(with: Data(quoted.utf8), options: .fragmentsAllowed) as? String
        #expect(back == text)
    }
}
