/// A mouse event, decoded from the terminal (independent of ncurses, so mouse handling is testable).
public struct MouseEvent: Hashable, Sendable {
    public enum Action: Hashable, Sendable {
        /// The left button went down.
        case press
        /// The left button went down a second time on the same cell, soon after the first.
        case doubleClick
        case wheelUp, wheelDown
    }

    public var action: Action
    /// The pointer's screen column and row, from 0 at the top left (row 0 is the header).
    public var x: Int
    public var y: Int

    public init(_ action: Action, x: Int, y: Int) {
        self.action = action
        self.x = x
        self.y = y
    }
}

/// Tells a double click from two clicks. The terminal reports presses as they come (ncurses' own click
/// resolution would hold every click back by its interval), so the second press is recognised here.
public struct ClickCounter: Sendable {
    /// The longest gap between the presses of a double click, in seconds.
    public var interval: Double
    private var last: (x: Int, y: Int, time: Double)?

    public init(interval: Double = 0.4) { self.interval = interval }

    /// A left press at `x`, `y` at `time` (seconds on any steady clock): `.press`, or `.doubleClick` when it
    /// follows a press on the same cell within `interval`. A third press starts over.
    public mutating func press(x: Int, y: Int, at time: Double) -> MouseEvent.Action {
        if let l = last, l.x == x, l.y == y, time - l.time >= 0, time - l.time <= interval {
            last = nil
            return .doubleClick
        }
        last = (x, y, time)
        return .press
    }
}
