/// Column widths of text in a terminal (what `wcwidth` says, without depending on the locale).
public enum TextWidth {
    /// Columns a grapheme takes: 0 for combining/control, 2 for East Asian wide and emoji, else 1.
    public static func of(_ c: Character) -> Int {
        guard let scalar = c.unicodeScalars.first else { return 0 }
        let v = scalar.value
        if v < 0x20 || (v >= 0x7f && v < 0xa0) { return 0 }
        if v < 0x1100 { return 1 }
        if c.unicodeScalars.contains(where: { $0.value == 0xFE0F }) { return 2 }
        switch v {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
            0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
            0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return 2
        default:
            return scalar.properties.generalCategory == .nonspacingMark ? 0 : 1
        }
    }

    public static func of(_ s: some StringProtocol) -> Int {
        s.reduce(0) { $0 + of($1) }
    }

    /// The longest prefix of `s` that fits in `columns`, with `…` at the end when cut.
    public static func truncate(_ s: String, to columns: Int, ellipsis: Bool = true) -> String {
        guard columns > 0 else { return "" }
        if of(s) <= columns { return s }
        let room = ellipsis ? columns - 1 : columns
        var out = ""
        var used = 0
        for c in s {
            let w = of(c)
            if used + w > room { break }
            out.append(c)
            used += w
        }
        return ellipsis ? out + "…" : out
    }

    /// `s` cut in the middle to fit `columns` (`report-b…29000014-c56gz`): names that share a
    /// prefix differ at their end, so both ends stay; the end gets the larger half.
    public static func truncateMiddle(_ s: String, to columns: Int) -> String {
        guard columns > 0 else { return "" }
        if of(s) <= columns { return s }
        guard columns >= 5 else { return truncate(s, to: columns) }
        let room = columns - 1
        let headRoom = room / 2
        var head = ""
        var used = 0
        for c in s {
            if used + of(c) > headRoom { break }
            head.append(c)
            used += of(c)
        }
        var tail: [Character] = []
        var tailUsed = 0
        for c in s.reversed() {
            if used + tailUsed + of(c) > room { break }
            tail.append(c)
            tailUsed += of(c)
        }
        return head + "…" + String(tail.reversed())
    }

    /// `s` padded with spaces (or cut) to exactly `columns`, aligned left or right.
    public static func pad(_ s: String, to columns: Int, alignRight: Bool = false) -> String {
        let t = truncate(s, to: columns)
        let gap = String(repeating: " ", count: max(0, columns - of(t)))
        return alignRight ? gap + t : t + gap
    }
}
