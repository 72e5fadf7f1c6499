import KubeglassCore
import TestSupport
import Testing

@testable import KubeAPI

/// The byte fast path must agree with `Quantity(parsing:)` on value, format and errors.
@Suite struct QuantityBytesTests {
    func viaBytes(_ text: String) throws(QuantityError) -> Quantity {
        let b = Array(text.utf8)
        return try b.withUnsafeBufferPointer { (buffer) throws(QuantityError) -> Quantity in try Quantity(bytes: buffer)
        }
    }

    func agree(_ text: String) {
        let slow = Result { () throws(QuantityError) -> Quantity in try Quantity(parsing: text) }
        let fast = Result { () throws(QuantityError) -> Quantity in try viaBytes(text) }
        switch (slow, fast) {
        case (.success(let a), .success(let b)):
            #expect(a.nanoValue == b.nanoValue && a.format == b.format, "\(text)")
        case (.failure(let a), .failure(let b)):
            #expect(a == b, "\(text)")
        default:
            Issue.record("\(text): slow \(slow), fast \(fast)")
        }
    }

    @Test func realValuesAgree() {
        for text in [
            "487558164n", "732212Ki", "4", "1.5", "100m", "1e3", "16393232Ki", "0", "0Ki", "007", "110", "61255492Ki",
            "9559630n", "22244Ki", "1Ei", "8Ei", "9Ei", "999999999999999999Ei", "999999999999999999E",
            "999999999999999999",
            "1000000000000000000", "12E", "1Ki3", "1KiB", "1k", "1K", "Ki", "", "n", "1nn", "-1", "+1", "1.", ".5",
            "123456789012345678n", "1Pi", "3Ti", "7Gi", "5Mi", "2u", "7P", "4T", "8G", "6M",
        ] {
            agree(text)
        }
    }

    @Test func randomValuesAgree() {
        var random = SplitMix64(state: 42)
        let suffixes = [
            "", "n", "u", "m", "k", "M", "G", "T", "P", "E", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "e3", "i", "KI",
        ]
        for _ in 0..<20_000 {
            let digits = Int.random(in: 1...22, using: &random)
            var text = ""
            for _ in 0..<digits { text.append(Character(Unicode.Scalar(UInt8.random(in: 48...57, using: &random)))) }
            text += suffixes.randomElement(using: &random)!
            agree(text)
        }
    }

    @Test func spacesAroundAQuantityAreTrimmedAsKubernetesDoes() throws {
        #expect(try viaBytes(" 1 ") == Quantity(value: 1))
        #expect(try viaBytes("\t100m") == Quantity(milliValue: 100))
        #expect(throws: QuantityError.self) { try viaBytes("1 Mi") }
    }
}
