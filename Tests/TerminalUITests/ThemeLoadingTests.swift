import Foundation
import TestSupport
import Testing

@testable import TerminalUI

/// The README's style syntax, errors that point at the file, line and key, the embedded copies of the
/// shipped files, and where user themes are found.
struct ThemeLoadingTests {
    @Test func everyBuiltInThemeIsItsFileByteForByte() throws {
        for file in Theme.builtinFiles {
            let url = RepositoryFiles.url("themes/\(file.name).yaml")
            let onDisk = try #require(FileManager.default.contents(atPath: url.path), "themes/\(file.name).yaml")
            #expect([UInt8](onDisk) == file.bytes, "the compiled-in \(file.name) is themes/\(file.name).yaml")
        }
    }

    @Test func theReadmeStyleSyntaxWorksForLevelsAndPlainColoursStillDo() throws {
        var warnings: [String] = []
        let t = try Theme.load(
            yaml: """
                critical: {fg: red, bold: true}
                warning: {fg: "#ffaa00", reverse: true, underline: true}
                ok: green
                border: bright-blue
                title: {fg: red, bg: black, bold: true, dim: true, underline: true, reverse: true}
                """, file: "t.yaml", warnings: &warnings)
        #expect(warnings.isEmpty, "\(warnings)")
        #expect(t.critical == .red && t.criticalAttributes == .bold)
        #expect(t.warning == .rgb(0xff, 0xaa, 0) && t.warningAttributes == [.reverse, .underline])
        #expect(t.ok == .green && t.okAttributes == [])
        #expect(t.border == Style(foreground: .brightBlue), "a plain colour is a style's foreground")
        #expect(
            t.title == Style(foreground: .red, background: .black, attributes: [.bold, .dim, .underline, .reverse]))
        #expect(t.style(.critical, on: t.statusBar) == t.statusBar.fg(.red).bold)
    }

    @Test func warningsNameTheFileLineAndKey() throws {
        var warnings: [String] = []
        _ = try Theme.load(
            yaml: """
                name: broken
                border: {fg: purplish}
                title: {fg: red, bold: maybe}

                critical: {fg: red, shiny: true}
                series: [red, "#12345"]
                """, file: "/home/me/.config/kubeglass/themes/broken.yaml", warnings: &warnings)
        let f = "/home/me/.config/kubeglass/themes/broken.yaml"
        #expect(
            warnings.contains {
                $0.hasPrefix("\(f):2: border.fg: \"purplish\" is not a colour")
            }, "\(warnings)")
        #expect(warnings.contains { $0 == "\(f):3: title.bold: should be true or false" }, "\(warnings)")
        #expect(warnings.contains { $0.hasPrefix("\(f):5: critical.shiny: unknown style key") }, "\(warnings)")
        #expect(warnings.contains { $0.hasPrefix("\(f):6: series[1]: \"#12345\" is not a colour") }, "\(warnings)")
        #expect(warnings.count == 4)
    }

    @Test func brokenYamlIsAnErrorAtItsLine() {
        var warnings: [String] = []
        #expect {
            try Theme.load(yaml: "border: {fg: gray}\ntitle: {fg: [\n", file: "b.yaml", warnings: &warnings)
        } throws: { error in
            let e = error as? Theme.LoadError
            return e?.file == "b.yaml" && (e?.line ?? 0) >= 2 && "\(error)".contains("not valid YAML")
        }
    }

    @Test func aThemeWithABackgroundGivesItToEveryStyle() throws {
        var warnings: [String] = []
        let t = try Theme.load(
            yaml: """
                background: {bg: "#fdf6e3"}
                text: {fg: "#586e75"}
                border: {fg: "#93a1a1"}
                header: {fg: white, bg: blue}
                """, file: "t.yaml", warnings: &warnings)
        #expect(t.border == Style(foreground: .rgb(0x93, 0xa1, 0xa1), background: .rgb(0xfd, 0xf6, 0xe3)))
        #expect(t.header == Style(foreground: .white, background: .blue), "a background set stays")
        #expect(t.axis.background == .rgb(0xfd, 0xf6, 0xe3) && t.axis.foreground == Theme.default.axis.foreground)
        #expect(t.background.foreground == .rgb(0x58, 0x6e, 0x75), "unset foregrounds take the text's")
    }

    /// A fresh config folder with `themes/` in it.
    static func configHome() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kubeglass-themes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: dir.appendingPathComponent("kubeglass/themes"), withIntermediateDirectories: true)
        return dir
    }

    @Test func userThemesComeFromTheConfigDirectoryAndReplaceBuiltIns() throws {
        let home = try Self.configHome()
        defer { try? FileManager.default.removeItem(at: home) }
        let themes = home.appendingPathComponent("kubeglass/themes")
        try "border: {fg: \"#123456\"}\n".write(
            to: themes.appendingPathComponent("mine.yaml"), atomically: true, encoding: .utf8)
        try "name: nord\nborder: {fg: red}\n".write(
            to: themes.appendingPathComponent("nord.yml"), atomically: true, encoding: .utf8)
        try "not a theme".write(to: themes.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        let env = ["XDG_CONFIG_HOME": home.path, "HOME": "/nonexistent"]

        #expect(Theme.userDirectory(environment: env) == themes.path)
        #expect(Theme.userDirectory(environment: ["HOME": "/home/me"]) == "/home/me/.config/kubeglass/themes")
        #expect(
            Theme.userDirectory(environment: ["XDG_CONFIG_HOME": "relative", "HOME": "/home/me"])
                == "/home/me/.config/kubeglass/themes", "a relative XDG_CONFIG_HOME is ignored, as the spec says")
        let names = Theme.availableNames(environment: env)
        #expect(names.filter { $0 == "nord" }.count == 1 && names.contains("mine") && !names.contains("notes"))
        #expect(Array(names.prefix(Theme.builtinNames.count)) == Theme.builtinNames)

        var warnings: [String] = []
        let mine = try Theme.named("mine", environment: env, warnings: &warnings)
        #expect(mine.name == "mine" && mine.border.foreground == .rgb(0x12, 0x34, 0x56))
        let nord = try Theme.named("nord", environment: env, warnings: &warnings)
        #expect(nord.border.foreground == .red, "the user's nord replaces the built-in")
        let builtinNord = try Theme.named("nord", environment: ["HOME": "/nonexistent"], warnings: &warnings)
        #expect(builtinNord.border.foreground == .rgb(0x4c, 0x56, 0x6a))
        #expect(warnings.isEmpty)
    }

    @Test func aThemeThatCannotBeReadFallsBackToTheDefaultAndSaysWhy() throws {
        let home = try Self.configHome()
        defer { try? FileManager.default.removeItem(at: home) }
        // No XDG_CONFIG_HOME: the themes are in ~/.config/kubeglass/themes, and named so.
        try FileManager.default.createDirectory(
            at: home.appendingPathComponent(".config"), withIntermediateDirectories: true)
        try FileManager.default.moveItem(
            at: home.appendingPathComponent("kubeglass"), to: home.appendingPathComponent(".config/kubeglass"))
        let file = home.appendingPathComponent(".config/kubeglass/themes/bad.yaml")
        try "text: {fg: white}\nheader: {fg: [\n".write(to: file, atomically: true, encoding: .utf8)
        let env = ["HOME": home.path]

        let missing = Theme.chosen("no-such-theme", environment: env)
        #expect(missing.theme.name == "default")
        #expect(missing.problems.count == 1 && missing.problems[0].contains("no such theme"))
        #expect(missing.problems[0].contains("solarized-light"), "the error lists the themes there are")

        let bad = Theme.chosen("bad", environment: env)
        #expect(bad.theme.name == "default")
        #expect(
            bad.problems.first?.hasPrefix("using the default theme: ~/.config/kubeglass/themes/bad.yaml:") == true,
            "\(bad.problems)")
        #expect(bad.problems.first?.contains("not valid YAML") == true)

        #expect(Theme.summary(of: ["a", "b", "c"]) == "a (+2 more)" && Theme.summary(of: []) == nil)
    }
}
