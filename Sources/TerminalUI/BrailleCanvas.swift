/// A grid of braille cells addressed by dot: each cell holds 2×4 dots (U+2800 + dot bits),
/// so a `width`×`height` cell area has `2·width`×`4·height` dots. Each cell keeps one colour
/// index: the last one that set a dot in it.
struct BrailleCanvas {
    let width: Int
    let height: Int
    private(set) var bits: [UInt8]
    private(set) var owners: [Int]

    var dotWidth: Int { width * 2 }
    var dotHeight: Int { height * 4 }

    // Dots 1,2,3,7 (left column, top to bottom) and 4,5,6,8 (right column).
    private static let leftBits: [UInt8] = [0x01, 0x02, 0x04, 0x40]
    private static let rightBits: [UInt8] = [0x08, 0x10, 0x20, 0x80]

    init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        bits = Array(repeating: 0, count: self.width * self.height)
        owners = Array(repeating: -1, count: self.width * self.height)
    }

    /// Sets dot (x, y), counted from the top-left dot; dots off the canvas are ignored.
    mutating func set(x: Int, y: Int, owner: Int) {
        guard x >= 0, y >= 0, x < dotWidth, y < dotHeight else { return }
        let i = (y / 4) * width + x / 2
        bits[i] |= (x % 2 == 0 ? Self.leftBits : Self.rightBits)[y % 4]
        owners[i] = owner
    }

    /// Draws the straight line between two dot positions (any distance apart), clipped to the
    /// canvas first so far-away points cost nothing; every dot between the ends is set.
    mutating func line(from a: (x: Double, y: Double), to b: (x: Double, y: Double), owner: Int) {
        guard let (p, q) = clip(a, b) else { return }
        var x0 = Scale.int(p.x)
        var y0 = Scale.int(p.y)
        let x1 = Scale.int(q.x)
        let y1 = Scale.int(q.y)
        let dx = abs(x1 - x0)
        let dy = -abs(y1 - y0)
        let sx = x0 < x1 ? 1 : -1
        let sy = y0 < y1 ? 1 : -1
        var err = dx + dy
        while true {
            set(x: x0, y: y0, owner: owner)
            if x0 == x1 && y0 == y1 { break }
            let e2 = 2 * err
            if e2 >= dy {
                err += dy
                x0 += sx
            }
            if e2 <= dx {
                err += dx
                y0 += sy
            }
        }
    }

    /// The braille character of cell (column, row), or nil when it has no dots.
    func character(column: Int, row: Int) -> Character? {
        let b = bits[row * width + column]
        guard b != 0, let scalar = Unicode.Scalar(0x2800 + UInt32(b)) else { return nil }
        return Character(scalar)
    }

    func owner(column: Int, row: Int) -> Int { owners[row * width + column] }

    /// Liang–Barsky clipping of segment a→b to the dot rectangle.
    private func clip(_ a: (x: Double, y: Double), _ b: (x: Double, y: Double))
        -> ((x: Double, y: Double), (x: Double, y: Double))?
    {
        guard dotWidth > 0, dotHeight > 0 else { return nil }
        let maxX = Double(dotWidth - 1)
        let maxY = Double(dotHeight - 1)
        let dx = b.x - a.x
        let dy = b.y - a.y
        var t0 = 0.0
        var t1 = 1.0
        for (p, q) in [(-dx, a.x + 0.5), (dx, maxX + 0.5 - a.x), (-dy, a.y + 0.5), (dy, maxY + 0.5 - a.y)] {
            if p == 0 {
                if q < 0 { return nil }
            } else {
                let r = q / p
                if p < 0 {
                    if r > t1 { return nil }
                    t0 = max(t0, r)
                } else {
                    if r < t0 { return nil }
                    t1 = min(t1, r)
                }
            }
        }
        // The half-dot margin above lets ends round onto the edge dots; clamp what rounding might push out.
        func clamp(_ p: (x: Double, y: Double)) -> (x: Double, y: Double) {
            (min(maxX, max(0, p.x)), min(maxY, max(0, p.y)))
        }
        return (clamp((a.x + t0 * dx, a.y + t0 * dy)), clamp((a.x + t1 * dx, a.y + t1 * dy)))
    }
}
