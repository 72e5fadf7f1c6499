import Foundation
import Testing

@testable import TerminalUI

/// The Cluster dashboard as terminals with few colours or no UTF-8 show it: the colours and attributes
/// every cell is sent with at 16 colours, and the characters of the ASCII set.
/// To accept a deliberate change: KUBEGLASS_UPDATE_GOLDEN=1 swift test --filter TerminalFallbackScreenTests
struct TerminalFallbackScreenTests {
    /// The text, then a letter per cell naming its style as `depth` sends it, then what each letter means.
    static func styled(_ screen: Screen, depth: ColorDepth) -> String {
        var letters: [ResolvedStyle: Character] = [:]
        var legend: [String] = []
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var styleRows: [String] = []
        for y in 0..<screen.height {
            var row = ""
            for x in 0..<screen.width {
                let r = screen[x, y].style.resolved(for: depth)
                if letters[r] == nil {
                    let letter = letters.count < alphabet.count ? alphabet[letters.count] : "?"
                    letters[r] = letter
                    legend.append("\(letter) \(describe(r))")
                }
                row.append(letters[r]!)
            }
            styleRows.append(row)
        }
        return (["text:"] + screen.trimmedLines + ["styles:"] + styleRows + ["legend:"] + legend)
            .joined(separator: "\n") + "\n"
    }

    static func describe(_ r: ResolvedStyle) -> String {
        let names: [(Style.Attributes, String)] = [
            (.bold, "bold"), (.dim, "dim"), (.underline, "underline"), (.reverse, "reverse"), (.italic, "italic"),
        ]
        let attributes = names.filter { r.attributes.contains($0.0) }.map(\.1)
        return (["fg=\(r.foreground)", "bg=\(r.background)"] + attributes).joined(separator: " ")
    }

    @Test func clusterAt16ColoursWithItsStyles() async throws {
        let screen = try await DashboardViewTests.frame(width: 80, height: 24)
        try GoldenScreenTests.expectGolden(
            Self.styled(screen, depth: .sixteen), "cluster-80x24-16colors.txt")
    }

    @Test func clusterInASCII() async throws {
        let screen = SymbolSet.ascii.drawing(try await DashboardViewTests.frame(width: 120, height: 40))
        for (y, line) in screen.lines.enumerated() {
            #expect(line.utf8.allSatisfy { $0 < 0x80 }, "row \(y) has non-ASCII bytes: \(line)")
            #expect(line.utf8.count == 120, "row \(y) is not one byte a column: \(line)")
        }
        try GoldenScreenTests.expectGolden(
            screen.trimmedLines.joined(separator: "\n") + "\n", "cluster-120x40-ascii.txt")
    }

    /// On a dark terminal (the default background is black, the default foreground light), no character
    /// is drawn in the colour behind it: a border, label or value sent in black would be invisible.
    @Test(arguments: [ColorDepth.eight, .sixteen])
    func noTextInItsBackgroundColour(depth: ColorDepth) async throws {
        let screen = try await DashboardViewTests.frame(width: 120, height: 40)
        var invisible: [String] = []
        for y in 0..<screen.height {
            for x in 0..<screen.width where screen[x, y].symbol != " " && !screen[x, y].isContinuation {
                let r = screen[x, y].style.resolved(for: depth)
                // -1: the terminal's own colours, light text on black.
                var text = r.foreground == -1 ? 7 : r.foreground
                var back = r.background == -1 ? 0 : r.background
                if r.attributes.contains(.reverse) { swap(&text, &back) }
                let dark: Set<Int32> = [0, 8]
                if text == back || (dark.contains(text) && dark.contains(back)) {
                    invisible.append("(\(x),\(y)) '\(screen[x, y].symbol)' \(Self.describe(r))")
                }
            }
        }
        #expect(invisible.isEmpty, "\(invisible.count) cells invisible at \(depth): \(invisible.prefix(10))")
    }
}
