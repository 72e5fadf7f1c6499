/// The characters a terminal can show: braille dots for charts (the most detail), block elements
/// (fonts without braille), or plain ASCII (a C locale, a serial line, a Linux console without UTF-8).
/// Widgets always draw in Unicode; the set turns each cell into what the terminal shows, at the flush.
public enum SymbolSet: String, Sendable, CaseIterable {
    case braille
    case block
    case ascii

    /// The set a terminal gets when the user did not choose: ASCII unless the character set the C library
    /// chose from LC_ALL, LC_CTYPE or LANG (`nl_langinfo(CODESET)` after `setlocale`) is UTF-8. Asking the
    /// C library, not reading the variables, also gives ASCII for a UTF-8 locale that is not installed.
    public static func detect(codeset: String) -> SymbolSet {
        codeset.lowercased().replacingOccurrences(of: "-", with: "") == "utf8" ? .braille : .ascii
    }
}
