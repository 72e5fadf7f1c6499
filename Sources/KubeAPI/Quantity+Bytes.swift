import KubeglassCore

extension Quantity {
    /// Parses a quantity straight from JSON string bytes. The forms metrics-server and the API server
    /// send ("487558164n", "732212Ki", "4", "100m") are read without building a String; anything
    /// else goes through `Quantity(parsing:)`, so both paths give identical results.
    init(bytes: UnsafeBufferPointer<UInt8>) throws(QuantityError) {
        if let fast = Quantity.fastPath(bytes) {
            self = fast
            return
        }
        // Kubernetes trims spaces around a quantity in JSON (`" 1"` is 1), though not in ParseQuantity.
        var start = 0
        var end = bytes.count
        while start < end, Quantity.isSpace(bytes[start]) { start += 1 }
        while end > start, Quantity.isSpace(bytes[end - 1]) { end -= 1 }
        self = try Quantity(parsing: String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self))
    }

    private static let powersOfTen: [UInt128] = (0...27).map { power in
        (0..<power).reduce(UInt128(1)) { product, _ in product * 10 }
    }

    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (0x09...0x0D).contains(b) }

    /// Up to 18 digits and an optional n u m k M G T P E Ki Mi Gi Ti Pi Ei; nil for anything else.
    private static func fastPath(_ b: UnsafeBufferPointer<UInt8>) -> Quantity? {
        var i = 0
        var digits: UInt64 = 0
        while i < b.count {
            let d = b[i] &- UInt8(ascii: "0")
            if d >= 10 { break }
            digits = digits &* 10 &+ UInt64(d)
            i += 1
        }
        guard i > 0, i <= 18 else { return nil }
        let suffixLength = b.count - i
        var decimalExponent = 0
        var binaryExponent = 0
        var format = Format.decimalSI
        if suffixLength == 1 {
            switch b[i] {
            case UInt8(ascii: "n"): decimalExponent = -9
            case UInt8(ascii: "u"): decimalExponent = -6
            case UInt8(ascii: "m"): decimalExponent = -3
            case UInt8(ascii: "k"): decimalExponent = 3
            case UInt8(ascii: "M"): decimalExponent = 6
            case UInt8(ascii: "G"): decimalExponent = 9
            case UInt8(ascii: "T"): decimalExponent = 12
            case UInt8(ascii: "P"): decimalExponent = 15
            case UInt8(ascii: "E"): decimalExponent = 18
            default: return nil
            }
        } else if suffixLength == 2 {
            guard b[i + 1] == UInt8(ascii: "i") else { return nil }
            switch b[i] {
            case UInt8(ascii: "K"): binaryExponent = 10
            case UInt8(ascii: "M"): binaryExponent = 20
            case UInt8(ascii: "G"): binaryExponent = 30
            case UInt8(ascii: "T"): binaryExponent = 40
            case UInt8(ascii: "P"): binaryExponent = 50
            case UInt8(ascii: "E"): binaryExponent = 60
            default: return nil
            }
            format = .binarySI
        } else if suffixLength != 0 {
            return nil
        }
        // Nano-units: the digits times 10^(suffix exponent + 9), 10^0 through 10^27.
        let (scaled, overflow) = UInt128(digits).multipliedReportingOverflow(
            by: Quantity.powersOfTen[decimalExponent + 9])
        if overflow { return nil }
        var nano = scaled
        if binaryExponent > 0 {
            let (shifted, overflow) = nano.multipliedReportingOverflow(by: UInt128(1) << binaryExponent)
            // The slow path reports what overflows; Kubernetes caps binary quantities at Int64.max units.
            guard !overflow, shifted <= UInt128(Int128.max) else { return nil }
            nano = min(shifted, UInt128(Int64.max) * 1_000_000_000)
        }
        guard nano <= UInt128(Int128.max) else { return nil }
        return Quantity(nanoValue: Int128(nano), format: format)
    }
}
