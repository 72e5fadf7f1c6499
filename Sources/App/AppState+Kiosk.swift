import DashboardUI
import KubeglassCore
import TerminalUI

extension AppState {
    /// One key on a kiosk: locked, only the unlock sequence counts and every other key leaves the state as it
    /// was; unlocked, Space pauses the rotation and the rest are the dashboard's keys. Without a kiosk, `key`.
    public mutating func kioskKey(_ key: Key, now: Timestamp, candidates: () -> [CompletionItem]) -> [Effect] {
        guard var kiosk else { return self.key(key, candidates: candidates) }
        let outcome = kiosk.press(key, at: now)
        self.kiosk = kiosk
        switch outcome {
        case .ignored:
            return []
        case .unlocking(let remaining):
            notice =
                "press \(kiosk.unlockSequenceText.split(separator: " ")[0]) \(remaining) more time\(remaining == 1 ? "" : "s") to unlock"
            return [.drawChrome]
        case .unlocked:
            notice = nil
            return [.draw]
        case .pauseToggled:
            notice = nil
            return [.drawChrome]
        case .pass:
            return self.key(key, candidates: candidates)
        }
    }

    /// The once-a-second tick on a kiosk: the next dashboard of the playlist when its turn has come (with the
    /// time range and refresh chosen so far), or a full frame when the kiosk locked again.
    public mutating func kioskTick(now: Timestamp) -> [Effect] {
        guard var kiosk else { return [] }
        let busy = editing != nil || view.picker != nil || view.showHelp || view.showErrors
        let (shown, relocked) = kiosk.tick(at: now, busy: busy)
        self.kiosk = kiosk
        if relocked { notice = nil }
        guard let shown else { return relocked ? [.draw] : [] }
        // Nobody may be there to press a key: a notice ("history restored") lasts until the next dashboard.
        notice = nil
        var next = ViewState()
        next.timeRange = view.timeRange
        next.refresh = view.refresh
        // Variables of the same name carry over, as when a dashboard is opened by hand.
        let selections = variables.selections
        show(kiosk.playlist[shown], view: next, selections: selections)
        return listVariables(selections: selections, keepingPrevious: false) + [.draw]
    }

    /// The age of the newest data when it is older than twice the poll interval (nil: fresh, or no poll ended yet).
    public func staleAge(now: Timestamp) -> Int64? {
        health.staleAge(now: now, interval: view.refresh ?? refresh)
    }
}
