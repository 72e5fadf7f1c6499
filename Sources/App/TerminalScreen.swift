import TerminalUI

/// What the dashboard loop needs of a terminal: its size, the keys waiting, a place to show a frame.
/// ncurses is one (in the executable); tests use a fake screen that records every frame.
public protocol TerminalScreen: AnyObject {
    var size: (width: Int, height: Int) { get }
    /// The keys waiting now, without blocking (the loop is told by an `.input` event that some are there).
    func readKeys() -> [Key]
    /// The terminal changed size: take the new size before the next frame.
    func handleResize()
    /// Shows `screen`, flushing only what changed since the last frame.
    func show(_ screen: Screen)
}
