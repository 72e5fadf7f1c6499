import Testing

@testable import KubeAPI

@Suite struct WatchEventTests {
    static let pod =
        #"{"kind":"Pod","metadata":{"name":"web-1","namespace":"shop","resourceVersion":"4711","labels":{"app":"web"}},"spec":{"nodeName":"node-a","containers":[{"name":"app"}]},"status":{"phase":"Running"}}"#

    @Test func anAddedPodIsReadByThePodDecoderWithItsVersion() throws {
        let event = try KubeDecode.podEvent(Array(#"{"type":"ADDED","object":\#(Self.pod)}"#.utf8))
        #expect(event.kind == .added && event.resourceVersion == "4711" && event.status == nil)
        let pod = try #require(event.object)
        var expected = PodObject(namespace: "shop", name: "web-1")
        expected.labels = ["app": "web"]
        expected.nodeName = "node-a"
        expected.phase = "Running"
        expected.containers = [ContainerSpec(name: "app")]
        #expect(pod == expected)
        let list = try KubeDecode.podList(
            Array(#"{"kind":"PodList","metadata":{"resourceVersion":"4712"},"items":[\#(Self.pod)]}"#.utf8))
        #expect(list.items == [pod] && list.resourceVersion == "4712", "the same object as a list's item")
    }

    @Test func theObjectMayComeBeforeTheType() throws {
        let event = try KubeDecode.podEvent(Array(#"{"object":\#(Self.pod),"type":"DELETED"}"#.utf8), labels: false)
        #expect(event.kind == .deleted && event.object?.name == "web-1" && event.object?.labels == [:])
    }

    @Test func aBookmarkCarriesOnlyAVersion() throws {
        let line =
            #"{"type":"BOOKMARK","object":{"kind":"Node","metadata":{"resourceVersion":"12345","annotations":{"k8s.io/initial-events-end":"true"}}}}"#
        let event = try KubeDecode.nodeEvent(Array(line.utf8))
        #expect(event.kind == .bookmark && event.object == nil && event.resourceVersion == "12345")
    }

    @Test func anErrorCarriesItsStatusAnd410IsExpired() throws {
        let line =
            #"{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 1 (2)","reason":"Expired","code":410}}"#
        let event = try KubeDecode.eventEvent(Array(line.utf8))
        #expect(event.kind == .error && event.isExpired)
        #expect(event.status == KubeStatus(code: 410, reason: "Expired", message: "too old resource version: 1 (2)"))
        let gone = try KubeDecode.podEvent(Array(#"{"type":"ERROR","object":{"reason":"Gone","message":"x"}}"#.utf8))
        #expect(gone.isExpired, "a Status without kind, reason Gone")
        let other = try KubeDecode.podEvent(
            Array(#"{"type":"ERROR","object":{"kind":"Status","code":500,"reason":"InternalError"}}"#.utf8))
        #expect(!other.isExpired && other.status?.code == 500)
    }

    @Test func anEventOfEveryKindDecodes() throws {
        let event =
            #"{"metadata":{"name":"crash.1","namespace":"shop","resourceVersion":"9"},"type":"Warning","reason":"BackOff","involvedObject":{"kind":"Pod","name":"crash"},"count":3}"#
        let decoded = try KubeDecode.eventEvent(Array(#"{"type":"MODIFIED","object":\#(event)}"#.utf8))
        #expect(decoded.kind == .modified && decoded.object?.reason == "BackOff" && decoded.object?.count == 3)
        #expect(decoded.resourceVersion == "9")
    }

    @Test func badLinesSayWhatIsWrongAndWhere() {
        func message(_ line: String) -> String? {
            do {
                _ = try KubeDecode.podEvent(Array(line.utf8))
                return nil
            } catch { return error.description }
        }
        #expect(message(#"{"object":{}}"#) == #"a watch event without a "type" (at byte 0)"#)
        #expect(
            message(#"{"type":"SOMETHING","object":{}}"#) == #"a watch event of unknown type "SOMETHING" (at byte 0)"#)
        #expect(message(#"{"type":"ADDED"}"#) == #"a ADDED watch event without an "object" (at byte 0)"#)
        #expect(message(#"{"type":"ADDED","object":{"metadata":{"name":"#)?.contains("at byte") == true)
        let wrongShape = message(
            #"{"type":"ADDED","object":{"metadata":{"name":"p","namespace":"n"},"spec":{"containers":7}}}"#)
        #expect(wrongShape?.hasPrefix("pod n/p: spec.containers") == true, "\(wrongShape ?? "")")
        #expect(
            wrongShape?.hasSuffix("(at byte 87)") == true,
            "the offset counts from the line's start: \(wrongShape ?? "")")
        #expect(message(#"{"type":"ADDED","object":{}} x"#) != nil, "nothing may follow the event")
    }
}
