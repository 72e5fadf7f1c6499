import App
import Foundation
import Synchronization
import TerminalUI

/// A terminal for tests: keys are queued by hand, every frame is kept as text.
final class FakeScreen: TerminalScreen, Sendable {
    private struct Contents {
        var size: (width: Int, height: Int)
        var pending: (width: Int, height: Int)?
        var keys: [Key] = []
        var frames: [Screen] = []
    }

    private let contents: Mutex<Contents>
    /// How many of the last frames are kept (a soak draws for days and keeps only the last).
    private let keeping: Int

    init(width: Int = 120, height: Int = 40, keeping: Int = .max) {
        contents = Mutex(Contents(size: (width, height)))
        self.keeping = max(1, keeping)
    }

    var size: (width: Int, height: Int) { contents.withLock { $0.size } }

    func readKeys() -> [Key] {
        contents.withLock { c in
            defer { c.keys = [] }
            return c.keys
        }
    }

    func handleResize() {
        contents.withLock { c in
            if let p = c.pending { c.size = p }
            c.pending = nil
        }
    }

    func show(_ screen: Screen) {
        contents.withLock { c in
            c.frames.append(screen)
            if c.frames.count > keeping { c.frames.removeFirst(c.frames.count - keeping) }
        }
    }

    // MARK: - What a test does and reads

    /// Queues keys; the loop reads them when told that input is waiting.
    func type(_ keys: [Key]) { contents.withLock { $0.keys += keys } }

    /// The terminal will report this size after its next resize.
    func resize(to width: Int, _ height: Int) { contents.withLock { $0.pending = (width, height) } }

    var frameCount: Int { contents.withLock { $0.frames.count } }

    var lastFrame: Screen? { contents.withLock { $0.frames.last } }

    /// Whether any frame since the `since`-th (0: the first) showed `text`: for what a later event may
    /// redraw away before a busy test looks (a real poll's status after a test's own).
    func anyFrame(since: Int, contains text: String) -> Bool {
        contents.withLock { c in c.frames.dropFirst(since).contains { Self.text(of: $0).contains(text) } }
    }

    /// The last frame as lines of text.
    var text: String { lastFrame.map(Self.text(of:)) ?? "" }

    static func text(of screen: Screen) -> String { screen.lines.joined(separator: "\n") }
}

/// Waits until `condition` holds, checking every 20 ms, for at most `seconds`; true when it held.
func eventually(within seconds: Double, _ condition: () -> Bool) async -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        try? await Task.sleep(nanoseconds: 20_000_000)
    }
    return condition()
}
