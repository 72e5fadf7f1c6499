import Synchronization

/// One terminal cell: the grapheme drawn there and its style.
/// A wide grapheme (CJK, emoji) fills its cell and marks the next one as `continuation`.
///
/// A cell holds no references (its grapheme is a number, see `Glyph`), so a frame of thousands of cells is
/// made, copied, compared and freed as plain memory, without a retain or release per cell.
public struct Cell: Hashable, Sendable {
    var glyph: Glyph
    public var style: Style
    /// True for the right half of a wide grapheme; the backend draws nothing there.
    public var isContinuation: Bool

    public init(_ symbol: Character = " ", style: Style = .plain) {
        glyph = Glyph(symbol)
        self.style = style
        isContinuation = false
    }

    /// The grapheme drawn in the cell.
    public var symbol: Character {
        get { glyph.character }
        set { glyph = Glyph(newValue) }
    }

    public static let blank = Cell()

    static func continuation(style: Style) -> Cell {
        var c = Cell(" ", style: style)
        c.isContinuation = true
        return c
    }
}

/// A grapheme as a number: one Unicode scalar is its own value; a grapheme of several scalars (a flag, an
/// emoji with a variation selector, a letter with combining marks) is numbered once in a process-wide table,
/// with the top bit set. Equal graphemes made of the same scalars get the same number.
struct Glyph: Hashable, Sendable {
    let raw: UInt32

    private static let table = Mutex<(numbers: [String: UInt32], strings: [String])>(([:], []))
    private static let composed: UInt32 = 0x8000_0000
    static let tableLimit = 1 << 16

    init(_ character: Character) {
        let scalars = character.unicodeScalars
        if scalars.count == 1, let only = scalars.first {
            raw = only.value
            return
        }
        let text = String(character)
        let numbered: UInt32? = Glyph.table.withLock { table in
            if let known = table.numbers[text] { return known }
            // Text from a server can hold any number of distinct graphemes: past this many, a new one is
            // drawn as its first scalar, so the table stays bounded however long kubeglass runs.
            guard table.strings.count < Glyph.tableLimit else { return nil }
            let number = Glyph.composed | UInt32(table.strings.count)
            table.strings.append(text)
            table.numbers[text] = number
            return number
        }
        raw = numbered ?? scalars.first.map(\.value) ?? 0x20
    }

    var character: Character {
        if raw & Glyph.composed == 0, let scalar = Unicode.Scalar(raw) { return Character(scalar) }
        let index = Int(raw & ~Glyph.composed)
        return Glyph.table.withLock { index < $0.strings.count ? Character($0.strings[index]) : " " }
    }
}
