/// What a key did to an `EditBuffer`, so the owner knows whether to redraw, run, close or complete.
public enum EditResult: Hashable, Sendable {
    case edited, moved
    case submit, cancel, complete
    case historyPrevious, historyNext
    case ignored
}

/// Multi-line text with a caret, edited by keys. Positions count Characters (graphemes);
/// `cursorOffset` is the caret's Character offset into `text`, where a line break counts as one.
public struct EditBuffer: Hashable, Sendable {
    public private(set) var characters: [Character]
    private var cursor: Int
    /// The screen column a run of Up/Down moves keeps, so passing a short line does not lose it.
    private var goalColumn: Int?
    private var undoStack: [Snapshot] = []
    private var redoStack: [Snapshot] = []
    private var lastEdit: EditKind?

    public static let undoLimit = 500

    private struct Snapshot: Hashable, Sendable {
        var characters: [Character]
        var cursor: Int
    }

    private enum EditKind: Hashable, Sendable { case typing, deletingBack, deletingForward, other }

    public init(_ text: String = "") {
        characters = EditBuffer.normalized(text)
        cursor = characters.count
    }

    public var text: String {
        get { String(characters) }
        set { replaceAll(with: newValue) }
    }

    public var cursorOffset: Int {
        get { cursor }
        set {
            cursor = min(max(0, newValue), characters.count)
            goalColumn = nil
            lastEdit = nil
        }
    }

    public var isEmpty: Bool { characters.isEmpty }
    public var canUndo: Bool { !undoStack.isEmpty }
    public var canRedo: Bool { !redoStack.isEmpty }

    public var lines: [String] {
        characters.split(separator: "\n", omittingEmptySubsequences: false).map { String($0) }
    }

    public var lineCount: Int { characters.reduce(1) { $1 == "\n" ? $0 + 1 : $0 } }

    /// The caret's 0-based line and column (in Characters).
    public var cursorPosition: (line: Int, column: Int) { position(ofOffset: cursor) }

    /// The 0-based line and column of a Character offset (clamped to the text).
    public func position(ofOffset offset: Int) -> (line: Int, column: Int) {
        let offset = min(max(0, offset), characters.count)
        var line = 0
        var start = 0
        for i in 0..<offset where characters[i] == "\n" {
            line += 1
            start = i + 1
        }
        return (line, offset - start)
    }

    /// The Character offset of a 0-based line and column, clamped to the text and to the line's length.
    public func offset(ofLine line: Int, column: Int) -> Int {
        guard line > 0 else { return min(max(0, column), lineEnd(from: 0)) }
        var current = 0
        var i = 0
        while i < characters.count {
            if characters[i] == "\n" {
                current += 1
                if current == line { break }
            }
            i += 1
        }
        guard current == line else { return characters.count }
        let start = i + 1
        return start + min(max(0, column), lineEnd(from: start) - start)
    }

    /// Puts the caret at a 1-based line:column as query parsers report errors.
    public mutating func moveCursor(toErrorLine line: Int, column: Int) {
        cursorOffset = offset(ofLine: line > 0 ? line - 1 : 0, column: column > 0 ? column - 1 : 0)
    }

    /// The caret's screen column within its line (wide characters count 2).
    public var cursorScreenColumn: Int {
        characters[lineStart(from: cursor)..<cursor].reduce(0) { $0 + TextWidth.of($1) }
    }

    // MARK: Keys

    /// Readline-style keys: Ctrl-A/E line start/end, Ctrl-B/F/P/N moves, Ctrl-K/U kill to line end/start,
    /// Ctrl-W delete the word before, Ctrl-D delete, Ctrl-Z/Y undo/redo, Alt+Enter or Ctrl-J a line break.
    public mutating func apply(_ key: Key) -> EditResult {
        switch key {
        case .character(let c):
            if c.isNewline { return breakLine() }
            if TextWidth.of(c) == 0, c.unicodeScalars.first.map({ $0.value < 0x20 || $0.value == 0x7f }) ?? true {
                return .ignored
            }
            return typeCharacter(c)
        case .enter: return .submit
        case .escape: return .cancel
        case .tab: return .complete
        case .insertNewline, .control("j"): return breakLine()
        case .backspace, .control("h"): return deleteBackward()
        case .delete, .control("d"): return deleteForward()
        case .left, .control("b"):
            return move(to: cursor - 1)
        case .right, .control("f"):
            return move(to: cursor + 1)
        case .home, .control("a"): return move(to: lineStart(from: cursor))
        case .end, .control("e"): return move(to: lineEnd(from: cursor))
        case .wordLeft: return move(to: wordStart(before: cursor))
        case .wordRight: return move(to: wordEnd(after: cursor))
        case .up, .control("p"):
            let start = lineStart(from: cursor)
            guard start > 0 else { return .historyPrevious }
            return moveVertically(toLineStart: lineStart(from: start - 1))
        case .down, .control("n"):
            let end = lineEnd(from: cursor)
            guard end < characters.count else { return .historyNext }
            return moveVertically(toLineStart: end + 1)
        case .control("k"):
            let end = lineEnd(from: cursor)
            return remove(cursor..<(end == cursor ? min(end + 1, characters.count) : end), kind: .other)
        case .control("u"): return remove(lineStart(from: cursor)..<cursor, kind: .other)
        case .control("w"): return remove(wordStart(before: cursor)..<cursor, kind: .other)
        case .control("z"): return undo() ? .edited : .ignored
        case .control("y"): return redo() ? .edited : .ignored
        default: return .ignored
        }
    }

    /// Inserts text at the caret as one undo step (a paste). Tabs become spaces, other control characters are dropped.
    public mutating func insert(text: String) {
        let inserted = EditBuffer.normalized(text)
        guard !inserted.isEmpty else { return }
        recordUndo(.other)
        splice(cursor..<cursor, with: inserted)
    }

    /// Replaces everything (one undo step) and puts the caret at the end.
    public mutating func replaceAll(with text: String) {
        let new = EditBuffer.normalized(text)
        guard new != characters else { return }
        recordUndo(.other)
        characters = new
        cursor = new.count
        goalColumn = nil
    }

    @discardableResult
    public mutating func undo() -> Bool {
        guard let previous = undoStack.popLast() else { return false }
        redoStack.append(Snapshot(characters: characters, cursor: cursor))
        restore(previous)
        return true
    }

    @discardableResult
    public mutating func redo() -> Bool {
        guard let next = redoStack.popLast() else { return false }
        undoStack.append(Snapshot(characters: characters, cursor: cursor))
        restore(next)
        return true
    }

    // MARK: Completion

    /// The range of the token ending at the caret that a completion would replace
    /// (a metric, label or function name, or a `$variable`).
    public var wordBeforeCursorRange: Range<Int> {
        var start = cursor
        while start > 0, EditBuffer.isCompletionCharacter(characters[start - 1]) { start -= 1 }
        if start > 0, characters[start - 1] == "{", start > 1, characters[start - 2] == "$" {
            start -= 2
        } else if start > 0, characters[start - 1] == "$" {
            start -= 1
        }
        return start..<cursor
    }

    public var wordBeforeCursor: String { String(characters[wordBeforeCursorRange]) }

    /// Replaces the token before the caret with a chosen completion (one undo step); the caret goes after it.
    public mutating func replaceWordBeforeCursor(with completion: String) {
        let range = wordBeforeCursorRange
        let new = EditBuffer.normalized(completion)
        guard Array(characters[range]) != new else { return }
        recordUndo(.other)
        splice(range, with: new)
    }

    // MARK: Private

    private static func normalized(_ text: String) -> [Character] {
        var out: [Character] = []
        out.reserveCapacity(text.count)
        for c in text {
            if c.isNewline {
                out.append("\n")
            } else if c == "\t" {
                out.append(" ")
            } else if let v = c.unicodeScalars.first?.value, v < 0x20 || v == 0x7f {
                continue
            } else {
                out.append(c)
            }
        }
        return out
    }

    private static func isWordCharacter(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }
    private static func isCompletionCharacter(_ c: Character) -> Bool { isWordCharacter(c) || c == ":" }

    private func lineStart(from offset: Int) -> Int {
        var i = offset
        while i > 0, characters[i - 1] != "\n" { i -= 1 }
        return i
    }

    private func lineEnd(from offset: Int) -> Int {
        var i = offset
        while i < characters.count, characters[i] != "\n" { i += 1 }
        return i
    }

    private func wordStart(before offset: Int) -> Int {
        var i = offset
        while i > 0, !EditBuffer.isWordCharacter(characters[i - 1]) { i -= 1 }
        while i > 0, EditBuffer.isWordCharacter(characters[i - 1]) { i -= 1 }
        return i
    }

    private func wordEnd(after offset: Int) -> Int {
        var i = offset
        while i < characters.count, !EditBuffer.isWordCharacter(characters[i]) { i += 1 }
        while i < characters.count, EditBuffer.isWordCharacter(characters[i]) { i += 1 }
        return i
    }

    private mutating func move(to offset: Int) -> EditResult {
        let target = min(max(0, offset), characters.count)
        lastEdit = nil
        goalColumn = nil
        guard target != cursor else { return .ignored }
        cursor = target
        return .moved
    }

    private mutating func moveVertically(toLineStart start: Int) -> EditResult {
        let goal = goalColumn ?? cursorScreenColumn
        let end = lineEnd(from: start)
        var i = start
        var column = 0
        while i < end {
            let w = TextWidth.of(characters[i])
            if column + w > goal { break }
            column += w
            i += 1
        }
        cursor = i
        goalColumn = goal
        lastEdit = nil
        return .moved
    }

    private mutating func typeCharacter(_ c: Character) -> EditResult {
        recordUndo(.typing)
        splice(cursor..<cursor, with: [c])
        return .edited
    }

    private mutating func breakLine() -> EditResult {
        recordUndo(.other)
        splice(cursor..<cursor, with: ["\n"])
        return .edited
    }

    private mutating func deleteBackward() -> EditResult {
        guard cursor > 0 else {
            lastEdit = nil
            return .ignored
        }
        recordUndo(.deletingBack)
        splice((cursor - 1)..<cursor, with: [])
        return .edited
    }

    private mutating func deleteForward() -> EditResult {
        guard cursor < characters.count else {
            lastEdit = nil
            return .ignored
        }
        recordUndo(.deletingForward)
        splice(cursor..<(cursor + 1), with: [])
        return .edited
    }

    private mutating func remove(_ range: Range<Int>, kind: EditKind) -> EditResult {
        guard !range.isEmpty else {
            lastEdit = nil
            return .ignored
        }
        recordUndo(kind)
        splice(range, with: [])
        return .edited
    }

    /// Replaces `range`, puts the caret after the new text, and re-joins graphemes split across the
    /// seams (a typed combining accent joins the letter before it) so offsets keep counting `text`'s Characters.
    private mutating func splice(_ range: Range<Int>, with new: [Character]) {
        characters.replaceSubrange(range, with: new)
        cursor = range.lowerBound + new.count
        goalColumn = nil
        joinGraphemes(at: range.lowerBound + new.count)
        joinGraphemes(at: range.lowerBound)
    }

    private mutating func joinGraphemes(at seam: Int) {
        let lo = max(0, seam - 4)
        let hi = min(characters.count, seam + 4)
        guard hi - lo >= 2 else { return }
        let window = characters[lo..<hi]
        let regrouped = Array(String(window))
        guard regrouped.count != window.count || !regrouped.elementsEqual(window) else { return }
        characters.replaceSubrange(lo..<hi, with: regrouped)
        if cursor >= hi {
            cursor -= window.count - regrouped.count
        } else if cursor > lo {
            cursor = min(lo + String(window[lo..<cursor]).count, lo + regrouped.count)
        }
    }

    /// Saves the state before an edit, unless it continues a run of the same kind of typing or deleting.
    private mutating func recordUndo(_ kind: EditKind) {
        let continuesRun = kind != .other && kind == lastEdit
        if !continuesRun {
            undoStack.append(Snapshot(characters: characters, cursor: cursor))
            if undoStack.count > EditBuffer.undoLimit { undoStack.removeFirst(undoStack.count - EditBuffer.undoLimit) }
        }
        redoStack.removeAll()
        lastEdit = kind
    }

    private mutating func restore(_ snapshot: Snapshot) {
        characters = snapshot.characters
        cursor = min(snapshot.cursor, characters.count)
        goalColumn = nil
        lastEdit = nil
    }
}
