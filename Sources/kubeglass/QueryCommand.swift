import App
import ArgumentParser
import Collectors
import Foundation
import KubeClient
import KubeglassCore
import Query
import Store

struct QueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Answer one PromQL query from the demo cluster or a recorded file, and print the result.",
        discussion: """
            An instant query by default (at --time); a range query with --start (and --end, --step). \
            Times are unix seconds (1700000000.5), RFC 3339 (2023-11-14T22:13:20Z), now, or now-1h: \
            "now" is the current time for the demo cluster, and the newest sample's time for --replay \
            and --state-dir.

            --scrape URL scrapes a Prometheus metrics endpoint (twice, --scrape-interval apart, when the \
            query has a range like [1m], so rate() has two samples).

            --replay FILE reads an OpenMetrics text file with a timestamp on every sample, the input of \
            `promtool tsdb create-blocks-from openmetrics`. Without it, the demo cluster is simulated \
            with --retention of history (1h by default).

            Examples:
              kubeglass query 'sum by (node) (kubeglass_pod_cpu_usage_cores)'
              kubeglass query 'rate(req_total[5m])' --replay data.om --start now-1h
              kubeglass query up --replay data.om --time 2023-11-14T22:13:20Z --format json
              kubeglass query 'count(kubeglass_pod_cpu_usage_cores)' --state-dir ~/.local/state/kubeglass --demo
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json
    }

    @Argument(help: ArgumentHelp("The PromQL expression.", valueName: "expr"))
    var expression: String

    @Option(
        name: .long, help: ArgumentHelp("Evaluate an instant query at this time (default: now).", valueName: "time"))
    var time: String?

    @Option(name: .long, help: ArgumentHelp("Start of a range query.", valueName: "time"))
    var start: String?

    @Option(name: .long, help: ArgumentHelp("End of a range query (default: now).", valueName: "time"))
    var end: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Resolution of a range query: a duration (15s, 1m) or seconds (default: the range / 250, at least 1s).",
            valueName: "step"))
    var step: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "table for people, or json: the `data` object of Prometheus' query API.", valueName: "table|json"))
    var format: Format = .table

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Query this OpenMetrics file (timestamps on every sample) instead of a cluster.", valueName: "file"))
    var replay: String?

    @Flag(name: .long, help: "Print how long loading the data and evaluating the query took, to stderr.")
    var timing = false

    @OptionGroup var source: SourceOptions

    mutating func validate() throws {
        if expression.contains("\u{FFFD}"), let bad = Self.firstInvalidUTF8(in: CommandLine.rawArguments) {
            // The shell passed bytes that are not UTF-8; Swift shows them as U+FFFD, so name the byte really given.
            throw ValidationError(
                "the expression is not UTF-8 text: byte 0x\(String(bad.byte, radix: 16)) at offset \(bad.offset) of \"\(bad.text)\""
            )
        }
        if replay != nil, !source.scrape.isEmpty {
            throw ValidationError("--replay and --scrape both choose the data; give only one")
        }
        if replay != nil, source.stateDir != nil {
            throw ValidationError("--replay and --state-dir both choose the data; give only one")
        }
        if replay != nil, source.demo {
            throw ValidationError("--replay and --demo both choose the data; give only one")
        }
        if time != nil, start != nil || end != nil {
            throw ValidationError(
                "--time is for an instant query, --start and --end for a range query; give one or the other")
        }
        if start == nil, end != nil || step != nil {
            throw ValidationError("--end and --step need --start: a range query runs from --start to --end")
        }
        for (flag, text) in [("--time", time), ("--start", start), ("--end", end)] {
            if let text, QueryTime.parse(text, now: 0) == nil {
                throw ValidationError(
                    "\(flag) \"\(text)\" is not a time; give unix seconds (1700000000.5), RFC 3339 (2023-11-14T22:13:20Z), now, or now-1h"
                )
            }
        }
        if let step, (QueryTime.step(step) ?? 0) <= 0 {
            throw ValidationError(
                "--step \"\(step)\" is not a positive duration; give one like 15s, 1m, or seconds like 30")
        }
    }

    /// The first argument that is not valid UTF-8: the offending byte, its offset, and the argument as
    /// Swift shows it.
    static func firstInvalidUTF8(in arguments: [[UInt8]]) -> (byte: UInt8, offset: Int, text: String)? {
        for bytes in arguments where String(validating: bytes, as: UTF8.self) == nil {
            var decoder = UTF8()
            var iterator = bytes.makeIterator()
            var offset = 0
            loop: while true {
                switch decoder.decode(&iterator) {
                case .scalarValue(let scalar): offset += UTF8.width(scalar)
                case .emptyInput: break loop
                case .error: return (bytes[offset], offset, String(decoding: bytes, as: UTF8.self))
                }
            }
        }
        return nil
    }

    func run() async throws {
        // Parse before loading any data, so a typo costs no wait.
        let expr: Expr
        do {
            expr = try PromQL.parse(expression)
        } catch {
            fail("cannot parse the query: \(error)\n" + Self.caret(under: error, in: expression))
        }
        let store: SeriesStore
        let now: Timestamp
        let clock = ContinuousClock()
        let loadStarted = clock.now
        if let replay {
            let file: ReplayFile
            do {
                file = try ReplayFile.load(path: replay)
            } catch let error as OpenMetricsFileError {
                fail("cannot read replay file \(replay): \(error.reason); check the path")
            } catch {
                fail("cannot load replay file \(replay): \(error)")
            }
            store = file.store
            now = file.last
        } else if source.stateDir != nil {
            store = SeriesStore(
                .init(
                    retention: source.retentionMilliseconds, interval: source.pollMilliseconds,
                    maxSeries: source.maxSeries))
            let loaded = try SavedHistoryReading.load(source, into: store)
            now = loaded.newest == .min ? loaded.savedAt : loaded.newest
        } else {
            let setup = try SourceSetup(options: source)
            await setup.poller.start(history: setup.retention)
            if !source.scrape.isEmpty && expression.contains("[") {
                // A range function needs two samples of each series.
                try await Task.sleep(nanoseconds: UInt64(setup.refresh) * 1_000_000)
                await setup.poller.pollOnce()
            }
            let health = await setup.poller.currentHealth
            guard let polled = health.lastSuccess else {
                fail("\(setup.source.displayName) could not be polled: \(health.lastError ?? "no data")")
            }
            for warning in health.warnings { FileHandle.standardError.write(Data("kubeglass: \(warning)\n".utf8)) }
            store = setup.store
            now = polled
        }
        let loaded = clock.now
        let engine = PromQLEngine(store: store)
        let result: QueryValue
        do {
            if let start {
                let from = QueryTime.parse(start, now: now)!
                let to = end.map { QueryTime.parse($0, now: now)! } ?? now
                guard to >= from else {
                    throw ValidationError("--end is before --start; a range query needs start ≤ end")
                }
                let resolution = step.flatMap(QueryTime.step) ?? max(1000, (to - from) / 250 / 1000 * 1000)
                result = try engine.rangeQuery(expr, start: from, end: to, step: resolution)
            } else {
                result = try engine.instantQuery(expr, at: time.map { QueryTime.parse($0, now: now)! } ?? now)
            }
        } catch let error as QueryError {
            fail("the query failed: \(error)")
        }
        if timing {
            let evaluated = clock.now
            FileHandle.standardError.write(
                Data(
                    String(
                        format: "kubeglass: load %.3f s (%d series), query %.3f s\n",
                        Self.seconds(loadStarted.duration(to: loaded)), store.seriesCount,
                        Self.seconds(loaded.duration(to: evaluated))
                    ).utf8))
        }
        switch format {
        case .json: print(result.prometheusJSON())
        case .table: print(QueryTable.lines(result).joined(separator: "\n"))
        }
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    /// The query's line with the error's position marked, as a compiler shows it.
    static func caret(under error: QueryError, in query: String) -> String {
        let lines = query.split(separator: "\n", omittingEmptySubsequences: false)
        let number = max(1, min(error.line ?? 1, lines.count))
        let line = lines[number - 1]
        let column = max(1, error.column ?? 1)
        let prefix = String(decoding: line.utf8.prefix(column - 1), as: UTF8.self)
        return "  \(line)\n  \(String(repeating: " ", count: prefix.count))^"
    }

    private func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("kubeglass: \(message)\n".utf8))
        Foundation.exit(1)
    }
}

/// Times as the query command reads them.
enum QueryTime {
    static func parse(_ text: String, now: Timestamp) -> Timestamp? {
        let text = text.trimmingCharacters(in: .whitespaces)
        if text == "now" { return now }
        if text.hasPrefix("now-"), let d = DurationText.milliseconds(String(text.dropFirst(4))) { return now - d }
        if text.hasPrefix("now+"), let d = DurationText.milliseconds(String(text.dropFirst(4))) { return now + d }
        if text.first?.isNumber == true || text.first == "-", let ms = OpenMetricsParser.milliseconds(seconds: text) {
            return ms
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return Timestamp((date.timeIntervalSince1970 * 1000).rounded()) }
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return Timestamp((date.timeIntervalSince1970 * 1000).rounded()) }
        return nil
    }

    /// A step as a duration (`15s`) or seconds (`30`, `0.5`).
    static func step(_ text: String) -> Int64? {
        if let ms = DurationText.milliseconds(text) { return ms }
        return OpenMetricsParser.milliseconds(seconds: text)
    }
}

extension CommandLine {
    /// The arguments as the bytes the shell passed (`arguments` replaces bytes that are not UTF-8).
    static var rawArguments: [[UInt8]] {
        (0..<Int(argc)).map { i in
            guard let p = unsafeArgv[i] else { return [] }
            return Array(
                UnsafeBufferPointer(start: UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self), count: strlen(p)))
        }
    }
}
