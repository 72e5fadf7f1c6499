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
        #expect(Labels(name: "up", ["job": "node", "instance": "a:9100"]).description == #"up{instance="a:9100", job="node"}"#)
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
}

struct DurationTextTests {
    @Test func parsesPrometheusDurations() {
        #expect(DurationText.milliseconds("5s") == 5000)
        #expect(DurationText.milliseconds("1m30s") == 90_000)
        #expect(DurationText.milliseconds("500ms") == 500)
        #expect(DurationText.milliseconds("1h") == 3_600_000)
        #expect(DurationText.milliseconds("7d") == 604_800_000)
        #expect(DurationText.milliseconds("") == nil)
        #expect(DurationText.milliseconds("5") == nil)
        #expect(DurationText.milliseconds("s") == nil)
        #expect(DurationText.milliseconds("5x") == nil)
        #expect(DurationText.milliseconds("99999999999999999999y") == nil)
    }

    @Test func printsTheShortestText() {
        #expect(DurationText.text(milliseconds: 90_000) == "1m30s")
        #expect(DurationText.text(milliseconds: 3_600_000) == "1h")
        #expect(DurationText.text(milliseconds: 0) == "0s")
        #expect(DurationText.text(milliseconds: 1500) == "1s500ms")
    }
}
