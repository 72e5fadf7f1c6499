import Foundation
import TestSupport
import Testing

/// `kubeglass bench-store` (hidden), the store benchmark scripts/bench-store runs in the release binary, at a
/// size a debug build runs in seconds: its figures are printed and sane, the newest value of every series is
/// exact, and the hour it exports for VictoriaMetrics holds every series of every poll.
struct BenchStoreCommandTests {
    @Test func aShortHourIsMeasuredAndExported() async throws {
        let directory = try TempDirectory("kubeglass-bench-store")
        defer { directory.remove() }
        let file = directory.path + "/hour.prom"
        let binary = try kubeglassBinary()
        let run = try await offThePool {
            try spawn([binary, "bench-store", "--polls", "12", "--days", "0.025", "--export-hour", file])
        }
        #expect(run.status == 0, "\(run.output)")
        let lines = run.output.split(separator: "\n").map(String.init)
        func number(after prefix: String) -> Double? {
            guard let line = lines.first(where: { $0.contains(prefix) }),
                let range = line.range(of: prefix)
            else { return nil }
            return Double(line[range.upperBound...].prefix { $0.isNumber || $0 == "." })
        }
        let series = try #require(number(after: "pods: "), "\(run.output)")
        #expect(series > 1_000, "the demo has thousands of series: \(run.output)")
        let perSample = try #require(number(after: "B/sample: overall "), "\(run.output)")
        #expect(perSample > 0 && perSample < 16, "\(run.output)")
        #expect(number(after: "newest values that differ from the source's: ") == 0, "\(run.output)")
        #expect(run.output.contains("bench-store: demo 0.025 days at 30 s"), "\(run.output)")
        #expect(run.output.contains("store memory: demo shape 6500 series x 12 samples"), "\(run.output)")
        // Every series of every poll, a line each, with the poll's time in milliseconds.
        let exported = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n")
        #expect(exported.count == Int(series) * 12)
        let times = Set(exported.compactMap { $0.split(separator: " ").last.flatMap { Int64($0) } })
        #expect(times.count == 12 && times.allSatisfy { $0 > 1_000_000_000_000 }, "\(times.sorted().prefix(3))")
    }

    @Test func tooFewPollsAndAnExportThatCannotBeWrittenAreRefused() async throws {
        let run = try await spawn([try kubeglassBinary(), "bench-store", "--polls", "1"])
        #expect(run.status != 0 && run.output.contains("--polls must be at least 2"), "\(run.output)")
        let export = try await spawn([try kubeglassBinary(), "bench-store", "--export-hour", "/nonexistent/hour.prom"])
        #expect(
            export.status != 0 && export.output.contains("cannot write --export-hour /nonexistent/hour.prom"),
            "\(export.output)")
    }
}
