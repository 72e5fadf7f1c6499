import Testing

@testable import TerminalUI

@Suite struct MessageViewTests {
    @Test func centredAndWrappedAtWords() {
        let s = draw(
            MessageView(text: "terminal too small (need 40×12)", style: Style(foreground: .red)), width: 20, height: 5)
        #expect(
            s.lines == [
                "                    ",
                " terminal too small ",
                "    (need 40×12)    ",
                "                    ",
                "                    ",
            ])
        #expect(s[1, 1].style == Style(foreground: .red))
        #expect(s[0, 0].style == .plain)
    }

    @Test func wrapping() {
        #expect(MessageView.wrap("a bb ccc", width: 4) == ["a bb", "ccc"])
        #expect(MessageView.wrap("abcdefghij", width: 4) == ["abcd", "efgh", "ij"])
        #expect(MessageView.wrap("x abcdef y", width: 3) == ["x", "abc", "def", "y"])
        #expect(MessageView.wrap("one\n\ntwo  three", width: 20) == ["one", "", "two three"])
        #expect(MessageView.wrap("漢字", width: 1) == ["漢", "字"])
        #expect(MessageView.wrap("", width: 5) == [""])
        #expect(MessageView.wrap("abc", width: 0) == [])
    }

    @Test func linesBeyondTheHeightAreLeftOut() {
        #expect(draw(MessageView(text: "one two three"), width: 5, height: 2).lines == [" one ", " two "])
        #expect(draw(MessageView(text: "terminal too small"), width: 1, height: 1).lines == ["t"])
        #expect(draw(MessageView(text: "漢"), width: 1, height: 1).lines == [" "])
    }

    @Test func awkwardAreas() {
        expectSafeInAwkwardAreas(MessageView(text: "terminal too small (need 40×12)"))
        expectSafeInAwkwardAreas(MessageView(text: ""))
    }
}
