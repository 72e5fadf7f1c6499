import Dashboards
import KubeglassCore
import TerminalUI

/// A wall screen's own rules (`--kiosk`): the playlist rotates on a timer, and keys do nothing until the
/// unlock sequence is typed (by default `q` three times within two seconds). Pure: the clock is passed in.
public struct Kiosk: Sendable {
    public let playlist: [Dashboard]
    /// How long each dashboard stays before the next.
    public let rotate: Milliseconds
    public let unlockKey: Key
    public let unlockPresses: Int
    public let unlockWindow: Milliseconds
    /// An unlocked kiosk left alone this long locks again, so a wall is not left open by someone who walked away.
    public let relockAfter: Milliseconds

    public private(set) var locked = true
    public private(set) var paused = false
    /// Which playlist entry is shown.
    public private(set) var position = 0
    /// When the shown entry came up; the next one comes `rotate` later.
    public private(set) var shownSince: Timestamp
    private var presses: [Timestamp] = []
    private var lastKey: Timestamp

    public init(
        playlist: [Dashboard], rotate: Milliseconds, now: Timestamp, unlockKey: Key = .character("q"),
        unlockPresses: Int = 3, unlockWindow: Milliseconds = 2000, relockAfter: Milliseconds = 5 * Milliseconds.minute
    ) {
        self.playlist = playlist
        self.rotate = max(1000, rotate)
        self.unlockKey = unlockKey
        self.unlockPresses = max(1, unlockPresses)
        self.unlockWindow = unlockWindow
        self.relockAfter = relockAfter
        shownSince = now
        lastKey = now
    }

    /// What a key does to the kiosk.
    public enum KeyOutcome: Equatable {
        /// Locked: the key does nothing at all.
        case ignored
        /// Part of the unlock sequence; `remaining` more presses unlock.
        case unlocking(remaining: Int)
        case unlocked
        /// Space while unlocked: rotation paused or resumed.
        case pauseToggled
        /// Unlocked: the dashboard handles the key as usual.
        case pass
    }

    public mutating func press(_ key: Key, at now: Timestamp) -> KeyOutcome {
        guard locked else {
            lastKey = now
            guard key == .character(" ") else { return .pass }
            paused.toggle()
            // Resuming gives the dashboard a whole turn.
            if !paused { shownSince = now }
            return .pauseToggled
        }
        guard key == unlockKey else { return .ignored }
        presses = presses.filter { now - $0 < unlockWindow } + [now]
        guard presses.count >= unlockPresses else { return .unlocking(remaining: unlockPresses - presses.count) }
        presses = []
        locked = false
        lastKey = now
        return .unlocked
    }

    /// What the clock brings: the playlist entry to show now (when its turn came), and whether the kiosk locked again.
    /// `busy` (a picker or the editor open) holds the rotation back.
    public mutating func tick(at now: Timestamp, busy: Bool = false) -> (show: Int?, relocked: Bool) {
        var relocked = false
        if !locked, now - lastKey >= relockAfter {
            locked = true
            paused = false
            presses = []
            relocked = true
        }
        guard !paused, !busy, playlist.count > 1, now - shownSince >= rotate else { return (nil, relocked) }
        position = (position + 1) % playlist.count
        shownSince = now
        return (position, relocked)
    }

    /// The status bar's line: the lock, the playlist position and when the next dashboard comes.
    public func statusText(now: Timestamp) -> String {
        let name = playlist.isEmpty ? "" : " \(playlist[position].name) \(position + 1)/\(playlist.count)"
        var rotation = ""
        if playlist.count > 1 {
            rotation =
                paused ? " · paused" : " · next in \(max(0, (shownSince + rotate - now + 999) / 1000))s"
        }
        let keys =
            locked
            ? " · locked (\(unlockSequenceText) unlocks)"
            : " · unlocked · Space pause · q quit"
        return "kiosk\(name)\(rotation)\(keys)"
    }

    /// `q q q` for the default sequence.
    public var unlockSequenceText: String {
        let key: String
        switch unlockKey {
        case .character(let c): key = String(c)
        default: key = "\(unlockKey)"
        }
        return Array(repeating: key, count: unlockPresses).joined(separator: " ")
    }
}
