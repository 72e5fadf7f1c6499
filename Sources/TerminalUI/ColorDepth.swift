/// How many colours a terminal shows. Themes are written once (names, xterm-256 indexes, #rrggbb);
/// each depth turns a style into what that terminal can show.
public enum ColorDepth: Int, Sendable, Comparable, CaseIterable {
    /// No colour: attributes only (`NO_COLOR`, `--color never`, a terminal without colours).
    case none = 0
    case eight = 8
    case sixteen = 16
    case c256 = 256
    case truecolor = 16_777_216

    public static func < (a: ColorDepth, b: ColorDepth) -> Bool { a.rawValue < b.rawValue }

    /// The depth of a terminal whose terminfo says it has `colors` colours.
    public init(colors: Int) {
        switch colors {
        case ..<8: self = .none
        case 8..<16: self = .eight
        case 16..<256: self = .sixteen
        case 256..<16_777_216: self = .c256
        default: self = .truecolor
        }
    }
}

/// A style as a terminal of some depth shows it: colour numbers (-1 is the terminal's own default)
/// and attributes.
public struct ResolvedStyle: Hashable, Sendable {
    public var foreground: Int32
    public var background: Int32
    public var attributes: Style.Attributes

    public init(foreground: Int32, background: Int32, attributes: Style.Attributes) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }
}

extension Style {
    /// This style on a terminal of `depth`.
    public func resolved(for depth: ColorDepth) -> ResolvedStyle {
        guard depth > .none else { return ResolvedStyle(foreground: -1, background: -1, attributes: attributes) }
        return ResolvedStyle(
            foreground: foreground.index(for: depth), background: background.index(for: depth), attributes: attributes
        ).visible(at: depth)
    }
}

extension Color {
    /// The terminal's colour number for this colour at `depth` (-1 = the terminal's default).
    public func index(for depth: ColorDepth) -> Int32 {
        switch self {
        case .default: return -1
        case .ansi(let i): return depth >= .sixteen ? Int32(i) : Int32(i % 8)
        case .indexed(let i):
            if depth >= .c256 { return Int32(i) }
            return Color.ansi(Color.ansi(ofIndexed: i)).index(for: depth)
        case .rgb(let r, let g, let b):
            if depth >= .c256 { return Int32(Color.xterm256(r, g, b)) }
            return Color.ansi(Color.ansi(r, g, b)).index(for: depth)
        }
    }

    /// The nearest xterm-256 colour (6×6×6 cube or grey ramp).
    public static func xterm256(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt8 {
        func level(_ v: UInt8) -> Int { v < 48 ? 0 : v < 115 ? 1 : (Int(v) - 35) / 40 }
        let (cr, cg, cb) = (level(r), level(g), level(b))
        let steps = [0, 95, 135, 175, 215, 255]
        let cubeDist = sq(steps[cr] - Int(r)) + sq(steps[cg] - Int(g)) + sq(steps[cb] - Int(b))
        let avg = (Int(r) + Int(g) + Int(b)) / 3
        let grey = avg > 238 ? 23 : max(0, (avg - 3) / 10)
        let gv = 8 + grey * 10
        let greyDist = sq(gv - Int(r)) + sq(gv - Int(g)) + sq(gv - Int(b))
        return greyDist < cubeDist ? UInt8(232 + grey) : UInt8(16 + 36 * cr + 6 * cg + cb)
    }

    /// xterm's values of the 16 ANSI colours.
    public static let ansiRGB: [(r: Int, g: Int, b: Int)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205),
        (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255),
        (255, 255, 255),
    ]

    /// The nearest of the 16 ANSI colours.
    public static func ansi(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt8 {
        var best = 0
        var bestDist = Int.max
        for (i, c) in ansiRGB.enumerated() {
            let d = sq(c.r - Int(r)) + sq(c.g - Int(g)) + sq(c.b - Int(b))
            if d < bestDist {
                best = i
                bestDist = d
            }
        }
        return UInt8(best)
    }

    /// The nearest ANSI colour to an xterm-256 index.
    public static func ansi(ofIndexed i: UInt8) -> UInt8 {
        if i < 16 { return i }
        if i >= 232 {
            let v = UInt8(8 + Int(i - 232) * 10)
            return ansi(v, v, v)
        }
        let c = Int(i) - 16
        let steps: [UInt8] = [0, 95, 135, 175, 215, 255]
        return ansi(steps[c / 36], steps[(c / 6) % 6], steps[c % 6])
    }
}

private func sq(_ x: Int) -> Int { x * x }
