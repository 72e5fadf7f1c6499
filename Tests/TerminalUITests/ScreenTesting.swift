import Testing

@testable import TerminalUI

/// A screen filled with "x" so that any cell a widget should not touch stays visible.
func xScreen(_ width: Int, _ height: Int) -> Screen {
    Screen(width: width, height: height, fill: Cell("x"))
}

/// Renders `widget` into `area` of an x-filled screen and checks that nothing outside `area` changed.
func draw(
    _ widget: some Widget, width: Int, height: Int, area: Rect? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) -> Screen {
    var screen = xScreen(width, height)
    let area = area ?? screen.bounds
    widget.render(in: area, on: &screen)
    expectUntouched(screen, outside: area, sourceLocation: sourceLocation)
    return screen
}

func expectUntouched(_ screen: Screen, outside area: Rect, sourceLocation: SourceLocation = #_sourceLocation) {
    for y in 0..<screen.height {
        for x in 0..<screen.width where !area.contains(x: x, y: y) {
            #expect(
                screen[x, y] == Cell("x"), "cell (\(x), \(y)) outside \(area) changed", sourceLocation: sourceLocation)
        }
    }
}

/// Areas every widget must survive: empty, degenerate, 1×1, off screen and partly off screen.
let awkwardAreas: [Rect] = [
    .zero, Rect(x: 3, y: 2, width: 0, height: 5), Rect(x: 3, y: 2, width: 5, height: 0),
    Rect(x: 0, y: 0, width: 1, height: 1), Rect(x: 2, y: 1, width: 1, height: 1),
    Rect(x: 1, y: 1, width: 2, height: 1), Rect(x: 1, y: 1, width: 1, height: 3),
    Rect(x: 1, y: 1, width: 3, height: 2), Rect(x: 50, y: 50, width: 10, height: 10),
    Rect(x: -3, y: -2, width: 6, height: 4), Rect(x: 4, y: 2, width: 30, height: 30),
]

/// Renders into each awkward area of a 6×4 x-filled screen; the check is that it neither crashes
/// nor draws outside the area.
func expectSafeInAwkwardAreas(_ widget: some Widget, sourceLocation: SourceLocation = #_sourceLocation) {
    for area in awkwardAreas {
        _ = draw(widget, width: 6, height: 4, area: area, sourceLocation: sourceLocation)
    }
}
