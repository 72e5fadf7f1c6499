import Testing

@testable import TerminalUI

@Suite struct QueryEditorKeysTests {
    let candidates = ["node_cpu_seconds_total", "node_memory_MemFree_bytes", "node_load1", "up"]
        .map { CompletionItem(text: $0) }

    @Test func tabCompletesAUniqueMatchAtOnce() {
        var e = QueryEditor(buffer: EditBuffer("rate(node_cp"))
        #expect(e.handle(.tab) == .complete)
        #expect(e.complete(from: candidates) == true)
        #expect(e.buffer.text == "rate(node_cpu_seconds_total")
        #expect(!e.isCompleting)
    }

    @Test func popupTakesArrowsAndEnterInsertsTheSelection() {
        var e = QueryEditor(buffer: EditBuffer("sum(node_"))
        #expect(e.complete(from: candidates) == true)
        #expect(e.completion?.items.count == 3)
        #expect(e.handle(.down) == .moved)
        #expect(e.handle(.down) == .moved)
        #expect(e.handle(.up) == .moved)
        #expect(e.completion?.selectedItem?.text == "node_memory_MemFree_bytes")
        #expect(e.handle(.enter) == .edited)
        #expect(e.buffer.text == "sum(node_memory_MemFree_bytes")
        #expect(!e.isCompleting)
        #expect(e.handle(.enter) == .submit)
        e.buffer.undo()
        #expect(e.buffer.text == "sum(node_")
    }

    @Test func escapeClosesThePopupBeforeCancelling() {
        var e = QueryEditor(buffer: EditBuffer("node"))
        e.complete(from: candidates)
        #expect(e.isCompleting)
        #expect(e.handle(.escape) == .moved)
        #expect(!e.isCompleting)
        #expect(e.handle(.escape) == .cancel)
    }

    @Test func movingAwayOrDeletingTheTokenClosesThePopup() {
        var e = QueryEditor(buffer: EditBuffer("x n"))
        e.complete(from: candidates)
        #expect(e.handle(.character("o")) == .edited)
        #expect(e.isCompleting)
        #expect(e.handle(.backspace) == .edited)
        #expect(e.handle(.backspace) == .edited)
        #expect(!e.isCompleting)
        e.complete(from: candidates)
        #expect(e.isCompleting)
        #expect(e.handle(.left) == .moved)
        #expect(!e.isCompleting)
    }

    @Test func nothingMatchingLeavesThePopupClosed() {
        var e = QueryEditor(buffer: EditBuffer("zzz"))
        #expect(e.complete(from: candidates) == false)
        #expect(!e.isCompleting)
        #expect(e.acceptCompletion() == false)
    }
}
