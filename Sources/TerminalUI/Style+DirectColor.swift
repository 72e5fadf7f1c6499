extension Style {
    /// This style on a direct-colour terminal (terminfo `colors` past 256, e.g. TERM=xterm-direct), whose
    /// colour numbers are 0xRRGGBB: a theme's `#rrggbb` is sent exactly. The eight ANSI colours keep their
    /// numbers 0–7 there, so that they follow the terminal's own palette.
    public func resolvedDirect() -> ResolvedStyle {
        ResolvedStyle(foreground: foreground.direct, background: background.direct, attributes: attributes)
            .visible(at: .truecolor)
    }
}

extension Color {
    /// The colour number of a direct-colour terminal (-1 = the terminal's default).
    var direct: Int32 {
        switch self {
        case .default: return -1
        case .ansi(let i) where i < 8: return Int32(i)
        case .ansi(let i):
            let c = Color.ansiRGB[Int(i % 16)]
            return Color.direct(c.r, c.g, c.b)
        case .indexed(let i):
            if i < 16 { return Color.ansi(i).direct }
            if i >= 232 {
                let v = 8 + Int(i - 232) * 10
                return Color.direct(v, v, v)
            }
            let steps = [0, 95, 135, 175, 215, 255]
            let c = Int(i) - 16
            return Color.direct(steps[c / 36], steps[(c / 6) % 6], steps[c % 6])
        case .rgb(let r, let g, let b): return Color.direct(Int(r), Int(g), Int(b))
        }
    }

    private static func direct(_ r: Int, _ g: Int, _ b: Int) -> Int32 {
        // 0–7 would be read as the ANSI colours: pure black and the darkest blues move up one step.
        max(8, Int32(r << 16 | g << 8 | b))
    }
}
