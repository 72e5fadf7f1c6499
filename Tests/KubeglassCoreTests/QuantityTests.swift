import KubeglassCore
import Testing

struct QuantityTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var text: String
        var nano: Int128
        var milli: Int64
        var value: Int64
        var canonical: String
        var testDescription: String { text }
    }

    /// Canonical forms as kubectl 1.32.4 prints them (`kubectl set resources --local --limits=cpu=TEXT -o yaml`),
    /// except where Kubernetes echoes the input ("1.", "007", "1E-6"); "1000E" prints as "1e21" as current Kubernetes does.
    static let cases: [Case] = [
        // metrics.k8s.io NodeMetrics and PodMetrics
        Case(text: "487558164n", nano: 487_558_164, milli: 488, value: 1, canonical: "487558164n"),
        Case(
            text: "732212Ki", nano: 749_785_088_000_000_000, milli: 749_785_088_000, value: 749_785_088,
            canonical: "732212Ki"),
        Case(text: "9559630n", nano: 9_559_630, milli: 10, value: 1, canonical: "9559630n"),
        Case(
            text: "22244Ki", nano: 22_777_856_000_000_000, milli: 22_777_856_000, value: 22_777_856,
            canonical: "22244Ki"),
        // requests and limits as people write them
        Case(text: "100m", nano: 100_000_000, milli: 100, value: 1, canonical: "100m"),
        Case(text: "1", nano: 1_000_000_000, milli: 1000, value: 1, canonical: "1"),
        Case(text: "0.5", nano: 500_000_000, milli: 500, value: 1, canonical: "500m"),
        Case(text: ".5", nano: 500_000_000, milli: 500, value: 1, canonical: "500m"),
        Case(text: "1.", nano: 1_000_000_000, milli: 1000, value: 1, canonical: "1"),
        Case(text: "+1", nano: 1_000_000_000, milli: 1000, value: 1, canonical: "1"),
        Case(
            text: "1.5Gi", nano: 1_610_612_736_000_000_000, milli: 1_610_612_736_000, value: 1_610_612_736,
            canonical: "1536Mi"),
        Case(
            text: "128974848", nano: 128_974_848_000_000_000, milli: 128_974_848_000, value: 128_974_848,
            canonical: "128974848"),
        Case(
            text: "129e6", nano: 129_000_000_000_000_000, milli: 129_000_000_000, value: 129_000_000, canonical: "129e6"
        ),
        Case(
            text: "123Mi", nano: 128_974_848_000_000_000, milli: 128_974_848_000, value: 128_974_848, canonical: "123Mi"
        ),
        Case(text: "1e3", nano: 1_000_000_000_000, milli: 1_000_000, value: 1000, canonical: "1e3"),
        Case(text: "1e+2", nano: 100_000_000_000, milli: 100_000, value: 100, canonical: "100"),
        Case(text: "1E-6", nano: 1000, milli: 1, value: 1, canonical: "1e-6"),
        Case(text: "12e-1", nano: 1_200_000_000, milli: 1200, value: 2, canonical: "1200e-3"),
        Case(text: "-1", nano: -1_000_000_000, milli: -1000, value: -1, canonical: "-1"),
        Case(
            text: "-1.5Gi", nano: -1_610_612_736_000_000_000, milli: -1_610_612_736_000, value: -1_610_612_736,
            canonical: "-1536Mi"),
        Case(text: "0", nano: 0, milli: 0, value: 0, canonical: "0"),
        Case(text: "-0", nano: 0, milli: 0, value: 0, canonical: "0"),
        Case(text: "0Mi", nano: 0, milli: 0, value: 0, canonical: "0"),
        Case(text: "0.", nano: 0, milli: 0, value: 0, canonical: "0"),
        Case(text: "007", nano: 7_000_000_000, milli: 7000, value: 7, canonical: "7"),
        // rounding: always away from zero, as MilliValue() and Value() do
        Case(text: "1n", nano: 1, milli: 1, value: 1, canonical: "1n"),
        Case(text: "-1n", nano: -1, milli: -1, value: -1, canonical: "-1n"),
        Case(text: "1000001n", nano: 1_000_001, milli: 2, value: 1, canonical: "1000001n"),
        Case(text: "0.1n", nano: 1, milli: 1, value: 1, canonical: "1n"),
        Case(text: "-0.1n", nano: -1, milli: -1, value: -1, canonical: "-1n"),
        Case(text: "1e-100", nano: 1, milli: 1, value: 1, canonical: "1e-9"),
        Case(text: "1.5m", nano: 1_500_000, milli: 2, value: 1, canonical: "1500u"),
        Case(text: "2.0000000001", nano: 2_000_000_001, milli: 2001, value: 3, canonical: "2000000001n"),
        // binary form only for whole numbers of 1024 and above
        Case(text: "0.5Ki", nano: 512_000_000_000, milli: 512_000, value: 512, canonical: "512"),
        Case(text: "1024Ki", nano: 1_048_576_000_000_000, milli: 1_048_576_000, value: 1_048_576, canonical: "1Mi"),
        Case(text: "1Ki", nano: 1_024_000_000_000, milli: 1_024_000, value: 1024, canonical: "1Ki"),
        Case(text: "0.0000000001Ki", nano: 103, milli: 1, value: 1, canonical: "103n"),
        // the largest suffixes, and Kubernetes' cap on binary quantities
        Case(
            text: "1E", nano: 1_000_000_000_000_000_000_000_000_000, milli: .max, value: 1_000_000_000_000_000_000,
            canonical: "1E"),
        Case(
            text: "1000E", nano: 1_000_000_000_000_000_000_000_000_000_000, milli: .max, value: .max, canonical: "1e21"),
        Case(text: "12E", nano: 12_000_000_000_000_000_000_000_000_000, milli: .max, value: .max, canonical: "12E"),
        Case(
            text: "5000E", nano: 5_000_000_000_000_000_000_000_000_000_000, milli: .max, value: .max, canonical: "5e21"),
        Case(
            text: "1Ei", nano: 1_152_921_504_606_846_976_000_000_000, milli: .max, value: 1_152_921_504_606_846_976,
            canonical: "1Ei"),
        Case(
            text: "8Ei", nano: 9_223_372_036_854_775_807_000_000_000, milli: .max, value: .max,
            canonical: "9223372036854775807"),
        Case(
            text: "-8Ei", nano: -9_223_372_036_854_775_807_000_000_000, milli: .min, value: -9_223_372_036_854_775_807,
            canonical: "-9223372036854775807"),
    ]

    @Test(arguments: cases)
    func parses(_ c: Case) throws {
        let q = try Quantity(parsing: c.text)
        #expect(q.nanoValue == c.nano)
        #expect(q.milliValue == c.milli)
        #expect(q.value == c.value)
        #expect(q.description == c.canonical)
        #expect(try Quantity(parsing: q.description) == q, "the canonical form parses back to the same value")
    }

    @Test func doubleValue() throws {
        #expect(try Quantity(parsing: "487558164n").doubleValue == 0.487558164)
        #expect(try Quantity(parsing: "1.5Gi").doubleValue == 1_610_612_736)
        #expect(try Quantity(parsing: "-250m").doubleValue == -0.25)
        #expect(try Quantity(parsing: "1e20").doubleValue == 1e20)
    }

    @Test func formatsAreKept() throws {
        #expect(try Quantity(parsing: "1Gi").format == .binarySI)
        #expect(try Quantity(parsing: "1G").format == .decimalSI)
        #expect(try Quantity(parsing: "1e9").format == .decimalExponent)
        #expect(Quantity(value: 2048, format: .binarySI).description == "2Ki")
        #expect(Quantity(milliValue: 250).description == "250m")
    }

    @Test func equalityAndOrderFollowTheValue() throws {
        #expect(try Quantity(parsing: "1Ki") == Quantity(parsing: "1024"))
        #expect(try Quantity(parsing: "1k") < Quantity(parsing: "1Ki"))
        #expect(try Quantity(parsing: "-1") < Quantity(parsing: "1n"))
        #expect(try Set([Quantity(parsing: "1000m"), Quantity(parsing: "1")]).count == 1)
    }

    static let pattern = "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"

    @Test(arguments: [
        "", "1..2", "1Kb", "Mi", "1 Mi", "--1", "-", "+", " 1", "1 ", "1.1.M", "1+1.0M", "aoeu", "1e3.5", "1KI", "١",
    ])
    func rejectsTextThatIsNotAQuantity(_ text: String) {
        #expect(throws: QuantityError(text: text, reason: .format)) { try Quantity(parsing: text) }
    }

    @Test func rejectsAPointWithoutDigits() {
        #expect(throws: QuantityError(text: ".", reason: .numeric)) { try Quantity(parsing: ".") }
        #expect(throws: QuantityError(text: "-.Ki", reason: .numeric)) { try Quantity(parsing: "-.Ki") }
    }

    @Test(arguments: [
        ("1e", "e"), ("1i", "i"), ("1Kiu", "Kiu"), ("-3.01e-", "e-"), ("1mi", "mi"),
        ("1e99999999999999999999", "e99999999999999999999"), ("5Ki3", "Ki3"),
    ])
    func rejectsUnknownSuffixes(_ text: String, _ suffix: String) {
        #expect(throws: QuantityError(text: text, reason: .suffix(suffix))) { try Quantity(parsing: text) }
    }

    @Test func rejectsValuesBeyond128Bits() throws {
        #expect(try Quantity(parsing: "1e29").nanoValue == 100_000_000_000_000_000_000_000_000_000_000_000_000)
        #expect(throws: QuantityError(text: "2e29", reason: .tooLarge)) { try Quantity(parsing: "2e29") }
        #expect(throws: QuantityError(text: "1e40", reason: .tooLarge)) { try Quantity(parsing: "1e40") }
        let digits39 = String(repeating: "1", count: 39) + "n"
        #expect(throws: QuantityError(text: digits39, reason: .tooPrecise)) { try Quantity(parsing: digits39) }
        #expect(try Quantity(parsing: "1" + String(repeating: "0", count: 40) + "e-40").description == "1")
    }

    @Test func errorsNameTheTextAndWhatIsWrong() {
        #expect(
            QuantityError(text: "1Kb", reason: .format).description
                == "cannot parse quantity \"1Kb\": quantities must match the regular expression \(Self.pattern)")
        #expect(
            QuantityError(text: "1Kiu", reason: .suffix("Kiu")).description
                == "cannot parse quantity \"1Kiu\": unable to parse quantity's suffix \"Kiu\" (use n, u, m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei or an exponent such as e6)"
        )
        #expect(
            QuantityError(text: ".", reason: .numeric).description
                == "cannot parse quantity \".\": unable to parse numeric part of quantity (no digits)")
    }
}

/// Inputs from Kubernetes' own parse tests (apimachinery `resource/quantity_test.go`), with the values
/// Kubernetes gets for them, written as nano-units and our canonical form.
struct KubernetesQuantityExampleTests {
    @Test(
        arguments: [
            ("0n", 0, "0"), ("0Ti", 0, "0"), ("50k", 50_000_000_000_000, "50k"),
            ("40T", 40_000_000_000_000_000_000_000, "40T"),
            ("100.035k", 100_035_000_000_000, "100035"), ("0.0005k", 500_000_000, "500m"),
            ("0.00050k", 500_000_000, "500m"),
            ("0.5e-2", 5_000_000, "5e-3"), ("1.3E+6", 1_300_000_000_000_000, "1300e3"),
            ("1.7E18", 1_700_000_000_000_000_000_000_000_000, "1700e15"),
            ("7.123456M", 7_123_456_000_000_000, "7123456"), ("1.01E", 1_010_000_000_000_000_000_000_000_000, "1010P"),
            ("3.001n", 4, "4n"), ("1.1E-9", 2, "2e-9"), ("0.0000000005", 1, "1n"), ("0.00000012354", 124, "124n"),
            ("100.035Ki", 102_435_840_000_000, "102435840m"), ("0.05Gi", 53_687_091_200_000_000, "53687091200m"),
            ("0.000000000001Ki", 2, "2n"), (".001Ki", 1_024_000_000, "1024m"), (".0001k", 100_000_000, "100m"),
            ("1.G", 1_000_000_000_000_000_000, "1G"),
            ("9Ei", 9_223_372_036_854_775_807_000_000_000, "9223372036854775807"),
            ("9223372036854775807Ki", 9_223_372_036_854_775_807_000_000_000, "9223372036854775807"),
        ] as [(String, Int128, String)])
    func parsesLikeKubernetes(_ text: String, _ nano: Int128, _ canonical: String) throws {
        let q = try Quantity(parsing: text)
        #expect(q.nanoValue == nano)
        #expect(q.description == canonical)
        #expect(try Quantity(parsing: "-" + text).nanoValue == -nano)
        #expect(try Quantity(parsing: "+" + text).nanoValue == nano)
    }

    @Test(arguments: ["1.1.M", "1+1.0M", "0.1mi", "0.1am", "aoeu", ".5i", "1i", "-3.01i", "-3.01e-", " 1", "1 "])
    func rejectsWhatKubernetesRejects(_ text: String) {
        #expect(throws: QuantityError.self) { try Quantity(parsing: text) }
    }
}
