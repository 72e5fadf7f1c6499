import TestSupport
import Testing

@testable import TerminalUI

/// A buffer holding `text` with the caret at the `|` in it.
private func buffer(_ marked: String) -> EditBuffer {
    var b = EditBuffer(marked.replacingOccurrences(of: "|", with: ""))
    b.cursorOffset = marked.distance(from: marked.startIndex, to: marked.firstIndex(of: "|") ?? marked.endIndex)
    return b
}

/// The text with `|` at the caret.
private func marked(_ b: EditBuffer) -> String {
    var chars = b.characters
    chars.insert("|", at: b.cursorOffset)
    return String(chars)
}

private func type(_ text: String, into b: inout EditBuffer) {
    for c in text { _ = b.apply(.character(c)) }
}

@Suite struct EditBufferTests {
    @Test func typingInsertsAtTheCaret() {
        var b = buffer("rate(|)")
        type("up[5m]", into: &b)
        #expect(marked(b) == "rate(up[5m]|)")
        #expect(b.apply(.character("日")) == .edited)
        #expect(marked(b) == "rate(up[5m]日|)")
        #expect(b.cursorScreenColumn == 13)
    }

    @Test func controlCharactersAreNotTyped() {
        var b = buffer("a|")
        #expect(b.apply(.character("\u{7}")) == .ignored)
        #expect(b.apply(.function(5)) == .ignored)
        #expect(marked(b) == "a|")
    }

    @Test func backspaceAndDelete() {
        var b = buffer("ab|cd")
        #expect(b.apply(.backspace) == .edited)
        #expect(marked(b) == "a|cd")
        #expect(b.apply(.delete) == .edited)
        #expect(marked(b) == "a|d")
        b = buffer("|x")
        #expect(b.apply(.backspace) == .ignored)
        b = buffer("x|")
        #expect(b.apply(.delete) == .ignored)
        b = buffer("ab\n|cd")
        #expect(b.apply(.backspace) == .edited)
        #expect(marked(b) == "ab|cd")
        b = buffer("ab|\ncd")
        #expect(b.apply(.delete) == .edited)
        #expect(marked(b) == "ab|cd")
    }

    @Test func leftRightHomeEnd() {
        var b = buffer("ab\n|cd")
        #expect(b.apply(.left) == .moved)
        #expect(marked(b) == "ab|\ncd")
        #expect(b.apply(.right) == .moved)
        #expect(b.apply(.end) == .moved)
        #expect(marked(b) == "ab\ncd|")
        #expect(b.apply(.right) == .ignored)
        #expect(b.apply(.home) == .moved)
        #expect(marked(b) == "ab\n|cd")
        #expect(b.apply(.control("e")) == .moved)
        #expect(marked(b) == "ab\ncd|")
        #expect(b.apply(.control("a")) == .moved)
        #expect(marked(b) == "ab\n|cd")
        b = buffer("|a")
        #expect(b.apply(.left) == .ignored)
    }

    @Test func upAndDownKeepTheScreenColumnAcrossWideCharacters() {
        var b = buffer("abcdef\n日本語\nab\nabcdef|")
        #expect(b.apply(.up) == .moved)
        #expect(marked(b) == "abcdef\n日本語\nab|\nabcdef")
        #expect(b.apply(.up) == .moved)
        #expect(marked(b) == "abcdef\n日本語|\nab\nabcdef")
        #expect(b.apply(.up) == .moved)
        #expect(marked(b) == "abcdef|\n日本語\nab\nabcdef")
        #expect(b.apply(.up) == .historyPrevious)
        b = buffer("abc|\n日本")
        #expect(b.apply(.down) == .moved)
        // Column 3 is the middle of 本: the caret stops before it.
        #expect(marked(b) == "abc\n日|本")
        #expect(b.apply(.down) == .historyNext)
    }

    @Test func wordJumps() {
        var b = buffer("sum(rate(http_requests_total[5m]))|")
        #expect(b.apply(.wordLeft) == .moved)
        #expect(marked(b) == "sum(rate(http_requests_total[|5m]))")
        _ = b.apply(.wordLeft)
        #expect(marked(b) == "sum(rate(|http_requests_total[5m]))")
        _ = b.apply(.wordLeft)
        _ = b.apply(.wordLeft)
        #expect(marked(b) == "|sum(rate(http_requests_total[5m]))")
        #expect(b.apply(.wordLeft) == .ignored)
        _ = b.apply(.wordRight)
        #expect(marked(b) == "sum|(rate(http_requests_total[5m]))")
        _ = b.apply(.wordRight)
        #expect(marked(b) == "sum(rate|(http_requests_total[5m]))")
    }

    @Test func killCommands() {
        var b = buffer("up{job=|\"api\"}\nrest")
        #expect(b.apply(.control("k")) == .edited)
        #expect(marked(b) == "up{job=|\nrest")
        #expect(b.apply(.control("k")) == .edited)
        #expect(marked(b) == "up{job=|rest")
        #expect(b.apply(.control("u")) == .edited)
        #expect(marked(b) == "|rest")
        #expect(b.apply(.control("u")) == .ignored)
        b = buffer("sum by (pod) (rate(x[5m]|))")
        #expect(b.apply(.control("w")) == .edited)
        #expect(marked(b) == "sum by (pod) (rate(x[|))")
        #expect(b.apply(.control("w")) == .edited)
        #expect(marked(b) == "sum by (pod) (rate(|))")
    }

    @Test func newlineViaDedicatedKeysAndEnterSubmits() {
        var b = buffer("a|b")
        #expect(b.apply(.insertNewline) == .edited)
        #expect(b.apply(.control("j")) == .edited)
        #expect(b.text == "a\n\nb")
        #expect(b.lines == ["a", "", "b"])
        #expect(b.lineCount == 3)
        #expect(b.apply(.enter) == .submit)
        #expect(b.apply(.escape) == .cancel)
        #expect(b.apply(.tab) == .complete)
        #expect(b.text == "a\n\nb")
    }

    @Test func typedRunsUndoAsOneStepAndRedoRestores() {
        var b = EditBuffer()
        type("rate", into: &b)
        _ = b.apply(.left)
        type("X", into: &b)
        #expect(marked(b) == "ratX|e")
        #expect(b.apply(.control("z")) == .edited)
        #expect(marked(b) == "rat|e")
        #expect(b.apply(.control("z")) == .edited)
        #expect(marked(b) == "|")
        #expect(b.apply(.control("z")) == .ignored)
        #expect(b.apply(.control("y")) == .edited)
        #expect(b.text == "rate")
        #expect(b.apply(.control("y")) == .edited)
        #expect(b.text == "ratXe")
        #expect(b.apply(.control("y")) == .ignored)
    }

    @Test func aNewEditDropsRedoAndBackspaceRunsCoalesce() {
        var b = buffer("abcdef|")
        _ = b.apply(.backspace)
        _ = b.apply(.backspace)
        _ = b.apply(.backspace)
        #expect(b.text == "abc")
        b.undo()
        #expect(marked(b) == "abcdef|")
        b.undo()
        type("z", into: &b)
        #expect(!b.canRedo)
    }

    @Test func pasteIsOneUndoStep() {
        var b = buffer("sum(|)")
        let long = String(repeating: "rate(container_cpu_usage_seconds_total[5m])\t+\r\n", count: 200)
        b.insert(text: long)
        #expect(b.lineCount == 201)
        #expect(b.text.hasPrefix("sum(rate(container_cpu_usage_seconds_total[5m]) +\nrate("))
        #expect(b.cursorPosition == (line: 200, column: 0))
        b.undo()
        #expect(marked(b) == "sum(|)")
    }

    @Test func offsetsAndPositionsRoundTrip() {
        let b = EditBuffer("ab\n日本\n\nxyz")
        for offset in 0...b.characters.count {
            let p = b.position(ofOffset: offset)
            #expect(b.offset(ofLine: p.line, column: p.column) == offset)
        }
        #expect(b.position(ofOffset: 4) == (line: 1, column: 1))
        #expect(b.position(ofOffset: 99) == (line: 3, column: 3))
        #expect(b.offset(ofLine: 1, column: 99) == 5)
        #expect(b.offset(ofLine: 9, column: 0) == b.characters.count)
    }

    @Test func parserErrorPositionsMoveTheCaret() {
        var b = EditBuffer("sum(\n  rate(x[5m)\n)")
        b.moveCursor(toErrorLine: 2, column: 12)
        #expect(marked(b) == "sum(\n  rate(x[5m|)\n)")
        b.moveCursor(toErrorLine: 1, column: 1)
        #expect(b.cursorOffset == 0)
        b.moveCursor(toErrorLine: Int.min, column: Int.max)
        #expect(b.cursorOffset == 4)
        b.moveCursor(toErrorLine: Int.max, column: Int.max)
        #expect(b.cursorOffset == b.characters.count)
    }

    @Test func wordBeforeCursorAndReplacingIt() {
        var b = buffer("sum(rate(node_cpu|")
        #expect(b.wordBeforeCursor == "node_cpu")
        b.replaceWordBeforeCursor(with: "node_cpu_seconds_total")
        #expect(marked(b) == "sum(rate(node_cpu_seconds_total|")
        b.undo()
        #expect(marked(b) == "sum(rate(node_cpu|")
        #expect(buffer("up{job:x|").wordBeforeCursor == "job:x")
        #expect(buffer("x[$__inter|").wordBeforeCursor == "$__inter")
        #expect(buffer("x[${no|").wordBeforeCursor == "${no")
        #expect(buffer("rate( |").wordBeforeCursor == "")
    }

    @Test func settingTextIsUndoable() {
        var b = EditBuffer("up")
        b.text = "down"
        #expect(b.cursorOffset == 4)
        b.undo()
        #expect(b.text == "up")
    }

    @Test func combiningMarksAndModifiersJoinTheCharacterBefore() {
        var b = EditBuffer()
        type("e\u{301}👍\u{1F3FD}", into: &b)
        #expect(b.characters.count == 2)
        #expect(b.text == "é👍🏽")
        #expect(b.cursorOffset == 2)
        b = EditBuffer("\u{301}")
        b.cursorOffset = 0
        type("a", into: &b)
        #expect(b.characters == ["á"])
        #expect(b.cursorOffset == 1)
        b = EditBuffer("a\n\u{301}")
        b.cursorOffset = 2
        #expect(b.apply(.backspace) == .edited)
        #expect(b.characters == ["á"])
        #expect(b.cursorOffset == 1)
    }

    @Test func randomEditsKeepOffsetsInCharactersAndUndoToTheStart() {
        let keys: [Key] = [
            .left, .right, .up, .down, .home, .end, .wordLeft, .wordRight, .backspace, .delete,
            .insertNewline, .control("k"), .control("u"), .control("w"), .control("z"), .control("y"),
            .character("a"), .character(" "), .character("日"), .character("\u{301}"),
            .character("👍"), .character("\u{1F3FD}"), .character("("), .character("\u{200D}"),
        ]
        var rng = SplitMix64(state: 7)
        for round in 0..<300 {
            let start = "sum(rate(x[5m]))\n日本"
            var b = EditBuffer(start)
            for _ in 0..<40 {
                let key = keys[Int(rng.next() % UInt64(keys.count))]
                if key == .control("z") || key == .control("y") { continue }
                _ = b.apply(key)
                #expect(b.characters.count == b.text.count, "round \(round)")
                #expect(b.cursorOffset >= 0 && b.cursorOffset <= b.characters.count)
            }
            while b.undo() {}
            #expect(b.text == start, "round \(round)")
        }
    }
}
