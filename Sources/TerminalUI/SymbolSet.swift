/// The characters a terminal can show: braille dots for charts (the most detail), block elements
/// (fonts without braille), or plain ASCII (a C locale, a serial line, a Linux console without UTF-8).
/// Widgets always draw in Unicode; the set turns each cell into what the terminal shows, at the flush.
public enum SymbolSet: String, Sendable, CaseIterable {
    case braille
    case block
    case ascii

    /// The set a terminal gets when the user did not choose: ASCII unless the locale's character set is
    /// UTF-8, as `setlocale(LC_ALL, "")` reads it (the first non-empty of LC_ALL, LC_CTYPE, LANG).
    public static func detect(environment: [String: String]) -> SymbolSet {
        SymbolSet.localeIsUTF8(environment) ? .braille : .ascii
    }

    /// Whether the locale the environment names uses UTF-8 (an unset locale is "C", which does not).
    public static func localeIsUTF8(_ environment: [String: String]) -> Bool {
        let locale = ["LC_ALL", "LC_CTYPE", "LANG"].lazy.compactMap { environment[$0] }.first { !$0.isEmpty } ?? "C"
        let codeset = locale.split(separator: ".", maxSplits: 1).dropFirst().first?.split(separator: "@").first ?? ""
        let name = codeset.lowercased().replacingOccurrences(of: "-", with: "")
        return name == "utf8"
    }
}
