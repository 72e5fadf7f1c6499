extension ResolvedStyle {
    /// This style with its text kept visible: with 8 or 16 colours a theme's near-black or dark grey
    /// (inactive borders, axis labels, quiet values) lands on the background colour, so it becomes the
    /// terminal's own foreground; a foreground equal to its background gets a contrasting one.
    func visible(at depth: ColorDepth) -> ResolvedStyle {
        guard depth > .none else { return self }
        var style = self
        let darkBackground = background == -1 || background == 0
        if depth <= .sixteen, darkBackground, foreground == 0 || foreground == 8 {
            style.foreground = -1
        } else if foreground != -1, foreground == background {
            style.foreground = ResolvedStyle.lightBackgrounds.contains(background) ? 0 : depth >= .sixteen ? 15 : 7
        }
        return style
    }

    /// ANSI backgrounds (and their bright twins) that black text reads well on.
    static let lightBackgrounds: Set<Int32> = [2, 3, 6, 7, 10, 11, 14, 15]
}
