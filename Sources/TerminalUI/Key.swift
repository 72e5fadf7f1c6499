/// A key press, decoded from the terminal (independent of ncurses, so key handling is testable).
public enum Key: Hashable, Sendable {
    case character(Character)
    case up, down, left, right
    case home, end, pageUp, pageDown
    case tab, backTab, enter, escape, backspace, delete
    case function(Int)
    /// Ctrl + a letter (Ctrl-C arrives as a signal, not here).
    case control(Character)
    case resize
    /// Alt/Ctrl + Left and Right: move by word.
    case wordLeft, wordRight
    /// Alt+Enter (or Shift+Enter where the terminal reports it): a line break in a text field.
    case insertNewline
    /// A click or the wheel (`--no-mouse` turns the mouse off, and none arrive).
    case mouse(MouseEvent)
}
