import Foundation
import TestSupport
import Testing

@testable import TerminalUI

@Suite struct SymbolSetTests {
    static func braille(_ dots: UInt8) -> Character { Character(Unicode.Scalar(0x2800 + UInt32(dots))!) }

    @Test func sparklineLevelsStayInOrderInASCII() {
        let s = draw(Sparkline(values: [0, 1, 2, 3, 4, 5, 6, 7]), width: 8, height: 1)
        #expect(SymbolSet.ascii.drawing(s).lines == ["_.:-=+*#"])
        #expect(SymbolSet.block.drawing(s).lines == s.lines, "block keeps block elements")
    }

    @Test func brailleBecomesASCIIThatKeepsWhereTheDotsAre() {
        #expect(SymbolSet.ascii.glyph(for: Self.braille(0)) == " ")
        #expect(SymbolSet.ascii.glyph(for: Self.braille(0x01 | 0x08)) == "'", "top row")
        #expect(SymbolSet.ascii.glyph(for: Self.braille(0x02 | 0x10)) == "-", "second row")
        #expect(SymbolSet.ascii.glyph(for: Self.braille(0x40 | 0x80)) == ".", "bottom row")
        #expect(SymbolSet.ascii.glyph(for: Self.braille(0x01 | 0x02 | 0x04 | 0x40)) == "|", "a column of dots")
        #expect(SymbolSet.ascii.glyph(for: Self.braille(0xFF)) == "#")
    }

    @Test func brailleBecomesQuadrantBlocks() {
        #expect(SymbolSet.block.glyph(for: Self.braille(0)) == " ")
        #expect(SymbolSet.block.glyph(for: Self.braille(0x01)) == "▘")
        #expect(SymbolSet.block.glyph(for: Self.braille(0x80)) == "▗")
        #expect(SymbolSet.block.glyph(for: Self.braille(0x01 | 0x08)) == "▀")
        #expect(SymbolSet.block.glyph(for: Self.braille(0x04 | 0x20)) == "▄")
        #expect(SymbolSet.block.glyph(for: Self.braille(0xFF)) == "█")
        #expect(SymbolSet.block.glyph(for: "●") == "●", "block changes only the charts' braille")
    }

    @Test func everyCellIsOneASCIICharacterAndWideCharactersKeepTheirColumns() {
        var s = Screen(width: 12, height: 2)
        s.box(Rect(x: 0, y: 0, width: 12, height: 2), style: .plain, title: "▸ 日本")
        s.put("●·…⚠é", x: 1, y: 1)
        let ascii = SymbolSet.ascii.drawing(s)
        #expect(ascii.lines == ["+ > ? ?  --+", "+*.~!?-----+"])
        for line in ascii.lines {
            #expect(line.utf8.allSatisfy { $0 < 0x80 }, "\(line) has non-ASCII bytes")
            #expect(line.utf8.count == 12)
        }
    }

    /// Every non-ASCII character in kubeglass' own drawing code has an ASCII stand-in other than `?`.
    @Test func everyCharacterTheWidgetsDrawHasAnASCIIStandIn() throws {
        var missing: Set<Character> = []
        for module in ["TerminalUI", "DashboardUI"] {
            let dir = RepositoryFiles.url("Sources/\(module)")
            for file in try FileManager.default.contentsOfDirectory(atPath: dir.path) where file.hasSuffix(".swift") {
                let text = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
                for line in text.split(separator: "\n") where !line.trimmingCharacters(in: .whitespaces).hasPrefix("//")
                {
                    for c in line where !c.isASCII && SymbolSet.ascii.glyph(for: c) == "?" { missing.insert(c) }
                }
            }
        }
        #expect(missing.isEmpty, "no ASCII for \(missing.sorted())")
    }

    @Test func brailleLeavesTheScreenAsItIs() {
        var s = Screen(width: 4, height: 1)
        s.put("⣿●─…", x: 0, y: 0)
        #expect(SymbolSet.braille.drawing(s) == s)
    }
}

/// What a theme's colours become on terminals with few colours.
@Suite struct VisibleStyleTests {
    @Test(arguments: [ColorDepth.eight, .sixteen])
    func blackAndDarkGreyTextOnTheDefaultBackgroundUseTheTerminalsForeground(depth: ColorDepth) {
        for color in [Color.black, .gray, .indexed(236), .rgb(40, 40, 48)] {
            let r = Style(foreground: color).resolved(for: depth)
            #expect(r.foreground == -1, "\(color) at \(depth) is drawn as \(r.foreground)")
        }
    }

    @Test func blackTextOnAColouredBackgroundStays() {
        let r = Style(foreground: .black, background: .cyan).resolved(for: .eight)
        #expect(r.foreground == 0 && r.background == 6)
    }

    @Test func textInItsOwnBackgroundColourGetsAContrastingOne() {
        #expect(Style(foreground: .blue, background: .rgb(0, 0, 230)).resolved(for: .eight).foreground == 7)
        #expect(Style(foreground: .yellow, background: .yellow).resolved(for: .sixteen).foreground == 0)
    }

    @Test func at256ColoursThemesAreDrawnAsWritten() {
        #expect(Style(foreground: .gray).resolved(for: .c256).foreground == 8)
        #expect(Style(foreground: .indexed(236)).resolved(for: .c256).foreground == 236)
    }

    @Test func withoutColourOnlyAttributesRemain() {
        let r = Style(foreground: .red, background: .blue, attributes: [.bold, .underline, .reverse]).resolved(
            for: .none)
        #expect(r == ResolvedStyle(foreground: -1, background: -1, attributes: [.bold, .underline, .reverse]))
    }
}

/// Direct colour (TERM=xterm-direct): colour numbers are 0xRRGGBB, except 0–7, the ANSI colours.
@Suite struct DirectColorTests {
    @Test func themesRGBIsSentExactly() {
        let r = Style(foreground: .rgb(0x6e, 0xd0, 0xe0), background: .rgb(0x30, 0x30, 0x30)).resolvedDirect()
        #expect(r.foreground == 0x6ed0e0 && r.background == 0x303030)
    }

    @Test func ansiColoursKeepTheirNumbersAndTheRestBecomeRGB() {
        #expect(Style(foreground: .red).resolvedDirect().foreground == 1)
        #expect(Style(foreground: .brightRed).resolvedDirect().foreground == 0xff0000)
        #expect(Style(foreground: .indexed(196)).resolvedDirect().foreground == 0xff0000)
        #expect(Style(foreground: .indexed(244)).resolvedDirect().foreground == 0x808080)
        #expect(Style(foreground: .indexed(3)).resolvedDirect().foreground == 3)
        #expect(Style(foreground: .default).resolvedDirect().foreground == -1)
    }

    @Test func nearBlackIsNotReadAsAnANSIColour() {
        #expect(Style(foreground: .rgb(0, 0, 5)).resolvedDirect().foreground == 8)
    }
}
