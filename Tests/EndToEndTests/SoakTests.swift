import Foundation
import TestSupport
import Testing

/// Issue 20's soak, at the size two cores run in a few minutes: `kubeglass soak` serves a simulated cluster
/// with churn over HTTPS in its own process and polls it (list, watches, metrics API, store, rollups, the
/// Cluster dashboard every refresh) on a fast clock for a simulated day; it prints the curve and exits 1 when
/// RSS, open files, threads, series or store bytes still grow over the second half. `scripts/soak` runs
/// the full size (1,000 nodes, 24 h at a 15 s refresh) on a release build.
@Suite(.serialized)
struct SoakTests {
    /// The rows of the curve: hour, RSS MB, fds, threads, series, store MB, pods, wall s, RSS less the store,
    /// raw MB, 1-minute tier MB, 10-minute tier MB, heap in use MB, free held MB, arenas, RSS after a trim,
    /// anonymous RSS MB, range cache points, the sim's changes, pod records, pinned lists and their pod records.
    static func curve(_ output: String) -> [[Double]] {
        output.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ").compactMap { Double($0) }
            return fields.count == 22 && !line.contains("soak") ? fields : nil
        }
    }

    @Test func aDayOfChurnLeavesMemoryFilesAndThreadsFlat() async throws {
        let binary = try kubeglassBinary()
        let hours = 24
        let run = try await offThePool {
            try spawn(
                [
                    binary, "soak", "--nodes", "50", "--pods", "500", "--churn", "10/min", "--hours", "\(hours)",
                    "--refresh", "5m", "--max-series", "15000",
                ], timeout: 1800)
        }
        print(run.output)
        #expect(run.status == 0, "the soak failed:\n\(run.output)")
        #expect(run.output.contains("soak: PASS"))
        let rows = Self.curve(run.output)
        #expect(rows.map { Int($0[0]) } == Array(1...hours), "a row every simulated hour:\n\(run.output)")
        // Churn ran: the store held series of more pods than the cluster's 500 (deleted pods' rollups stay
        // for a week), and --max-series held the series, as it does a real run's under churn.
        let pods = rows.map { $0[6] }
        #expect(pods.max() ?? 0 > 500, "no pod was created: \(pods)")
        #expect(rows.allSatisfy { $0[4] <= 15000 }, "over --max-series: \(rows.map { $0[4] })")
        // The process's own figures were read (the soak checks them only if it could), malloc's too: the heap in
        // use is within RSS, and a trim gives back what malloc held free.
        #expect(rows.allSatisfy { $0[1] > 0 && $0[2] > 0 && $0[3] > 0 }, "\(run.output)")
        #expect(
            rows.allSatisfy { $0[12] > 0 && $0[12] < $0[1] && $0[14] >= 1 && $0[15] <= $0[1] && $0[16] <= $0[15] },
            "\(run.output)")
        // The store's parts: raw samples from hour 1, the 1-minute tier from hour 2 (the raw hour is past).
        #expect(rows.allSatisfy { $0[9] > 0 } && rows.dropFirst().allSatisfy { $0[10] > 0 }, "\(run.output)")
        // The sim kept a watch history and pod records for churn's pods.
        #expect(rows.allSatisfy { $0[18] > 0 && $0[19] > 0 }, "\(run.output)")
    }

    /// `--sim-only`: the simulated cluster alone, its changes and a metrics answer every refresh, so its part of
    /// the RSS shows; no store, no series.
    @Test func theSimAloneShowsItsOwnPart() async throws {
        let run = try await spawn([
            try kubeglassBinary(), "soak", "--sim-only", "--nodes", "20", "--pods", "200", "--churn", "10/min",
            "--hours", "2", "--refresh", "10m",
        ])
        #expect(run.status == 0 && run.output.contains("soak: PASS"), "\(run.output)")
        #expect(run.output.contains("the simulated cluster alone"))
        let rows = Self.curve(run.output)
        #expect(rows.map { Int($0[0]) } == [1, 2], "\(run.output)")
        // No series and no store; the sim's watch history, its pod records and malloc's figures are there.
        #expect(rows.allSatisfy { $0[4] == 0 && $0[5] == 0 && $0[12] > 0 && $0[18] > 0 && $0[19] > 0 }, "\(run.output)")
    }

    @Test func aRunTooShortToJudgeIsRefused() async throws {
        let run = try await spawn([try kubeglassBinary(), "soak", "--hours", "1"])
        #expect(run.status != 0)
        #expect(run.output.contains("--hours must be at least 2"), "\(run.output)")
        let refresh = try await spawn([try kubeglassBinary(), "soak", "--refresh", "7m"])
        #expect(refresh.status != 0)
        #expect(refresh.output.contains("divides an hour"), "\(refresh.output)")
    }
}
