import CNcursesw
import TerminalUI

/// Maps styles to ncurses colour pairs, degrading colours to what the terminal has
/// (truecolor → 256 → 16 → 8) and reusing pairs.
struct ColorPalette {
    let colors: Int
    let pairs: Int
    private var cache: [PairKey: Int16] = [:]
    private var next: Int32 = 1

    private struct PairKey: Hashable {
        var fg: Int32
        var bg: Int32
    }

    init(colors: Int, pairs: Int) {
        self.colors = colors
        self.pairs = pairs
    }

    mutating func pair(for style: Style) -> Int16 {
        guard colors >= 8 else { return 0 }
        let key = PairKey(fg: index(style.foreground), bg: index(style.background))
        if key.fg == -1 && key.bg == -1 { return 0 }
        if let p = cache[key] { return p }
        // Pairs are an Int16 in the classic API; past that, fall back to the default pair.
        guard next < min(Int32(pairs), Int32(Int16.max)) else { return 0 }
        let p = Int16(next)
        next += 1
        init_pair(p, Int16(key.fg), Int16(key.bg))
        cache[key] = p
        return p
    }

    /// The terminal's colour number for a colour (-1 = the terminal's default).
    func index(_ color: Color) -> Int32 {
        switch color {
        case .default: return -1
        case .ansi(let i): return colors >= 16 ? Int32(i) : Int32(i % 8)
        case .indexed(let i):
            if colors >= 256 { return Int32(i) }
            return index(.ansi(ColorPalette.ansi(ofIndexed: i)))
        case .rgb(let r, let g, let b):
            if colors >= 256 { return Int32(ColorPalette.xterm256(r, g, b)) }
            return index(.ansi(ColorPalette.ansi(r, g, b)))
        }
    }

    /// The nearest xterm-256 colour (6×6×6 cube or grey ramp).
    static func xterm256(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt8 {
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

    /// The nearest of the 16 ANSI colours.
    static func ansi(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt8 {
        let table: [(Int, Int, Int)] = [
            (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205),
            (229, 229, 229),
            (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255),
            (255, 255, 255),
        ]
        var best = 0
        var bestDist = Int.max
        for (i, c) in table.enumerated() {
            let d = sq(c.0 - Int(r)) + sq(c.1 - Int(g)) + sq(c.2 - Int(b))
            if d < bestDist {
                best = i
                bestDist = d
            }
        }
        return UInt8(best)
    }

    static func ansi(ofIndexed i: UInt8) -> UInt8 {
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
