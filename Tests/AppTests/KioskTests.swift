import App
import Collectors
import DashboardUI
import Dashboards
import Foundation
import KubeglassCore
import TerminalUI
import Testing

/// The kiosk's rules, on a clock set by hand: the playlist, its rotation, the lock, and stale data.
struct KioskTests {
    static let t0: Timestamp = 1_700_000_000_000

    static func boards(_ names: [String]) throws -> [Dashboard] {
        try names.map { try #require(try BuiltinDashboards.named($0)) }
    }

    static func state(rotate: Milliseconds = 30_000, refresh: Int64 = 15_000) throws -> AppState {
        let playlist = try boards(["cluster", "nodes", "pods"])
        var state = AppState(
            dashboard: playlist[0], catalog: try BuiltinDashboards.all(), theme: .default,
            evaluator: PanelEvaluator(backends: []), refresh: refresh, size: (120, 40))
        state.kiosk = Kiosk(playlist: playlist, rotate: rotate, now: t0)
        return state
    }

    // MARK: - Playlist

    @Test func aListOfNamesIsAPlaylist() throws {
        let playlist = try Playlist.parse(" cluster, nodes ,pods,", isFile: { _ in false })
        #expect(playlist.entries.map(\.value) == ["cluster", "nodes", "pods"])
        #expect(playlist.entries.allSatisfy { $0.file == nil })
        #expect(throws: PlaylistError.self) { try Playlist.parse(" , ", isFile: { _ in false }) }
    }

    @Test func aPlaylistFileHasOneEntryPerLineAndComments() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kg-playlist-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("wall.txt").path
        try "# the ops wall\ncluster\n\n  nodes   # every node\nboards/mine.yaml\n/abs/other.json\n".write(
            toFile: path, atomically: true, encoding: .utf8)
        let playlist = try Playlist.parse(path)
        #expect(
            playlist.entries.map(\.value) == [
                "cluster", "nodes", dir.appendingPathComponent("boards/mine.yaml").path, "/abs/other.json",
            ])
        #expect(playlist.entries.map(\.line) == [2, 4, 5, 6])
        #expect(playlist.entries.allSatisfy { $0.file == path })
        // A dashboard file given alone is one dashboard, not a playlist.
        let board = dir.appendingPathComponent("board.yaml").path
        try "title: x\n".write(toFile: board, atomically: true, encoding: .utf8)
        #expect(try Playlist.parse(board).entries == [Playlist.Entry(value: board)])
    }

    @Test func aBadEntryIsReportedWithItsFileAndLine() throws {
        let playlist = try Playlist.parseFile("cluster\n# comment\n\nnope\n", path: "wall.txt")
        let error = #expect(throws: PlaylistError.self) {
            try playlist.dashboards { name in
                guard let d = try BuiltinDashboards.named(name) else {
                    throw UnknownDashboard(name: name)
                }
                return d
            }
        }
        #expect(error?.description.hasPrefix("wall.txt:4: ") == true, "\(String(describing: error))")
        #expect(error?.description.contains("nope") == true)
        let listed = #expect(throws: PlaylistError.self) { try Playlist.parseFile("cluster\nnodes,pods\n", path: "w") }
        #expect(listed?.description.hasPrefix("w:2: ") == true)
        let empty = #expect(throws: PlaylistError.self) { try Playlist.parseFile("# nothing\n", path: "w") }
        #expect(empty?.description.contains("names no dashboard") == true)
        let unreadable = #expect(throws: PlaylistError.self) {
            try Playlist.parse(
                "wall.txt", isFile: { _ in true }, read: { _ in throw CocoaError(.fileReadNoPermission) })
        }
        #expect(unreadable?.description.hasPrefix("wall.txt: cannot read") == true)
    }

    // MARK: - Rotation

    @Test func rotationWaitsItsTurnOnTheClock() throws {
        var state = try Self.state(rotate: 30_000)
        #expect(state.kioskTick(now: Self.t0 + 29_999).isEmpty)
        #expect(state.dashboard.name == "cluster")
        let effects = state.kioskTick(now: Self.t0 + 30_000)
        #expect(state.dashboard.name == "nodes")
        #expect(effects.contains { if case .draw = $0 { true } else { false } })
        #expect(
            effects.contains {
                switch $0 {
                case .evaluate, .resolveVariables: true
                default: false
                }
            }, "the new dashboard's panels are asked for")
        #expect(state.kioskTick(now: Self.t0 + 45_000).isEmpty, "the next turn counts from the rotation")
        _ = state.kioskTick(now: Self.t0 + 60_000)
        #expect(state.dashboard.name == "pods")
        _ = state.kioskTick(now: Self.t0 + 90_000)
        #expect(state.dashboard.name == "cluster", "after the last, the first again")
        #expect(state.back.isEmpty, "rotation leaves nothing for Backspace to pile up")
    }

    @Test func spacePausesAndResumesWhenUnlocked() throws {
        var state = try Self.state(rotate: 30_000)
        // Locked, Space does nothing.
        #expect(state.kioskKey(.character(" "), now: Self.t0 + 100) { [] }.isEmpty)
        #expect(state.kiosk?.paused == false)
        for t in [200, 300, 400] as [Int64] { _ = state.kioskKey(.character("q"), now: Self.t0 + t) { [] } }
        #expect(state.kiosk?.locked == false)
        _ = state.kioskKey(.character(" "), now: Self.t0 + 1000) { [] }
        #expect(state.kiosk?.paused == true)
        #expect(state.kiosk?.statusText(now: Self.t0 + 1000).contains("paused") == true)
        _ = state.kioskTick(now: Self.t0 + 100_000)
        #expect(state.dashboard.name == "cluster", "paused: no rotation")
        _ = state.kioskKey(.character(" "), now: Self.t0 + 110_000) { [] }
        #expect(state.kiosk?.paused == false)
        _ = state.kioskTick(now: Self.t0 + 139_999)
        #expect(state.dashboard.name == "cluster", "resumed: the dashboard gets a whole turn")
        _ = state.kioskTick(now: Self.t0 + 140_000)
        #expect(state.dashboard.name == "nodes")
    }

    // MARK: - The lock

    @Test func lockedKeysChangeNothing() throws {
        var state = try Self.state()
        let view = state.view
        let keys: [Key] = [
            .character("e"), .character(":"), .character("w"), .character("d"), .character("v"), .character("t"),
            .character("R"), .character("?"), .character("f"), .character("r"), .character("j"), .character("-"),
            .character("["), .character(" "), .tab, .enter, .escape, .backspace, .down, .pageDown,
        ]
        for (i, key) in keys.enumerated() {
            let effects = state.kioskKey(key, now: Self.t0 + Int64(i) * 10) { [] }
            #expect(effects.isEmpty, "\(key) while locked did something: \(effects)")
        }
        #expect(state.view == view)
        #expect(state.editing == nil)
        #expect(state.view.picker == nil)
        #expect(state.notice == nil)
        #expect(state.dashboard.name == "cluster")
        #expect(state.kiosk?.locked == true)
        // Unlocked, the same keys are the dashboard's again.
        for t in [0, 10, 20] as [Int64] { _ = state.kioskKey(.character("q"), now: Self.t0 + 1000 + t) { [] } }
        _ = state.kioskKey(.character("e"), now: Self.t0 + 1100) { [] }
        #expect(state.editing != nil, "unlocked, e opens the editor")
    }

    @Test func theUnlockSequenceMustComeWithinTwoSeconds() throws {
        var state = try Self.state()
        func q(_ t: Int64) -> [AppState.Effect] { state.kioskKey(.character("q"), now: Self.t0 + t) { [] } }
        _ = q(0)
        #expect(state.notice?.contains("2 more times") == true)
        _ = q(1500)
        _ = q(2500) // the first press is over two seconds old: two in the window
        #expect(state.kiosk?.locked == true)
        let unlocking = q(2600)
        #expect(state.kiosk?.locked == false)
        #expect(!unlocking.contains { if case .quit = $0 { true } else { false } }, "unlocking does not quit")
        #expect(state.kiosk?.statusText(now: Self.t0 + 2600).contains("unlocked") == true)
        let quitting = q(3000)
        #expect(quitting.contains { if case .quit = $0 { true } else { false } }, "unlocked, q quits")
    }

    @Test func anUnlockedKioskLocksAgainWhenLeftAlone() throws {
        var state = try Self.state(rotate: 3_600_000)
        for t in [0, 10, 20] as [Int64] { _ = state.kioskKey(.character("q"), now: Self.t0 + t) { [] } }
        #expect(state.kiosk?.locked == false)
        _ = state.kioskTick(now: Self.t0 + 20 + 5 * Milliseconds.minute - 1)
        #expect(state.kiosk?.locked == false)
        _ = state.kioskTick(now: Self.t0 + 20 + 5 * Milliseconds.minute)
        #expect(state.kiosk?.locked == true)
    }

    // MARK: - Stale data

    @Test func dataIsStaleAfterTwiceTheRefresh() throws {
        var state = try Self.state(refresh: 15_000)
        #expect(state.staleAge(now: Self.t0) == nil, "before the first poll ends nothing is stale")
        state.health.state = .ok
        state.health.lastSuccess = Self.t0
        #expect(state.staleAge(now: Self.t0 + 30_000) == nil)
        #expect(state.staleAge(now: Self.t0 + 30_001) == 30_001)
        state.health = SourceHealth()
        state.health.state = .failing
        state.health.lastError = "connection refused"
        #expect(state.staleAge(now: Self.t0) != nil, "a source that never answered is stale at once")
    }

    @Test func theLoopShowsTheBannerWhileStaleAndDropsItWhenDataReturns() async throws {
        let screen = FakeScreen(width: 100, height: 30)
        let setup = DashboardLoopTests.demoSetup()
        let clock = ManualClock(Self.t0)
        var state = try Self.state(rotate: 3_600_000, refresh: setup.refresh)
        state.size = screen.size
        let loop = DashboardLoop(state: state, setup: setup, terminal: screen, clock: clock, startsPoller: false)
        let events = loop.continuation
        let running = Task { await loop.run() }
        defer { running.cancel() }
        var health = SourceHealth()
        health.state = .ok
        health.lastSuccess = Self.t0
        events.yield(.polled(health))
        #expect(await eventually(within: 20) { screen.text.contains("kiosk cluster 1/3") })
        #expect(!screen.text.contains("STALE DATA"))
        clock.advance(by: 2 * setup.refresh + 5000)
        health.state = .failing
        health.lastError = "cannot connect to https://127.0.0.1:1: connection refused"
        events.yield(.polled(health))
        #expect(
            await eventually(within: 20) { screen.text.contains("STALE DATA") && screen.text.contains("refused") },
            "the banner shows with the error:\n\(screen.text)")
        // Keys while locked do not reach the dashboard.
        screen.type([.character("e"), .character(":"), .character("w")])
        events.yield(.input)
        clock.advance(by: 1000)
        health.state = .ok
        health.lastError = nil
        health.lastSuccess = clock.now()
        events.yield(.polled(health))
        #expect(
            await eventually(within: 20) { !screen.text.contains("STALE DATA") && screen.text.contains("locked") },
            "fresh data takes the banner away:\n\(screen.text)")
        #expect(
            !screen.text.contains("Edit query") && !screen.text.contains("Ad-hoc") && !screen.text.contains("saved to"))
        events.yield(.quit(signal: 15))
        await running.value
    }
}

/// What the command line's lookup says of a name it does not know, for these tests.
struct UnknownDashboard: Error, CustomStringConvertible {
    let name: String
    var description: String { "no dashboard named \"\(name)\"" }
}
