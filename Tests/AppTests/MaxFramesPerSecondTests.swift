import App
import Dashboards
import Foundation
import Testing

/// `--max-fps`: a burst of changes is drawn as few frames, the last of which shows the latest state.
struct MaxFramesPerSecondTests {
    /// Frames the fake screen got for 30 status-bar notices sent at once, and the last frame's text.
    func burst(maxFramesPerSecond: Int?) async throws -> (frames: Int, last: String) {
        let screen = FakeScreen(width: 120, height: 40)
        let setup = DashboardLoopTests.demoSetup()
        let board = try #require(try BuiltinDashboards.named("cluster"))
        let state = AppState(
            dashboard: board, catalog: try BuiltinDashboards.all(), theme: .default, evaluator: setup.evaluator,
            refresh: setup.refresh, size: screen.size)
        let loop = DashboardLoop(
            state: state, setup: setup, terminal: screen, startsPoller: false, maxFramesPerSecond: maxFramesPerSecond)
        let running = Task { await loop.run() }
        defer { running.cancel() }
        #expect(await eventually(within: 30) { screen.text.contains(board.title) }, "the first frame")
        // Let the first evaluation land, so that only the notices draw from here on.
        try await Task.sleep(nanoseconds: 1_500_000_000)
        let before = screen.frameCount
        for i in 1...30 { loop.continuation.yield(.notice("notice number \(i) ")) }
        #expect(
            await eventually(within: 10) { screen.text.contains("notice number 30 ") }, "the last notice is shown")
        try await Task.sleep(nanoseconds: 300_000_000)
        loop.continuation.yield(.quit(signal: 0))
        await running.value
        return (screen.frameCount - before, screen.text)
    }

    @Test func aBurstOfChangesIsDrawnAsAFewFrames() async throws {
        let capped = try await burst(maxFramesPerSecond: 4)
        #expect(capped.frames <= 3, "30 changes at 4 frames a second took \(capped.frames) frames")
        #expect(capped.last.contains("notice number 30 "))
        let uncapped = try await burst(maxFramesPerSecond: nil)
        #expect(uncapped.frames >= 30, "without a cap every change is a frame (\(uncapped.frames))")
    }
}
