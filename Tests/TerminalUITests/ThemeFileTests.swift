import Foundation
import TestSupport
import Testing

@testable import TerminalUI

/// Every shipped theme loads without a warning; bad files say what is wrong.
struct ThemeFileTests {
    static let themesDirectory = RepositoryFiles.url("themes")

    @Test func everyShippedThemeLoadsCleanly() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.themesDirectory.path).filter {
            $0.hasSuffix(".yaml")
        }
        #expect(files.count >= 10)
        for file in files {
            var warnings: [String] = []
            let theme = try Theme.load(
                file: Self.themesDirectory.appendingPathComponent(file).path, warnings: &warnings)
            #expect(warnings.isEmpty, "\(file): \(warnings)")
            #expect(theme.name + ".yaml" == file)
            #expect(theme.series.count >= (file == "mono.yaml" ? 1 : 6))
        }
        #expect(Set(Theme.builtinNames) == Set(files.map { String($0.dropLast(5)) }), "every file is compiled in")
    }

    @Test func theDefaultFileMatchesTheBuiltInDefault() throws {
        var warnings: [String] = []
        let fromFile = try Theme.named("default", warnings: &warnings)
        let d = Theme.default
        #expect(fromFile.border == d.border && fromFile.header == d.header && fromFile.selectedRow == d.selectedRow)
        #expect(fromFile.series == d.series && fromFile.ok == d.ok && fromFile.stale == d.stale)
    }

    @Test func paletteNamesAndFallbacks() throws {
        var warnings: [String] = []
        let t = try Theme.load(
            yaml: """
                palette: {sea: "#0088cc"}
                border: {fg: sea, bold: true}
                ok: 34
                """, file: "t.yaml", warnings: &warnings)
        #expect(warnings.isEmpty)
        #expect(t.border == Style(foreground: .rgb(0, 0x88, 0xcc), attributes: .bold))
        #expect(t.ok == .indexed(34))
        #expect(t.header == Theme.default.header, "missing keys keep the default")
    }

    @Test func unknownKeysAndBadColoursWarn() throws {
        var warnings: [String] = []
        let t = try Theme.load(
            yaml: "bordr: {fg: red}\nok: chartreuse-ish\ntitle: {fg: red, blink: true}\n", file: "t.yaml",
            warnings: &warnings)
        #expect(warnings.count == 3)
        #expect(warnings.contains { $0.contains("unknown key \"bordr\"") })
        #expect(warnings.contains { $0.contains("\"chartreuse-ish\" is not a colour") })
        #expect(warnings.contains { $0.contains("title.blink") })
        #expect(t.ok == Theme.default.ok)
    }

    @Test func brokenFilesAreErrorsWithTheFileName() {
        var warnings: [String] = []
        #expect(throws: Theme.LoadError.self) {
            try Theme.load(yaml: "border: {fg: [", file: "broken.yaml", warnings: &warnings)
        }
        #expect(throws: Theme.LoadError.self) {
            try Theme.load(yaml: "- a\n- b\n", file: "list.yaml", warnings: &warnings)
        }
        #expect(throws: Theme.LoadError.self) { try Theme.named("no-such-theme", warnings: &warnings) }
        do {
            _ = try Theme.load(yaml: "series: red", file: "s.yaml", warnings: &warnings)
            Issue.record("series must be a list")
        } catch {
            #expect("\(error)".hasPrefix("s.yaml:1: series: expected a list"))
        }
    }
}
