import Testing

@testable import TerminalUI

/// What kubeglass picks for a terminal from its environment: the colour depth and the characters.
@Suite struct TerminalDetectionTests {
    @Test(
        arguments: [
            // terminfo colours, COLORTERM, NO_COLOR, --color → depth
            (8, nil, nil, ColorChoice.auto, ColorDepth.eight), // TERM=xterm, TERM=linux
            (16, nil, nil, .auto, .sixteen),
            (256, nil, nil, .auto, .c256),
            (256, "truecolor", nil, .auto, .truecolor),
            (256, "24bit", nil, .auto, .truecolor),
            (256, "TrueColor", nil, .auto, .truecolor),
            (8, "truecolor", nil, .auto, .eight), // ncurses draws only what terminfo names
            (256, "yes", nil, .auto, .c256),
            (-1, nil, nil, .auto, .none), // no `colors` capability (TERM=vt100)
            (-1, "truecolor", nil, .always, .none), // always cannot give colours the terminal has not
            (256, nil, "1", .auto, .none),
            (256, "truecolor", "anything", .auto, .none),
            (256, nil, "", .auto, .c256), // an empty NO_COLOR is as if unset
            (256, nil, "1", .always, .c256),
            (256, nil, nil, .never, .none),
            (256, "truecolor", nil, .never, .none),
        ] as [(Int, String?, String?, ColorChoice, ColorDepth)])
    func colourDepth(colors: Int, colorterm: String?, noColor: String?, choice: ColorChoice, expected: ColorDepth) {
        var env: [String: String] = ["TERM": "xterm"]
        env["COLORTERM"] = colorterm
        env["NO_COLOR"] = noColor
        #expect(ColorDepth.detect(environment: env, terminfoColors: colors, choice: choice) == expected)
    }

    /// C.UTF-8 is built into glibc; xx_YY.UTF-8 is installed nowhere.
    @Test(
        arguments: [
            ([:], SymbolSet.ascii), // no locale at all is the C locale
            (["LANG": "C"], .ascii),
            (["LANG": "POSIX"], .ascii),
            (["LANG": "C.UTF-8"], .braille),
            (["LANG": "C.utf8"], .braille),
            (["LANG": "xx_YY.UTF-8"], .ascii), // not installed: setlocale falls back to C
            (["LANG": "C.UTF-8", "LC_ALL": "C"], .ascii), // LC_ALL wins
            (["LANG": "C", "LC_CTYPE": "C.UTF-8"], .braille), // LC_CTYPE is the character set
            (["LANG": "C.UTF-8", "LC_CTYPE": "C"], .ascii),
            (["LANG": "C.UTF-8", "LC_ALL": ""], .braille), // empty is unset
            (["TERM": "linux", "LANG": "C"], .ascii),
            (["TERM": "linux", "LANG": "C.UTF-8"], .braille), // a console in UTF-8 mode draws braille
        ] as [([String: String], SymbolSet)])
    func symbols(environment: [String: String], expected: SymbolSet) {
        #expect(SymbolSet.detect(environment: environment) == expected)
    }

    @Test func theCodesetTheCLibraryChoseDecides() {
        #expect(SymbolSet.detect(codeset: "UTF-8") == .braille)
        #expect(SymbolSet.detect(codeset: "utf8") == .braille)
        #expect(SymbolSet.detect(codeset: "ANSI_X3.4-1968") == .ascii, "the C locale")
        #expect(SymbolSet.detect(codeset: "ISO-8859-1") == .ascii)
    }
}
