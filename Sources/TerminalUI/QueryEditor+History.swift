/// Where an editor stands in its query history: walking it with Up/Down, or searching it with Ctrl-R.
public struct HistoryWalk: Hashable, Sendable {
    public var history: QueryHistory
    /// The entry shown while walking; nil while editing one's own text.
    public private(set) var position: Int?
    /// One's own text, kept while walking or searching, given back at the bottom or on Esc.
    public private(set) var draft = ""
    public var search: HistorySearch?

    public init(history: QueryHistory = QueryHistory()) {
        self.history = history
    }

    /// The text to show after Up (`older`) or Down, or nil when there is nowhere to go.
    mutating func step(older: Bool, current: String) -> String? {
        let entries = history.entries
        switch (position, older) {
        case (nil, true):
            guard !entries.isEmpty else { return nil }
            draft = current
            position = entries.count - 1
        case (nil, false):
            return nil
        case (let p?, true):
            guard p > 0 else { return nil }
            position = p - 1
        case (let p?, false):
            if p + 1 < entries.count {
                position = p + 1
            } else {
                position = nil
                return draft
            }
        }
        return entries[position!]
    }

    /// The shown text was edited: it is one's own now.
    mutating func leave() { position = nil }

    mutating func startSearch(current: String) {
        draft = current
        search = HistorySearch()
    }

    mutating func endSearch() { search = nil }
}

/// Ctrl-R: the typed text and the newest entry that contains it (at or before the last match).
public struct HistorySearch: Hashable, Sendable {
    public var text = ""
    public var match: Int?

    /// What the prompt row shows, as readline does.
    public var prompt: String {
        (match == nil && !text.isEmpty ? "(failed reverse-i-search)" : "(reverse-i-search)")
            + "'\(text)': Enter take · Ctrl-R older · Esc leave"
    }

    /// The newest entry at or before `start` containing the text.
    mutating func find(in entries: [String], from start: Int) -> Bool {
        var i = min(start, entries.count - 1)
        while i >= 0 {
            if text.isEmpty || entries[i].contains(text) {
                match = i
                return true
            }
            i -= 1
        }
        return false
    }
}

extension QueryEditor {
    /// Up/Down at the first/last line of a single-line query (or while walking) show older and newer
    /// queries; returns nil when the key is not for the history.
    mutating func walkHistory(_ result: EditResult) -> EditResult? {
        let older: Bool
        switch result {
        case .historyPrevious: older = true
        case .historyNext: older = false
        case .edited:
            history.leave()
            return nil
        default: return nil
        }
        guard buffer.lineCount == 1 || history.position != nil else { return nil }
        // Not walking: Down, or Up with no history, is the owner's to use.
        guard history.position != nil || (older && !history.history.entries.isEmpty) else { return nil }
        guard let text = history.step(older: older, current: buffer.text) else { return .ignored }
        show(text)
        return .edited
    }

    /// A key while Ctrl-R search is open; nil when the search ended and the key is for the editor.
    mutating func handleSearch(_ key: Key) -> EditResult? {
        guard var search = history.search else { return nil }
        let entries = history.history.entries
        switch key {
        case .control("r"):
            // The next older match; where there is none the current one stays, as in a shell.
            _ = search.find(in: entries, from: (search.match ?? entries.count) - 1)
        case .character(let c):
            search.text.append(c)
            if !search.find(in: entries, from: search.match ?? entries.count - 1) { search.match = nil }
        case .backspace, .control("h"):
            guard !search.text.isEmpty else { break }
            search.text.removeLast()
            search.match = nil
            _ = search.find(in: entries, from: entries.count - 1)
        case .enter:
            history.endSearch()
            return .edited
        case .escape, .control("g"):
            let draft = history.draft
            history.endSearch()
            show(draft)
            return .edited
        default:
            // Any other key takes the match and then does what it does, as in a shell.
            history.endSearch()
            return nil
        }
        history.search = search
        show(search.match.map { entries[$0] } ?? history.draft)
        return .edited
    }

    /// Starts Ctrl-R search from the newest entry.
    mutating func startSearch() -> EditResult {
        history.startSearch(current: buffer.text)
        return .moved
    }

    private mutating func show(_ text: String) {
        buffer = EditBuffer(text)
        buffer.cursorOffset = buffer.characters.count
        completion = nil
    }
}
