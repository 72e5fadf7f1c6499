/// One terminal cell: the grapheme drawn there and its style.
/// A wide grapheme (CJK, emoji) fills its cell and marks the next one as `continuation`.
public struct Cell: Hashable, Sendable {
    public var symbol: Character
    public var style: Style
    /// True for the right half of a wide grapheme; the backend draws nothing there.
    public var isContinuation: Bool

    public init(_ symbol: Character = " ", style: Style = .plain) {
        self.symbol = symbol
        self.style = style
        isContinuation = false
    }

    public static let blank = Cell()

    static func continuation(style: Style) -> Cell {
        var c = Cell(" ", style: style)
        c.isContinuation = true
        return c
    }
}
