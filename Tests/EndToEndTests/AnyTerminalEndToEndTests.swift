import Foundation
import TestSupport
import Testing

/// The demo on the terminals of an ssh session on a master node: TERM=xterm and TERM=linux (8 colours),
/// a C locale, NO_COLOR, and no terminal at all. The bytes kubeglass writes are recorded with
/// `script` inside tmux, so what the terminal is sent is checked, not only what tmux made of it.
@Suite(.serialized)
struct AnyTerminalEndToEndTests {
    let header =
        #/^ kubeglass  > Cluster   DEMO   namespace=All  demo cluster \(12 nodes, 300 pods\) +last 1h \. every 1s  \d\d:\d\d:\d\d$/#
    let status = #/^\? help  q quit  Tab focus  Enter zoom  e edit  r refresh +\* demo ok \. \d+s ago$/#

    func environment(_ extra: [String: String]) throws -> [String: String] {
        // The test runner's own NO_COLOR or COLORTERM must not reach the program (empty is as if unset).
        try DashboardEndToEndTests().cleanEnvironment().merging(
            ["NO_COLOR": "", "COLORTERM": ""].merging(extra) { $1 }
        ) {
            $1
        }
    }

    /// Runs the demo under `script` in a 120×40 tmux pane; returns the session and the file of bytes written.
    func start(_ extra: [String: String], flags: String = "") throws -> (TmuxSession, String) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(
            "kubeglass-bytes-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        ).path
        let command = "\(try kubeglassBinary()) --demo --refresh 1s --no-state \(flags)"
        let tmux = try TmuxSession(
            command: "script -q -f -c \(TmuxSession.quote(command)) \(file)", width: 120, height: 40,
            environment: try environment(extra))
        return (tmux, file)
    }

    /// Everything kubeglass wrote, without the lines `script` adds before and after.
    func bytesWritten(_ file: String) throws -> [UInt8] {
        var lines = try Data(contentsOf: URL(fileURLWithPath: file)).split(
            separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if lines.first?.starts(with: Array("Script started".utf8)) == true { lines.removeFirst() }
        while let last = lines.last, last.isEmpty || last.starts(with: Array("Script done".utf8)) { lines.removeLast() }
        return Array(lines.joined(separator: [UInt8(ascii: "\n")]))
    }

    /// The parameters of every SGR sequence (`ESC [ … m`) in `bytes`.
    func sgrParameters(_ bytes: [UInt8]) -> [[Int]] {
        var out: [[Int]] = []
        var i = 0
        while i + 1 < bytes.count {
            defer { i += 1 }
            guard bytes[i] == 0x1b, bytes[i + 1] == UInt8(ascii: "[") else { continue }
            var j = i + 2
            while j < bytes.count, bytes[j] == UInt8(ascii: ";") || (0x30...0x39).contains(bytes[j]) { j += 1 }
            guard j < bytes.count, bytes[j] == UInt8(ascii: "m") else { continue }
            out.append(String(decoding: bytes[(i + 2)..<j], as: UTF8.self).split(separator: ";").compactMap { Int($0) })
        }
        return out
    }

    /// How many visible characters are written black on the default (dark) background or on black, following
    /// the SGR state through the bytes as a terminal does.
    func charactersInBlack(_ bytes: [UInt8]) -> Int {
        var (fg, bg) = (-1, -1)
        var count = 0
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x1b, i + 1 < bytes.count {
                if bytes[i + 1] == UInt8(ascii: "[") {
                    var j = i + 2
                    while j < bytes.count, !(0x40...0x7e).contains(bytes[j]) { j += 1 }
                    if j < bytes.count, bytes[j] == UInt8(ascii: "m") {
                        let text = String(decoding: bytes[(i + 2)..<j], as: UTF8.self)
                        let params =
                            text.isEmpty
                            ? [0]
                            : text.split(separator: ";", omittingEmptySubsequences: false)
                                .map { Int($0) ?? 0 }
                        for p in params {
                            switch p {
                            case 0: (fg, bg) = (-1, -1)
                            case 30...37: fg = p - 30
                            case 39: fg = -1
                            case 40...47: bg = p - 40
                            case 49: bg = -1
                            default: break
                            }
                        }
                    }
                    i = j + 1
                } else {
                    i += bytes[i + 1] == UInt8(ascii: "(") || bytes[i + 1] == UInt8(ascii: ")") ? 3 : 2
                }
                continue
            }
            if b > 0x20 && b != 0x7f && fg == 0 && (bg == -1 || bg == 0) { count += 1 }
            i += 1
        }
        return count
    }

    func isColour(_ p: Int) -> Bool { (30...49).contains(p) || (90...107).contains(p) }

    func quit(_ tmux: TmuxSession) async throws {
        try tmux.send("q")
        try await tmux.waitFor("kubeglass to exit", timeout: 15) { $0.contains { $0.contains("KUBEGLASS_EXITED=") } }
    }

    func readable(_ screen: [String]) -> Bool {
        let text = screen.joined(separator: "\n")
        return DashboardEndToEndTests.titles.allSatisfy { text.contains($0) } && text.contains("node-01")
            && text.contains("demo ok") && text.contains("GiB")
    }

    @Test(arguments: ["xterm", "linux"])
    func theDemoIsReadableOnAnEightColourTerminal(term: String) async throws {
        let (tmux, file) = try start(["TERM": term])
        defer { try? FileManager.default.removeItem(atPath: file) }
        try await tmux.waitFor("the dashboard with data", timeout: 90) { readable($0) }
        try await quit(tmux)
        let bytes = try bytesWritten(file)
        let colours = Set(sgrParameters(bytes).flatMap { $0 }.filter(isColour))
        #expect(!colours.isEmpty, "TERM=\(term) has colours: some are used")
        #expect(colours.allSatisfy { $0 < 90 }, "TERM=\(term) has 8 colours, not the bright ones: \(colours.sorted())")
        #expect(charactersInBlack(bytes) == 0, "characters drawn black on black on TERM=\(term)")
    }

    /// TERM=xterm and TERM=linux in the C locale, and a UTF-8 locale that is not installed (setlocale
    /// falls back to C, as on a node without `en_US.UTF-8` reached from a laptop that sends it).
    @Test(arguments: [("xterm", "C"), ("linux", "C"), ("xterm", "xx_YY.UTF-8")])
    func underTheCLocaleEveryByteIsASCIIAndNothingIsLeftStale(term: String, locale: String) async throws {
        let (tmux, file) = try start(["TERM": term, "LANG": locale, "LC_ALL": locale])
        defer { try? FileManager.default.removeItem(atPath: file) }
        let first = try await tmux.waitFor("the dashboard with data", timeout: 90) { readable($0) }
        // Three refreshes and clock ticks later, the header and status bar hold exactly what is drawn now.
        try await tmux.waitFor("three more refreshes", timeout: 30) { $0.first != first.first }
        try await Task.sleep(nanoseconds: 3_200_000_000)
        for _ in 0..<3 {
            let screen = try tmux.capture()
            #expect(screen[0].wholeMatch(of: header) != nil, "the header has stale characters: \(screen[0])")
            #expect(screen[39].wholeMatch(of: status) != nil, "the status bar has stale characters: \(screen[39])")
            try await Task.sleep(nanoseconds: 1_100_000_000)
        }
        try await quit(tmux)
        let bytes = try bytesWritten(file)
        let foreign = bytes.filter { $0 >= 0x80 }
        #expect(bytes.count > 2000)
        #expect(foreign.isEmpty, "\(foreign.count) non-ASCII bytes written under LANG=C (TERM=\(term))")
    }

    @Test func withNoColorNoColourIsSentButBoldAndReverseAre() async throws {
        let (tmux, file) = try start(["TERM": "xterm-256color", "NO_COLOR": "1"])
        defer { try? FileManager.default.removeItem(atPath: file) }
        try await tmux.waitFor("the dashboard with data", timeout: 90) { readable($0) }
        try await quit(tmux)
        let bytes = try bytesWritten(file)
        let sgr = sgrParameters(bytes).flatMap { $0 }
        #expect(!sgr.contains(where: isColour), "colour sequences sent with NO_COLOR=1: \(Set(sgr).sorted())")
        #expect(sgr.contains(1), "the header and titles are still bold")
        #expect(!String(decoding: bytes, as: UTF8.self).contains("\u{1b}[38;5"))
    }

    @Test func colorAlwaysOverridesNoColor() async throws {
        let (tmux, file) = try start(["TERM": "xterm-256color", "NO_COLOR": "1"], flags: "--color always")
        defer { try? FileManager.default.removeItem(atPath: file) }
        try await tmux.waitFor("the dashboard with data", timeout: 90) { readable($0) }
        try await quit(tmux)
        #expect(sgrParameters(try bytesWritten(file)).flatMap { $0 }.contains(where: isColour))
    }

    /// A direct-colour terminfo entry (written for this test: xterm-256color plus the direct-colour
    /// `setaf`/`setab` form of ncurses' xterm-direct), as `tic` compiles it into a directory of our own.
    static let directTerminfo = #"""
        kg-direct|xterm-256color with direct colour (kubeglass tests),
            colors#16777216, pairs#65536, RGB,
            setaf=\E[%?%p1%{8}%<%t3%p1%d%e38:2::%p1%{65536}%/%d:%p1%{256}%/%{255}%&%d:%p1%{255}%&%d%;m,
            setab=\E[%?%p1%{8}%<%t4%p1%d%e48:2::%p1%{65536}%/%d:%p1%{256}%/%{255}%&%d:%p1%{255}%&%d%;m,
            use=xterm-256color,

        """#

    @Test func aDirectColourTerminalGetsRGB() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kubeglass-terminfo-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = dir.appendingPathComponent("kg-direct.src")
        try Self.directTerminfo.write(to: source, atomically: true, encoding: .utf8)
        let (compiled, message) = try await spawn(["tic", "-x", "-o", dir.path, source.path])
        try #require(compiled == 0, "tic failed: \(message)")
        let (tmux, file) = try start(["TERM": "kg-direct", "TERMINFO": dir.path])
        defer { try? FileManager.default.removeItem(atPath: file) }
        try await tmux.waitFor("the dashboard with data", timeout: 90) { readable($0) }
        try await quit(tmux)
        let text = String(decoding: try bytesWritten(file), as: UTF8.self)
        #expect(text.contains("\u{1b}[38:2::"), "RGB foregrounds are sent")
        #expect(!text.contains("\u{1b}[38;5;"), "no xterm-256 indexes, which a direct terminal reads as RGB")
    }

    @Test func withoutATerminalItSaysWhatToRunInsteadAndExits2() async throws {
        let home = try environment([:])["HOME"]!
        for (term, reason) in [("dumb", "TERM=dumb"), ("", "TERM=<unset>"), ("xterm", "output is not a terminal")] {
            let (status, output) = try await spawn([
                "env", "HOME=\(home)", "KUBECONFIG=", "TERM=\(term)", try kubeglassBinary(),
            ])
            #expect(status == 2, "TERM=\(term): exit \(status)")
            #expect(output.contains(reason) && output.contains("kubeglass once") && output.contains("kubeglass top"))
            #expect(output.split(separator: "\n").count == 1, "one line: \(output)")
        }
        let (status, output) = try await spawn([
            "env", "HOME=\(home)", "KUBECONFIG=", "TERM=dumb", try kubeglassBinary(), "once",
        ])
        #expect(status == 0 && output.contains("Nodes ready"), "once works without a terminal")
    }
}
