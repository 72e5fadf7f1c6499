import KubeglassCore
import Testing

@testable import TerminalUI

@Suite struct EventListTests {
    let now: Int64 = 1_700_000_000_000
    var events: [ClusterEvent] {
        [
            ClusterEvent(
                time: now - 30_000, namespace: "shop", objectKind: "Pod", objectName: "web-1", reason: "BackOff",
                message: "Back-off restarting failed container web in pod web-1", count: 27),
            ClusterEvent(
                time: now - 600_000, namespace: "", objectKind: "Node", objectName: "node-3", reason: "Evicted",
                message: "low on memory", type: "Normal"),
        ]
    }

    @Test func columnsLikeKubectl() {
        let s = draw(EventList(events: events, now: now), width: 60, height: 3)
        // REASON is as wide as "BackOff ×27"; the message gets the 23 columns left and is cut with "…".
        #expect(
            s.trimmedLines == [
                "AGE  TYPE    OBJECT      REASON      MESSAGE",
                "30s  Warning pod/web-1   BackOff ×27 Back-off restarting fa…",
                "10m  Normal  node/node-3 Evicted     low on memory",
            ])
        #expect(s[5, 1].style == Theme.default.text.fg(Theme.default.warning))
        #expect(s[5, 2].style == Theme.default.dimText)
        #expect(s[0, 0].style == Theme.default.tableHeader)
    }

    @Test func narrowDropsTypeThenObject() {
        let s = draw(EventList(events: events, now: now), width: 36, height: 2)
        #expect(s.trimmedLines[0] == "AGE  REASON      MESSAGE")
    }

    @Test func wrapsInFullScreenAndKeepsTheSelectionInView() {
        // 70 columns leave the message 33: the first one wraps onto two lines.
        let s = draw(EventList(events: events, now: now, selectedRow: 1, wrap: true), width: 70, height: 4)
        #expect(
            s.trimmedLines[1].hasSuffix("Back-off restarting failed")
                && s.trimmedLines[2].hasSuffix("container web in pod web-1"))
        #expect(s.trimmedLines[0].hasPrefix("AGE"))
        // The first event's message wraps over two lines; the selected second one is still shown.
        #expect(s.trimmedLines[3].hasPrefix("10m"))
        #expect(s[0, 3].style == Theme.default.selectedRow)
        let scrolled = draw(EventList(events: events, now: now, selectedRow: 1, wrap: true), width: 70, height: 2)
        #expect(scrolled.trimmedLines[1].hasPrefix("10m"))
    }

    @Test func emptyAndAwkward() {
        #expect(
            draw(EventList(events: [], now: now), width: 20, height: 1).trimmedLines
                == " no warning events".split(separator: "\n").map(String.init))
        expectSafeInAwkwardAreas(EventList(events: events, now: now, selectedRow: 1))
        expectSafeInAwkwardAreas(EventList(events: events, now: now, selectedRow: 5, scrollOffset: 9, wrap: true))
        #expect(
            EventList.age(-5) == "0s" && EventList.age(7_200_000) == "2h" && EventList.age(3 * Milliseconds.day) == "3d"
        )
    }
}
