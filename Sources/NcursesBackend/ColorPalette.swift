import CNcursesw
import TerminalUI

/// Maps styles to ncurses colour pairs at the terminal's colour depth (see `Style.resolved(for:)`),
/// reusing pairs.
struct ColorPalette {
    let depth: ColorDepth
    let pairs: Int
    /// A direct-colour terminal (colour numbers are 0xRRGGBB): pairs are made with the extended API.
    let direct: Bool
    private var cache: [PairKey: Int16] = [:]
    private var next: Int32 = 1

    private struct PairKey: Hashable {
        var fg: Int32
        var bg: Int32
    }

    init(depth: ColorDepth, pairs: Int, direct: Bool = false) {
        self.depth = depth
        self.pairs = pairs
        self.direct = direct && depth > .none
    }

    /// A style as this terminal shows it.
    func resolve(_ style: Style) -> ResolvedStyle {
        direct ? style.resolvedDirect() : style.resolved(for: depth)
    }

    /// The colour pair of a resolved style.
    mutating func pair(for style: ResolvedStyle) -> Int16 {
        guard depth > .none else { return 0 }
        let key = PairKey(fg: style.foreground, bg: style.background)
        if key.fg == -1 && key.bg == -1 { return 0 }
        if let p = cache[key] { return p }
        // Pairs are an Int16 in the classic API; past that, fall back to the default pair.
        guard next < min(Int32(pairs), Int32(Int16.max)) else { return 0 }
        let p = Int16(next)
        next += 1
        if direct {
            init_extended_pair(Int32(p), key.fg, key.bg)
        } else {
            init_pair(p, Int16(key.fg), Int16(key.bg))
        }
        cache[key] = p
        return p
    }
}
