import TestSupport
import Testing

@testable import TerminalUI

private func editor(
    _ text: String, cursor: Int? = nil, prompt: String = "",
    error: (line: Int, column: Int, message: String)? = nil,
    completion: [CompletionItem] = []
) -> QueryEditor {
    var buffer = EditBuffer(text)
    if let cursor { buffer.cursorOffset = cursor }
    return QueryEditor(
        buffer: buffer, prompt: prompt, error: error,
        completion: completion.isEmpty ? nil : CompletionList(items: completion))
}

private let theme = Theme.default
private let reversed = Style.Attributes.reverse

@Suite struct QueryEditorTests {
    @Test func promptColouredTextAndCaret() {
        let s = draw(editor("rate(up[5m])", cursor: 5, prompt: "PromQL"), width: 20, height: 4)
        #expect(
            s.lines == [
                "PromQL              ",
                "rate(up[5m])        ",
                "                    ",
                "                    ",
            ])
        #expect(s[0, 0].style == theme.title)
        #expect(s[0, 1].style == theme.text.fg(theme.seriesColor(2)))
        #expect(s[4, 1].style == theme.dimText)
        #expect(s[5, 1].style == theme.text.reversed)
        #expect(s[6, 1].style == theme.text)
        #expect(s[8, 1].style == theme.text.fg(theme.seriesColor(1)))
        #expect(s[12, 1].style == theme.background)
    }

    @Test func caretAtTheEndOfALineIsAReversedSpace() {
        let s = draw(editor("up"), width: 5, height: 1)
        #expect(s.lines == ["up   "])
        #expect(s[2, 0].style.attributes.contains(reversed))
        #expect(!s[3, 0].style.attributes.contains(reversed))
    }

    @Test func errorCaretUnderTheColumnWithTheMessageBeside() {
        let e = editor("sum(rate(x[5m])", cursor: 0, prompt: "PromQL", error: (1, 5, "bad call"))
        let s = draw(e, width: 20, height: 4)
        #expect(s.trimmedLines == ["PromQL", "sum(rate(x[5m])", "    ^ bad call", ""])
        #expect(s[4, 2].style == theme.text.fg(theme.critical).bold)
        #expect(s[6, 2].style == theme.text.fg(theme.critical))
        #expect(s[4, 1].style == theme.text.fg(theme.seriesColor(2)).fg(theme.critical).with(.underline))
        #expect(e.layout(in: Rect(x: 0, y: 0, width: 20, height: 4)).error == Rect(x: 0, y: 2, width: 20, height: 1))
    }

    @Test func errorMessageGoesLeftOfTheCaretWhenThereIsMoreRoomThere() {
        let e = editor("sum(rate(x[5m])", prompt: "PromQL", error: (1, 16, "unclosed left parenthesis"))
        let s = draw(e, width: 20, height: 4)
        #expect(s.trimmedLines == ["PromQL", "sum(rate(x[5m])", "unclosed left… ^", ""])
        #expect(s[15, 1].style.attributes.contains(reversed))
    }

    @Test func multiLineErrorNamesTheLine() {
        let e = editor("sum(\nrate(x[5m]\n)", cursor: 0, error: (2, 11, "expected )"))
        let s = draw(e, width: 24, height: 5)
        #expect(s.trimmedLines == ["sum(", "rate(x[5m]", ")", "          ^ line 2: exp…", ""])
    }

    @Test func errorRowIsDroppedWhenOnlyOneRowIsLeft() {
        let s = draw(editor("up", prompt: "P", error: (1, 1, "bad")), width: 6, height: 2)
        #expect(s.trimmedLines == ["P", "up"])
    }

    @Test func scrollsHorizontallyToKeepTheCaretVisible() {
        var e = editor("abcdefghijklmno")
        let area = Rect(x: 0, y: 0, width: 10, height: 1)
        let s = draw(e, width: 10, height: 1)
        #expect(s.lines == ["ghijklmno "])
        #expect(s[9, 0].style.attributes.contains(reversed))
        e.scrollToCaret(in: area)
        #expect(e.scroll == EditorScroll(top: 0, left: 6))
        _ = e.buffer.apply(.left)
        _ = e.buffer.apply(.left)
        #expect(draw(e, width: 10, height: 1).lines == ["ghijklmno "])
        _ = e.buffer.apply(.home)
        #expect(draw(e, width: 10, height: 1).lines == ["abcdefghij"])
        _ = e.buffer.apply(.end)
        e.scrollToCaret(in: area)
        for _ in 0..<3 { _ = e.buffer.apply(.backspace) }
        let shorter = draw(e, width: 10, height: 1)
        #expect(shorter.lines == ["defghijkl "])
        #expect(shorter[9, 0].style.attributes.contains(reversed))
    }

    @Test func scrollsVerticallyToKeepTheCaretVisible() {
        var e = editor("a\nb\nc\nd\ne")
        let area = Rect(x: 0, y: 0, width: 3, height: 3)
        #expect(draw(e, width: 3, height: 3).trimmedLines == ["c", "d", "e"])
        e.scrollToCaret(in: area)
        #expect(e.scroll.top == 2)
        e.buffer.cursorOffset = 4
        #expect(draw(e, width: 3, height: 3).trimmedLines == ["c", "d", "e"])
        e.buffer.cursorOffset = 0
        #expect(draw(e, width: 3, height: 3).trimmedLines == ["a", "b", "c"])
    }

    @Test func caretOnAWideCharacterCoversBothCells() {
        let s = draw(editor("日本語abc", cursor: 1), width: 12, height: 1)
        #expect(s.trimmedLines == ["日本語abc"])
        #expect(s[3, 0].isContinuation)
        #expect(s[2, 0].style.attributes.contains(reversed))
        #expect(s[3, 0].style.attributes.contains(reversed))
        #expect(!s[4, 0].style.attributes.contains(reversed))
        #expect(editor("日本語abc", cursor: 1).caretCell(in: Rect(x: 0, y: 0, width: 12, height: 1))! == (2, 0))
    }

    @Test func wideCharactersCutByAnEdgeLeaveBlanks() {
        let left = draw(editor("a日本語"), width: 4, height: 1)
        #expect(left.lines == [" 語 "])
        #expect(left[3, 0].style.attributes.contains(reversed))
        let right = draw(editor("ab日", cursor: 0), width: 3, height: 1)
        #expect(right.lines == ["ab "])
        #expect(!right[2, 0].isContinuation)
    }

    @Test func completionPopupUnderTheWordBeingCompleted() {
        let items = [CompletionItem(text: "rate", detail: "fn"), CompletionItem(text: "irate", detail: "fn")]
        let s = draw(editor("x + ra", completion: items), width: 20, height: 4)
        #expect(s.trimmedLines == ["x + ra", "     rate   fn", "     irate  fn", ""])
        #expect(s[4, 1].style == theme.selectedRow)
        #expect(s[4, 2].style == theme.statusBar)
        #expect(s[3, 1].style == theme.background)
        #expect(s[6, 0].style.attributes.contains(reversed))
    }

    /// `sum by (node) (kubeglass_node_cpu_us` + Tab once showed `kubeglass_node_cpu_usage_cores  metric enthesis`.
    @Test func anOpenCompletionListAndTheErrorLineNeverDrawOverEachOther() {
        let text = "sum by (node) (kubeglass_node_cpu_us"
        let error = (line: 1, column: 37, message: "unclosed left parenthesis")
        let items = [CompletionItem(text: "kubeglass_node_cpu_usage_cores", detail: "metric")]
        let open = draw(editor(text, prompt: "PromQL", error: error, completion: items), width: 60, height: 5)
        let screen = open.lines.joined(separator: "\n")
        #expect(open.trimmedLines[2].hasSuffix("kubeglass_node_cpu_usage_cores  metric"), "\(open.trimmedLines)")
        #expect(!screen.contains("parenthesis") && !screen.contains("enthesis") && !screen.contains("^"))
        let closed = draw(editor(text, prompt: "PromQL", error: error), width: 60, height: 5)
        #expect(closed.trimmedLines[2].contains("unclosed left parenthesis ^"), "\(closed.trimmedLines)")
    }

    @Test func completionPopupPushedLeftAtTheRightEdgeAndAboveAtTheBottom() {
        let items = [CompletionItem(text: "rate", detail: "fn"), CompletionItem(text: "irate", detail: "fn")]
        let right = draw(editor("123456789012 ra", completion: items), width: 16, height: 3)
        #expect(right.trimmedLines == ["123456789012 ra", "      rate   fn", "      irate  fn"])
        let bottom = draw(editor("a\nb\nra", completion: items), width: 16, height: 3)
        #expect(bottom.trimmedLines == [" rate   fn", " irate  fn", "ra"])
        let cramped = draw(editor("ra", completion: items), width: 8, height: 2)
        #expect(cramped.lines == ["ra      ", " rate   "])
    }

    @Test func drawsOnlyInsideItsAreaOnABiggerScreen() {
        let e = editor(
            "sum(\n  rate(日本[5m])\n)", cursor: 8, prompt: "PromQL query",
            error: (2, 3, "unknown"), completion: [CompletionItem(text: "rate")])
        let area = Rect(x: 2, y: 1, width: 12, height: 5)
        let s = draw(e, width: 16, height: 7, area: area)
        #expect(
            s.lines == [
                "xxxxxxxxxxxxxxxx",
                "xxPromQL queryxx",
                "xxsum(        xx",
                "xx  rate(日本[xx",
                "xx)  rate     xx",
                "xx  ^ line 2:…xx",
                "xxxxxxxxxxxxxxxx",
            ])
    }

    @Test func awkwardAreas() {
        let items = [CompletionItem(text: "rate", detail: "function")]
        expectSafeInAwkwardAreas(editor(""))
        expectSafeInAwkwardAreas(
            editor(
                "日本語 rate(x[5m])\nsecond line", cursor: 3, prompt: "PromQL",
                error: (9, 99, "far away"), completion: items))
        expectSafeInAwkwardAreas(editor("ra", prompt: "P", error: (0, 0, ""), completion: items))
    }

    @Test func everyKindHasAStyle() {
        let kinds: [HighlightSpan.Kind?] = [
            nil, .metric, .identifier, .labelName, .string, .number, .duration,
            .function, .keyword, .operator, .punctuation, .comment, .variable,
        ]
        #expect(Set(kinds.map { QueryEditor.style(for: $0, theme: theme) }).count >= 9)
    }
}

@Suite struct QueryEditorRandomTests {
    @Test func randomTextCaretsErrorsAndAreasNeverCrashOrOverdraw() {
        var rng = SplitMix64(state: 99)
        let alphabet = Array("ab_1 (){}[]\"=~,5m$#\n日本👍é\u{301}") + ["\r\n", "👍🏽"]
        let areas = awkwardAreas + [Rect(x: 0, y: 0, width: 6, height: 4), Rect(x: 1, y: 0, width: 5, height: 3)]
        for round in 0..<300 {
            let text = String(
                (0..<Int(rng.next() % 40)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
            var buffer = EditBuffer(text)
            buffer.cursorOffset = Int(rng.next() % UInt64(buffer.characters.count + 1))
            let errors: [(line: Int, column: Int, message: String)?] = [
                nil, (1, 1, "x"), (Int.min, Int.max, "far"), (3, 2, "日本語のエラー"),
            ]
            let items = [CompletionItem(text: "rate", detail: "fn"), CompletionItem(text: "日本", detail: "")]
            let e = QueryEditor(
                buffer: buffer, language: round % 2 == 0 ? .promql : .influxql,
                prompt: round % 3 == 0 ? "" : "PromQL",
                error: errors[Int(rng.next() % 4)],
                completion: round % 5 == 0 ? nil : CompletionList(items: items),
                scroll: EditorScroll(top: Int(rng.next() % 5), left: Int(rng.next() % 9)))
            let area = areas[Int(rng.next() % UInt64(areas.count))]
            let s = draw(e, width: 6, height: 4, area: area)
            if let caret = e.caretCell(in: area.intersection(s.bounds)) {
                #expect(area.contains(x: caret.x, y: caret.y), "round \(round)")
            }
        }
    }
}
