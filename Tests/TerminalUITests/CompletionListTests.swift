import Testing

@testable import TerminalUI

@Suite struct CompletionListTests {
    let items = [
        CompletionItem(text: "rate", detail: "fn", kind: .function),
        CompletionItem(text: "irate", detail: "fn", kind: .function),
        CompletionItem(text: "increase", kind: .function),
        CompletionItem(text: "sum", detail: "agg", kind: .function),
        CompletionItem(text: "topk", detail: "agg", kind: .function),
    ]

    @Test func sizedToTheWidestRowAndCappedInHeight() {
        let list = CompletionList(items: items, maxHeight: 3)
        #expect(list.size == (width: 11, height: 3))
        #expect(CompletionList(items: items, maxWidth: 6).size == (width: 6, height: 5))
        #expect(CompletionList(items: []).size == (width: 0, height: 0))
    }

    @Test func rowsWithDetailsRightAlignedAndTheSelectionHighlighted() {
        var list = CompletionList(items: items, maxHeight: 3)
        list.select(3)
        let s = draw(list, width: 13, height: 4, area: Rect(x: 0, y: 0, width: 11, height: 3))
        #expect(
            s.lines == [
                " irate  fn xx",
                " increase  xx",
                " sum   agg xx",
                "xxxxxxxxxxxxx",
            ])
        let theme = Theme.default
        #expect(s[0, 0].style == theme.statusBar)
        #expect(s[8, 0].style == theme.statusBar.fg(theme.dimText.foreground))
        #expect(s[0, 2].style == theme.selectedRow)
        #expect(s[8, 2].style == theme.selectedRow)
        #expect(list.selectedItem?.text == "sum")
    }

    @Test func selectionMovesScrollOnlyAsFarAsNeededAndWrap() {
        var list = CompletionList(items: items, maxHeight: 3)
        #expect(list.visibleTop(rows: 3) == 0)
        list.selectNext()
        list.selectNext()
        list.selectNext()
        #expect(list.selected == 3)
        #expect(list.top == 1)
        list.selectPrevious()
        #expect(list.top == 1)
        list.selectNext()
        list.selectNext()
        #expect(list.top == 2)
        list.selectNext()
        #expect(list.selected == 0 && list.top == 0)
        list.selectPrevious()
        #expect(list.selected == 4 && list.top == 2)
        list.pageUp()
        #expect(list.selected == 1 && list.top == 1)
        list.pageDown()
        #expect(list.selected == 4)
    }

    @Test func detailsThatDoNotFitAreLeftOutAndTextIsCut() {
        let list = CompletionList(items: [CompletionItem(text: "container_memory_working_set_bytes", detail: "gauge")])
        let s = draw(list, width: 12, height: 1)
        #expect(s.lines == [" container… "])
    }

    @Test func frameBelowTheCaretPushedLeftOrAboveNearTheEdges() {
        let list = CompletionList(items: items)
        let area = Rect(x: 0, y: 0, width: 20, height: 8)
        #expect(list.frame(anchorX: 2, anchorY: 0, in: area) == Rect(x: 2, y: 1, width: 11, height: 5))
        #expect(list.frame(anchorX: 15, anchorY: 2, in: area) == Rect(x: 9, y: 3, width: 11, height: 5))
        #expect(list.frame(anchorX: 3, anchorY: 6, in: area) == Rect(x: 3, y: 1, width: 11, height: 5))
        #expect(list.frame(anchorX: 3, anchorY: 4, in: area) == Rect(x: 3, y: 0, width: 11, height: 4))
        #expect(
            list.frame(anchorX: 3, anchorY: 1, in: Rect(x: 0, y: 0, width: 6, height: 3))
                == Rect(x: 0, y: 2, width: 6, height: 1))
        #expect(list.frame(anchorX: 0, anchorY: 0, in: .zero) == .zero)
    }

    @Test func awkwardAreas() {
        expectSafeInAwkwardAreas(CompletionList(items: items))
        expectSafeInAwkwardAreas(CompletionList(items: []))
        expectSafeInAwkwardAreas(CompletionList(items: [CompletionItem(text: "日本語", detail: "語")]))
    }

    @Test func prefixMatchesComeFirstThenSubstringsThenScattered() {
        let names = ["node_up", "Uptime", "u_p", "pushgateway_up", "up", "down"].map { CompletionItem(text: $0) }
        #expect(
            CompletionList.filter(names, prefix: "UP", limit: 10).map(\.text) == [
                "Uptime", "up", "node_up", "pushgateway_up", "u_p",
            ])
        #expect(CompletionList.filter(names, prefix: "up", limit: 3).map(\.text) == ["Uptime", "up", "node_up"])
        #expect(CompletionList.filter(names, prefix: "", limit: 2).map(\.text) == ["node_up", "Uptime"])
        #expect(CompletionList.filter(names, prefix: "zz", limit: 5).isEmpty)
        #expect(CompletionList.filter(names, prefix: "up", limit: 0).isEmpty)
        #expect(CompletionList.filter([CompletionItem(text: "日本語_up")], prefix: "本語", limit: 5).count == 1)
    }

    @Test func filtersTwentyThousandMetricNames() {
        let kinds = ["pod", "node", "cpu", "mem"]
        let names = (0..<20_000).map { CompletionItem(text: "kube_\(kinds[$0 % 4])_\($0)_total") }
        #expect(
            CompletionList.filter(names, prefix: "cpu_1234", limit: 5).map(\.text) == [
                "kube_cpu_1234_total", "kube_cpu_12342_total", "kube_cpu_12346_total",
                "kube_cpu_10234_total", "kube_cpu_11234_total",
            ])
        let prefixed = CompletionList.filter(names, prefix: "KUBE_NODE_1", limit: 50)
        #expect(prefixed.count == 50)
        #expect(prefixed.first?.text == "kube_node_1_total")
        #expect(prefixed.allSatisfy { $0.text.hasPrefix("kube_node_1") })
    }
}
