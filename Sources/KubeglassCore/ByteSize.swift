import Foundation

/// A size as people write it on a command line: `512MB`, `2GB`, `1.5G`, `800MiB`, `none`. The units
/// count in 1024s (as `free -h` and Kubernetes' `Mi` and `Gi` do); `none`, `off` and `0` mean no limit.
public struct ByteSize: Sendable, Equatable {
    /// nil: no limit.
    public let bytes: Int?

    public init?(_ text: String) {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        if t == "none" || t == "off" || t == "0" {
            bytes = nil
            return
        }
        let digits = t.prefix { $0.isNumber || $0 == "." }
        let unit = t.dropFirst(digits.count).trimmingCharacters(in: .whitespaces)
        let powers: [String: Double] = ["": 0, "b": 0, "k": 1, "m": 2, "g": 3, "t": 4]
        let prefix =
            unit.hasSuffix("ib") ? String(unit.dropLast(2)) : unit.hasSuffix("b") ? String(unit.dropLast()) : unit
        guard let number = Double(digits), let power = powers[prefix], number >= 0 else { return nil }
        let value = number * Foundation.pow(1024, power)
        guard value < 9e18 else { return nil }
        bytes = Int(value)
    }
}
