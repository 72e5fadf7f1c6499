/// Keys for an editor whose completion popup may be open: the popup takes the keys that move
/// through it, everything else edits the buffer.
extension QueryEditor {
    public var isCompleting: Bool { completion.map { !$0.items.isEmpty } ?? false }

    /// Applies a key. Ctrl-R searches the history; Up/Down at the first/last line of a single-line
    /// query walk it (`.edited`, or `.ignored` at its ends). With the popup open, Up/Down/PageUp/PageDown move the selection (`.moved`),
    /// Tab or Enter insert it (`.edited`), Esc closes it (`.moved`), and an edit that leaves the
    /// token being completed empty closes it. The caller refilters after `.edited` while `isCompleting`,
    /// opens the popup on `.complete`, and calls `scrollToCaret(in:)` after any change.
    public mutating func handle(_ key: Key) -> EditResult {
        if let result = handleSearch(key) { return result }
        if key == .control("r") && !isCompleting { return startSearch() }
        if isCompleting {
            switch key {
            case .up:
                completion?.selectPrevious()
                return .moved
            case .down:
                completion?.selectNext()
                return .moved
            case .pageUp:
                completion?.pageUp()
                return .moved
            case .pageDown:
                completion?.pageDown()
                return .moved
            case .tab, .enter: return acceptCompletion() ? .edited : .ignored
            case .escape:
                completion = nil
                return .moved
            default: break
            }
        }
        let result = buffer.apply(key)
        if let walked = walkHistory(result) { return walked }
        if result == .moved || (result == .edited && buffer.wordBeforeCursor.isEmpty) { completion = nil }
        return result
    }

    /// Opens the popup with the candidates matching the token before the caret; a single match is
    /// inserted at once. Returns false when nothing matches (the popup stays closed).
    @discardableResult
    public mutating func complete(from candidates: [CompletionItem], limit: Int = 100) -> Bool {
        let matches = CompletionList.filter(candidates, prefix: buffer.wordBeforeCursor, limit: limit)
        guard !matches.isEmpty else {
            completion = nil
            return false
        }
        if matches.count == 1 {
            buffer.replaceWordBeforeCursor(with: matches[0].text)
            completion = nil
            return true
        }
        completion = CompletionList(
            items: matches, maxHeight: completion?.maxHeight ?? 8,
            maxWidth: completion?.maxWidth ?? 60, theme: theme)
        return true
    }

    /// Replaces the token before the caret with the selected item and closes the popup.
    @discardableResult
    public mutating func acceptCompletion() -> Bool {
        guard let item = completion?.selectedItem else { return false }
        buffer.replaceWordBeforeCursor(with: item.text)
        completion = nil
        return true
    }
}
