import Foundation
import TestSupport
import Testing

@testable import Simulator

/// Watches over real sockets, read by curl: a chunked stream that ends on time, or breaks off as told.
@Suite struct WatchServerTests {
    typealias Running = SimulatorServerTests.Running

    func withSim(_ configure: (inout Simulator.Configuration) -> Void, _ body: (Running) async throws -> Void)
        async throws
    {
        let sim = try await Running(configure)
        do { try await body(sim) } catch {
            await sim.stop()
            throw error
        }
        await sim.stop()
    }

    /// curl's exit status and the body's lines, for a watch read with no buffering.
    func watch(_ sim: Running, _ path: String, maxTime: Double = 10) throws -> (
        exit: Int32, lines: [String], body: String
    ) {
        let out = sim.dir + "/watch-\(UUID().uuidString)"
        let (status, _) = try spawn(
            ["curl", "-sS", "-N", "-o", out, "--max-time", String(maxTime), sim.server.httpURL! + path])
        let body = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
        return (status, body.split(separator: "\n").map(String.init), body)
    }

    @Test func aWatchStreamsChunkedLinesAndEndsAtItsTimeout() async throws {
        try await withSim({
            $0.churnPerMinute = 600
            $0.watch.bookmarkInterval = 300
        }) { sim in
            let started = Date()
            let r = try watch(sim, "/api/v1/pods?watch=1&allowWatchBookmarks=true&timeoutSeconds=2&resourceVersion=0")
            let took = Date().timeIntervalSince(started)
            #expect(r.exit == 0, "the stream ends cleanly")
            #expect(took >= 1.9 && took < 8, "after timeoutSeconds, took \(took) s")
            let events = try r.lines.map {
                try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
            }
            let types = events.compactMap { $0["type"] as? String }
            // The pods there are (about the 40 the sim began with) first, then the changes.
            #expect(types.prefix { $0 == "ADDED" }.count >= 15)
            #expect(types.contains("MODIFIED") || types.contains("DELETED"), "churn goes on during the watch")
            #expect(types.filter { $0 == "BOOKMARK" }.count >= 3 && types.last == "BOOKMARK")
        }
    }

    @Test func watchCutAfterBreaksOffInTheMiddleOfALine() async throws {
        try await withSim({
            $0.churnPerMinute = 600
            $0.watch.cutAfter = 700
        }) { sim in
            // curl gives up after its --max-time (exit 28) if the stream is never cut; a cut is exit 18. The
            // exit status says which, with no deadline of ours to miss on a busy machine.
            let r = try watch(sim, "/api/v1/nodes?watch=1&allowWatchBookmarks=true", maxTime: 30)
            #expect(r.exit == 18, "curl reports a transfer cut short (exit 18), got \(r.exit)")
            #expect(!r.body.hasSuffix("\n"), "the last line is unfinished")
            let last = try #require(r.lines.last)
            #expect((try? JSONSerialization.jsonObject(with: Data(last.utf8))) == nil, "\(last)")
            #expect(last.hasPrefix("{\"type\":\""))
            // Whole lines before it are whole events.
            #expect(r.lines.dropLast().count >= 4, "the 4 nodes, listed first")
            for line in r.lines.dropLast() {
                #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) != nil)
            }
        }
    }

    @Test func watchSilentSendsNothingUntilTheClientGivesUp() async throws {
        try await withSim({
            $0.churnPerMinute = 6000
            $0.watch.silent = true
            $0.watch.bookmarkInterval = 100
        }) { sim in
            let r = try watch(
                sim, "/api/v1/pods?watch=1&allowWatchBookmarks=true&timeoutSeconds=1&resourceVersion=0", maxTime: 2)
            #expect(r.exit == 28, "curl times out (exit 28), got \(r.exit)")
            #expect(r.body.isEmpty)
            // Lists still answer.
            #expect(try sim.curl("/api/v1/pods?limit=1", https: false).code == 200)
        }
    }

    @Test func aFrozenSimHasNoChangesButItsWatchesStillKeepTime() async throws {
        try await withSim({
            $0.frozenAt = Int64(Date().timeIntervalSince1970 * 1000)
            $0.churnPerMinute = 6000
            $0.watch.bookmarkInterval = 200
        }) { sim in
            let list = try sim.curl("/api/v1/pods", https: false)
            let json = try JSONSerialization.jsonObject(with: Data(list.body.utf8)) as? [String: Any]
            let rv = try #require((json?["metadata"] as? [String: Any])?["resourceVersion"] as? String)
            let r = try watch(
                sim, "/api/v1/pods?watch=1&allowWatchBookmarks=true&timeoutSeconds=1&resourceVersion=\(rv)")
            #expect(r.exit == 0 && r.lines.count >= 3, "bookmarks, on the watch's own clock: \(r.body)")
            #expect(r.lines.allSatisfy { $0.hasPrefix("{\"type\":\"BOOKMARK\"") && $0.contains("\"\(rv)\"") })
        }
    }
}
