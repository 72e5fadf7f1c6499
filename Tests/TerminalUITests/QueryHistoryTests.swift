import Foundation
import Testing

@testable import TerminalUI

@Suite struct QueryHistoryTests {
    func editor(_ text: String, history: [String]) -> QueryEditor {
        var e = QueryEditor(buffer: EditBuffer(text), prompt: "PromQL")
        e.buffer.cursorOffset = text.count
        e.history = HistoryWalk(history: QueryHistory(history))
        return e
    }

    @Test func keepsAThousandEntriesAndNoConsecutiveRepeats() {
        var h = QueryHistory()
        h.record("up")
        h.record("up")
        h.record("   ")
        h.record("rate(x[5m])")
        h.record("up")
        #expect(h.entries == ["up", "rate(x[5m])", "up"])
        for i in 0..<1500 { h.record("q\(i)") }
        #expect(h.entries.count == 1000 && h.entries.first == "q500" && h.entries.last == "q1499")
    }

    @Test func fileRoundTripKeepsMultiLineQueriesOnOneLine() throws {
        let state = NSTemporaryDirectory() + "kubeglass-state-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: state) }
        let path = QueryHistory.defaultPath(environment: ["XDG_STATE_HOME": state])
        #expect(QueryHistory.load(path: path).entries.isEmpty, "no file yet is an empty history")
        let queries = ["sum by (pod) (\n  rate(x[1m])\n)", #"label_replace(up, "a", "\\1", "b", "(.*)")"#, "up"]
        for q in queries { try QueryHistory.append(q, path: path) }
        try QueryHistory.append("up", path: path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.split(separator: "\n").count == 3, "one line per query: \(text)")
        #expect(text.hasPrefix(#"sum by (pod) (\n  rate(x[1m])\n)"#))
        #expect(QueryHistory.load(path: path).entries == queries)
        #expect(
            QueryHistory.defaultPath(environment: ["HOME": "/home/ada"]) == "/home/ada/.local/state/kubeglass/history")
    }

    @Test func upAndDownWalkTheHistoryFromASingleLineQuery() {
        var e = editor("my draft", history: ["first", "second"])
        #expect(e.handle(.up) == .edited)
        #expect(e.buffer.text == "second" && e.buffer.cursorOffset == 6)
        #expect(e.handle(.up) == .edited)
        #expect(e.buffer.text == "first")
        #expect(e.handle(.up) == .ignored, "nothing older")
        #expect(e.handle(.down) == .edited)
        #expect(e.handle(.down) == .edited)
        #expect(e.buffer.text == "my draft")
        #expect(e.handle(.down) == .historyNext, "below one's own text: the owner decides")
    }

    @Test func upInAMultiLineQueryMovesTheCaret() {
        var e = editor("sum(\n  x)", history: ["first"])
        #expect(e.handle(.up) == .moved)
        #expect(e.handle(.up) == .historyPrevious, "a multi-line query is not replaced by the history")
        #expect(e.buffer.text == "sum(\n  x)")
    }

    @Test func ctrlRSearchesBackwardsAndEnterTakesTheMatch() {
        var e = editor("draft", history: ["rate(a[5m])", "up", "rate(b[1m])", "sum(up)"])
        #expect(e.handle(.control("r")) == .moved)
        #expect(e.history.search != nil)
        for c in "rate" { _ = e.handle(.character(c)) }
        #expect(e.buffer.text == "rate(b[1m])")
        #expect(e.handle(.control("r")) == .edited)
        #expect(e.buffer.text == "rate(a[5m])", "Ctrl-R again: the next older match")
        _ = e.handle(.control("r"))
        #expect(e.buffer.text == "rate(a[5m])", "no older match: the match stays")
        #expect(e.handle(.enter) == .edited)
        #expect(e.history.search == nil && e.buffer.text == "rate(a[5m])")
    }

    @Test func escLeavesTheSearchWithOnesOwnText() {
        var e = editor("draft", history: ["up"])
        _ = e.handle(.control("r"))
        _ = e.handle(.character("u"))
        #expect(e.buffer.text == "up")
        #expect(e.handle(.escape) == .edited)
        #expect(e.buffer.text == "draft" && e.history.search == nil)
    }

    @Test func searchPromptIsDrawnInThePromptRow() {
        var e = editor("draft", history: ["rate(a[5m])", "up"])
        _ = e.handle(.control("r"))
        for c in "ra" { _ = e.handle(.character(c)) }
        var screen = Screen(width: 61, height: 3, fill: Cell("x"))
        e.render(in: screen.bounds, on: &screen)
        #expect(
            screen.lines == [
                "(reverse-i-search)'ra': Enter take · Ctrl-R older · Esc leave",
                "rate(a[5m])                                                  ",
                "                                                             ",
            ])
        #expect(screen[0, 0].style == Theme.default.title)
        _ = e.handle(.character("z"))
        var failed = Screen(width: 61, height: 2, fill: Cell("x"))
        e.render(in: failed.bounds, on: &failed)
        #expect(failed.lines[0].hasPrefix("(failed reverse-i-search)'raz': "))
        #expect(failed.lines[1].hasPrefix("draft"), "no match shows one's own text")
    }
}
