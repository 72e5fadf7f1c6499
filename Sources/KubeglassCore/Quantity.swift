/// A Kubernetes `resource.Quantity` ("100m", "1.5Gi", "487558164n", "129e6").
///
/// Stored as a signed 128-bit count of nano-units: Kubernetes itself rounds every quantity
/// to nano precision, and 128 bits hold every such value up to about 1.7e29 units exactly.
///
/// Grammar (as documented by Kubernetes):
///
///     <quantity>        ::= <signedNumber><suffix>
///     <number>          ::= <digits> | <digits>.<digits> | <digits>. | .<digits>
///     <suffix>          ::= <binarySI> | <decimalExponent> | <decimalSI>
///     <binarySI>        ::= Ki | Mi | Gi | Ti | Pi | Ei
///     <decimalSI>       ::= n | u | m | "" | k | M | G | T | P | E
///     <decimalExponent> ::= "e" <signedNumber> | "E" <signedNumber>
///
/// Where we differ from Kubernetes (checked with kubectl 1.32.4's `set resources --local`):
/// - "Mi", ".", "-" and "+" (no digits at all) are errors here, as the grammar says; Kubernetes reads them as zero.
/// - `description` is always the canonical form; Kubernetes echoes some inputs as written ("1.", "007", "1E-6").
/// - Decimal quantities beyond E print in exponent form ("1000E" → "1e21"), as Kubernetes does since
///   it stopped printing them as "1" (older releases lost the exponent).
/// - Magnitudes above about 1.7e29 are errors; Kubernetes keeps arbitrary precision there.
public struct Quantity: Sendable, Hashable, Comparable, CustomStringConvertible {
    public enum Format: Sendable, Hashable {
        case decimalSI
        case binarySI
        case decimalExponent
    }

    /// The exact value in nano-units (1e-9 cores, 1e-9 bytes).
    public let nanoValue: Int128
    /// How the quantity was written; `description` prints it back in the same family.
    public let format: Format

    public init(nanoValue: Int128, format: Format = .decimalSI) {
        self.nanoValue = nanoValue
        self.format = format
    }

    public init(milliValue: Int64) {
        self.init(nanoValue: Int128(milliValue) * 1_000_000)
    }

    public init(value: Int64, format: Format = .decimalSI) {
        self.init(nanoValue: Int128(value) * Quantity.nanoPerUnit, format: format)
    }

    public static let zero = Quantity(nanoValue: 0)

    /// The value in milli-units, rounded away from zero as Kubernetes' `MilliValue()` does
    /// ("1n" is 1m); saturates at the ends of Int64.
    public var milliValue: Int64 { Quantity.roundedAwayFromZero(nanoValue, dividedBy: 1_000_000) }

    /// The value in units, rounded away from zero as Kubernetes' `Value()` does ("1m" is 1);
    /// saturates at the ends of Int64.
    public var value: Int64 { Quantity.roundedAwayFromZero(nanoValue, dividedBy: Quantity.nanoPerUnit) }

    public var doubleValue: Double {
        // Most quantities fit 64 bits, where division is one instruction instead of a 128-bit routine.
        if let small = Int64(exactly: nanoValue) {
            let (whole, nanos) = small.quotientAndRemainder(dividingBy: 1_000_000_000)
            return Double(whole) + Double(nanos) / 1e9
        }
        let (whole, nanos) = nanoValue.quotientAndRemainder(dividingBy: Quantity.nanoPerUnit)
        return Double(whole) + Double(nanos) / 1e9
    }

    public var isZero: Bool { nanoValue == 0 }

    public static func == (lhs: Quantity, rhs: Quantity) -> Bool { lhs.nanoValue == rhs.nanoValue }
    public func hash(into hasher: inout Hasher) { hasher.combine(nanoValue) }
    public static func < (lhs: Quantity, rhs: Quantity) -> Bool { lhs.nanoValue < rhs.nanoValue }

    static let nanoPerUnit: Int128 = 1_000_000_000

    private static func roundedAwayFromZero(_ nano: Int128, dividedBy divisor: Int128) -> Int64 {
        var (q, r) = nano.quotientAndRemainder(dividingBy: divisor)
        if r > 0 { q += 1 } else if r < 0 { q -= 1 }
        if q > Int128(Int64.max) { return .max }
        if q < Int128(Int64.min) { return .min }
        return Int64(q)
    }
}

// MARK: - Canonical form

extension Quantity {
    private static let decimalSuffixes: [Int: String] = [
        -9: "n", -6: "u", -3: "m", 0: "", 3: "k", 6: "M", 9: "G", 12: "T", 15: "P", 18: "E",
    ]
    private static let binarySuffixes = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"]

    /// Kubernetes' canonical form: "1536Mi" for "1.5Gi", "500m" for "0.5", "1200e-3" for "12e-1".
    public var description: String {
        if nanoValue == 0 { return "0" }
        if format == .binarySI, let binary = binaryDescription { return binary }
        var mantissa = nanoValue
        var exponent = -9
        while mantissa.magnitude >= 10 && mantissa % 10 == 0 {
            mantissa /= 10
            exponent += 1
        }
        let belowMultipleOf3 = ((exponent % 3) + 3) % 3
        for _ in 0..<belowMultipleOf3 { mantissa *= 10 }
        exponent -= belowMultipleOf3
        if format == .decimalExponent {
            return exponent == 0 ? "\(mantissa)" : "\(mantissa)e\(exponent)"
        }
        // No decimal suffix goes beyond E (10^18): larger values keep their exponent rather than lose it.
        if exponent > 18 { return "\(mantissa)e\(exponent)" }
        return "\(mantissa)\(Quantity.decimalSuffixes[exponent] ?? "")"
    }

    /// Binary form only for whole numbers of at least 1024, as Kubernetes prints them.
    private var binaryDescription: String? {
        let (units, nanos) = nanoValue.quotientAndRemainder(dividingBy: Quantity.nanoPerUnit)
        guard nanos == 0, units.magnitude >= 1024 else { return nil }
        var amount = units
        var power = 0
        while power < Quantity.binarySuffixes.count - 1 && amount.magnitude >= 1024 && amount % 1024 == 0 {
            amount /= 1024
            power += 1
        }
        return "\(amount)\(Quantity.binarySuffixes[power])"
    }
}

// MARK: - Parsing

public struct QuantityError: Error, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        /// The text does not have the shape of a quantity at all.
        case format
        /// A decimal point without any digits.
        case numeric
        /// The letters after the number are not a known suffix.
        case suffix(String)
        /// The value does not fit in 128 bits of nano-units.
        case tooLarge
        /// More significant digits than 128 bits can hold, or a binary suffix on more than 47 decimals.
        case tooPrecise
    }

    public let text: String
    public let reason: Reason

    public init(text: String, reason: Reason) {
        self.text = text
        self.reason = reason
    }

    public static let pattern = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$"

    public var description: String {
        let quoted = "cannot parse quantity \"\(text)\""
        switch reason {
        case .format:
            return "\(quoted): quantities must match the regular expression '\(QuantityError.pattern)'"
        case .numeric:
            return "\(quoted): unable to parse numeric part of quantity (no digits)"
        case .suffix(let suffix):
            return
                "\(quoted): unable to parse quantity's suffix \"\(suffix)\" (use n, u, m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei or an exponent such as e6)"
        case .tooLarge:
            return "\(quoted): the value is too large (kubeglass holds quantities up to about 1.7e29)"
        case .tooPrecise:
            return "\(quoted): more than 38 significant digits"
        }
    }
}

extension Quantity {
    private static let suffixLetters = Set("eEinumkKMGTP".utf8)
    private static let decimalExponents: [String: Int] = [
        "n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18,
    ]
    private static let binaryExponents: [String: Int] = [
        "Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60,
    ]
    /// Kubernetes caps binary quantities at the largest Int64 number of units.
    private static let binaryCap = UInt128(Int64.max) * UInt128(nanoPerUnit)

    public init(parsing text: String) throws(QuantityError) {
        let bytes = Array(text.utf8)
        func fail(_ reason: QuantityError.Reason) -> QuantityError { QuantityError(text: text, reason: reason) }
        func isDigit(_ i: Int) -> Bool {
            i < bytes.count && bytes[i] >= UInt8(ascii: "0") && bytes[i] <= UInt8(ascii: "9")
        }

        var i = 0
        var negative = false
        if i < bytes.count && (bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+")) {
            negative = bytes[i] == UInt8(ascii: "-")
            i += 1
        }
        let integerStart = i
        while isDigit(i) { i += 1 }
        let integerDigits = bytes[integerStart..<i]
        var fractionDigits = bytes[i..<i]
        var hasPoint = false
        if i < bytes.count && bytes[i] == UInt8(ascii: ".") {
            hasPoint = true
            i += 1
            let fractionStart = i
            while isDigit(i) { i += 1 }
            fractionDigits = bytes[fractionStart..<i]
        }
        guard !integerDigits.isEmpty || hasPoint else { throw fail(.format) }

        let suffixStart = i
        while i < bytes.count && Quantity.suffixLetters.contains(bytes[i]) { i += 1 }
        if i < bytes.count && (bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+")) { i += 1 }
        while isDigit(i) { i += 1 }
        guard i == bytes.count else { throw fail(.format) }
        guard !integerDigits.isEmpty || !fractionDigits.isEmpty else { throw fail(.numeric) }

        let suffix = String(decoding: bytes[suffixStart...], as: UTF8.self)
        var decimalExponent = 0
        var binaryExponent = 0
        let format: Format
        if let e = Quantity.decimalExponents[suffix] {
            decimalExponent = e
            format = .decimalSI
        } else if let e = Quantity.binaryExponents[suffix] {
            binaryExponent = e
            format = .binarySI
        } else if suffix.count > 1, suffix.first == "e" || suffix.first == "E", let e = Int(suffix.dropFirst()) {
            decimalExponent = e
            format = .decimalExponent
        } else {
            throw fail(.suffix(suffix))
        }

        var significant = Array(integerDigits) + Array(fractionDigits)
        var exponent = decimalExponent - fractionDigits.count
        while significant.first == UInt8(ascii: "0") { significant.removeFirst() }
        while significant.last == UInt8(ascii: "0") {
            significant.removeLast()
            exponent += 1
        }
        if significant.isEmpty {
            self.init(nanoValue: 0, format: format)
            return
        }
        guard significant.count <= 38 else { throw fail(.tooPrecise) }
        if binaryExponent > 0 && exponent + 9 < -38 { throw fail(.tooPrecise) }
        let digits = significant.reduce(UInt128(0)) { $0 * 10 + UInt128($1 - UInt8(ascii: "0")) }

        guard
            var magnitude = Quantity.nanoMagnitude(
                digits: digits, exponent: exponent + 9, binaryExponent: binaryExponent),
            magnitude <= UInt128(Int128.max)
        else { throw fail(.tooLarge) }
        if format == .binarySI { magnitude = min(magnitude, Quantity.binaryCap) }
        let nano = Int128(magnitude)
        self.init(nanoValue: negative ? -nano : nano, format: format)
    }

    /// `digits × 10^exponent × 2^binaryExponent`, rounded up to a whole number; nil on overflow.
    private static func nanoMagnitude(digits: UInt128, exponent: Int, binaryExponent: Int) -> UInt128? {
        if exponent >= 0 {
            var result = digits
            for _ in 0..<exponent {
                let (next, overflow) = result.multipliedReportingOverflow(by: 10)
                if overflow { return nil }
                result = next
            }
            for _ in 0..<binaryExponent {
                let (next, overflow) = result.multipliedReportingOverflow(by: 2)
                if overflow { return nil }
                result = next
            }
            return result
        }
        let places = -exponent
        // digits < 10^38 < 10^places: a nonzero value this small rounds up to one nano-unit.
        guard places <= 38 else { return 1 }
        var divisor: UInt128 = 1
        for _ in 0..<places { divisor *= 10 }
        let (whole, remainder) = digits.quotientAndRemainder(dividingBy: divisor)
        var result = whole
        var fraction = remainder
        // Doubling keeps the binary factor exact without multiplying the digits past 128 bits.
        for _ in 0..<binaryExponent {
            let (doubled, overflow) = result.multipliedReportingOverflow(by: 2)
            if overflow { return nil }
            result = doubled
            fraction *= 2
            if fraction >= divisor {
                fraction -= divisor
                result += 1
            }
        }
        return fraction == 0 ? result : result + 1
    }
}
