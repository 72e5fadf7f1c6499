import TestSupport
import Testing

@testable import KubeAPI

/// Whatever the bytes, decoding returns or throws; it never traps, and truncation is always an error.
@Suite struct MalformedInputTests {
    typealias Decoder = @Sendable ([UInt8]) throws -> Void

    static let fixtures: [(name: String, body: String, decode: Decoder)] = [
        ("PodList", PodListFixture.body, { _ = try KubeDecode.podList($0) }),
        ("NodeList", Fixtures.nodeList, { _ = try KubeDecode.nodeList($0) }),
        ("NodeMetricsList", Fixtures.nodeMetricsList, { _ = try KubeDecode.nodeMetricsList($0) }),
        ("PodMetricsList", Fixtures.podMetricsList, { _ = try KubeDecode.podMetricsList($0) }),
        ("EventList", Fixtures.eventList, { _ = try KubeDecode.eventList($0) }),
        ("Summary", Fixtures.summary, { _ = try KubeDecode.summary($0) }),
        ("APIGroupList", Fixtures.apiGroupList, { _ = try KubeDecode.apiGroups($0) }),
        ("Status", Fixtures.status, { _ = try KubeDecode.podList($0) }),
    ]

    @Test(arguments: 0..<fixtures.count)
    func everyPrefixThrows(_ index: Int) throws {
        let fixture = Self.fixtures[index]
        let body = bytes(fixture.body)
        // The whole body decodes (the Status as a PodList is an error of its own).
        if fixture.name != "Status" { try fixture.decode(body) }
        var lastNonWhitespace = body.count - 1
        while body[lastNonWhitespace] == 0x0A || body[lastNonWhitespace] == 0x20 { lastNonWhitespace -= 1 }
        for length in 0...lastNonWhitespace {
            let prefix = Array(body[0..<length])
            #expect(throws: KubeDecodeError.self, "\(fixture.name) cut to \(length) bytes") {
                try fixture.decode(prefix)
            }
            if let status = KubeDecode.status(prefix) { Issue.record("a truncated body read as \(status)") }
        }
    }

    @Test func truncationSaysWhere() {
        #expect(throws: KubeDecodeError(offset: 0, message: "truncated JSON: the body is empty")) {
            try KubeDecode.podList([])
        }
        #expect(throws: KubeDecodeError(offset: 3, message: "truncated JSON: the body ended before a value")) {
            try KubeDecode.podList(bytes("   "))
        }
        #expect(throws: KubeDecodeError(offset: 10, message: "truncated JSON: the body ended inside an object")) {
            try KubeDecode.podList(bytes(#"{"items":["#).dropLast(1) + [0x20])
        }
        #expect(throws: KubeDecodeError(offset: 10, message: "truncated JSON: the body ended inside an array")) {
            try KubeDecode.podList(bytes(#"{"items":["#))
        }
        #expect(throws: KubeDecodeError(offset: 12, message: "truncated JSON: the body ended inside a string")) {
            try KubeDecode.podList(bytes(#"{"kind":"Pod"#))
        }
        #expect(throws: KubeDecodeError(offset: 21, message: "truncated JSON: the body ended inside an object")) {
            try KubeDecode.eventList(bytes(#"{"items":[{"count":12"#))
        }
    }

    @Test func syntaxErrorsSayWhatWasExpected() {
        func message(_ text: String) -> String? {
            do {
                _ = try KubeDecode.podList(bytes(text))
                return nil
            } catch {
                return error.description
            }
        }
        #expect(
            message(#"{"items":[] "kind":"PodList"}"#)
                == "expected ',' or '}' after a member, found a string (at byte 12)")
        #expect(message(#"{"items":[{} {}]}"#) == "expected ',' or ']' after an element, found an object (at byte 13)")
        #expect(message(#"{"items" []}"#) == "expected ':' after a member name, found an array (at byte 9)")
        #expect(message(#"{items:[]}"#) == "expected a member name in quotes, found 'i' (at byte 1)")
        #expect(message(#"{"items":[],}"#) == "expected a member name in quotes, found '}' (at byte 12)")
        #expect(message(#"{"items":[{},]}"#) == "expected a value after ',', found ']' (at byte 13)")
        #expect(message(#"{"x":}"#) == "expected a value, found '}' (at byte 5)")
        #expect(message(#"{"x":tru}"#) == "invalid literal: expected 'true' (at byte 8)")
        #expect(
            message(#"{"x":01}"#) == "unexpected '1' after the end of the JSON document (at byte 6)"
                || message(#"{"x":01}"#) == "expected ',' or '}' after a member, found a number (at byte 6)")
        #expect(message(#"{"x":-}"#) == "invalid number: expected a digit, found '}' (at byte 6)")
        #expect(message(#"{"x":1.}"#) == "invalid number: expected a digit after '.' (at byte 7)")
        #expect(message(#"{"x":1e}"#) == "invalid number: expected a digit in the exponent (at byte 7)")
        #expect(message(#"{"x":"a\qb"}"#) == "invalid escape '\\'q'' in a string (at byte 7)")
        #expect(message(#"{"x":"\u12G4"}"#) == "invalid \\u escape: expected 4 hex digits (at byte 10)")
        #expect(message("{\"x\":\"a\tb\"}") == "a control character (0x9) inside a string must be escaped (at byte 7)")
        #expect(message(#"{} {}"#) == "unexpected an object after the end of the JSON document (at byte 3)")
        #expect(message(#"[]"#) == "the body must be an object, not an array (at byte 0)")
    }

    @Test func deepNestingThrows() {
        let deep =
            #"{"items":[{"metadata":{"annotations":{"x":"# + String(repeating: "[", count: 100_000)
            + String(repeating: "]", count: 100_000) + "}}}]}"
        #expect(throws: KubeDecodeError(offset: 549, message: "JSON nested deeper than 512 levels")) {
            try KubeDecode.podList(bytes(deep))
        }
        let deepObjects = String(repeating: #"{"a":"#, count: 600) + "1" + String(repeating: "}", count: 600)
        #expect(throws: KubeDecodeError.self) { try KubeDecode.summary(bytes(deepObjects)) }
        let fine =
            #"{"items":[{"metadata":{"annotations":{"x":"# + String(repeating: "[", count: 500)
            + String(repeating: "]", count: 500) + "}}}]}"
        #expect(throws: Never.self) { try KubeDecode.podList(bytes(fine)) }
    }

    /// Seeded random edits of every fixture: each result decodes or throws.
    @Test(arguments: 0..<fixtures.count)
    func mutationsDecodeOrThrow(_ index: Int) {
        let fixture = Self.fixtures[index]
        let body = bytes(fixture.body)
        var random = SplitMix64(state: 0x6B75_6265 &+ UInt64(index))
        let interesting: [UInt8] = Array(#"{}[]":,\-0123456789.eEnutfalsKiMm "#.utf8) + [0x00, 0x1F, 0x7F, 0xC3, 0xFF]
        var decoded = 0
        for _ in 0..<2000 {
            var mutated = body
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                let at = Int.random(in: 0..<mutated.count, using: &random)
                switch Int.random(in: 0..<4, using: &random) {
                case 0: mutated[at] = interesting.randomElement(using: &random)!
                case 1: mutated[at] = UInt8.random(in: 0...255, using: &random)
                case 2: mutated.remove(at: at)
                default: mutated.insert(interesting.randomElement(using: &random)!, at: at)
                }
            }
            do {
                try fixture.decode(mutated)
                decoded += 1
            } catch {}
            _ = KubeDecode.status(mutated)
        }
        // Many edits land in skipped strings and still decode; many break the syntax.
        #expect(decoded > 0 && decoded < 2000)
    }
}
