import Testing

@testable import TerminalUI

/// A second press on the same cell soon after the first is a double click (the terminal reports presses only).
struct ClickCounterTests {
    @Test func aSecondPressOnTheSameCellSoonAfterIsADoubleClick() {
        var clicks = ClickCounter(interval: 0.4)
        #expect(clicks.press(x: 5, y: 3, at: 10.0) == .press)
        #expect(clicks.press(x: 5, y: 3, at: 10.3) == .doubleClick)
        #expect(clicks.press(x: 5, y: 3, at: 10.5) == .press, "a third press starts over")
    }

    @Test func aLatePressOrAnotherCellIsAClickOfItsOwn() {
        var clicks = ClickCounter(interval: 0.4)
        #expect(clicks.press(x: 5, y: 3, at: 10.0) == .press)
        #expect(clicks.press(x: 5, y: 3, at: 10.5) == .press, "too late")
        #expect(clicks.press(x: 6, y: 3, at: 10.6) == .press, "another cell")
        #expect(clicks.press(x: 6, y: 3, at: 10.7) == .doubleClick)
        #expect(clicks.press(x: 1, y: 1, at: 5.0) == .press, "a clock that went back is no double click")
        #expect(clicks.press(x: 1, y: 1, at: 4.9) == .press)
    }
}
