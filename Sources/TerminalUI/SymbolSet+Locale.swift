import Foundation

extension SymbolSet {
    /// The set for a process with this environment, when the user did not choose: the locale `setlocale`
    /// would take from it (the first non-empty of LC_ALL, LC_CTYPE, LANG), asked for its character set as
    /// the C library has it. A UTF-8 locale that is not installed is the C locale, so it gives ASCII too.
    public static func detect(environment: [String: String]) -> SymbolSet {
        let name = ["LC_ALL", "LC_CTYPE", "LANG"].lazy.compactMap { environment[$0] }.first { !$0.isEmpty } ?? "C"
        // newlocale and nl_langinfo_l, not setlocale: the process' own locale stays as it is.
        guard let locale = newlocale(LC_CTYPE_MASK, name, nil) else { return .ascii }
        defer { freelocale(locale) }
        guard let codeset = nl_langinfo_l(nl_item(CODESET), locale) else { return .ascii }
        return detect(codeset: String(cString: codeset))
    }
}
