import KubeglassCore
import TestSupport
import Testing

@testable import Query

/// Thousands of random and mutated queries: the parser must answer each with an expression or
/// an error — never crash, never hang — and what parses must print back to the same thing and
/// evaluate (or fail) cleanly.
@Suite struct ParserFuzzTests {
    static let corpus = [
        #"sum by (node) (rate(container_cpu_usage_seconds_total{namespace=~"kube-.*", pod!=""}[5m]))"#,
        #"topk(5, max_over_time(memory_bytes[1h] offset 5m)) / on (node) group_left (zone) node_info"#,
        #"histogram_quantile(0.99, sum(rate(h_bucket{job="api"}[5m])) by (le))"#,
        #"-x ^ 2 > bool 3 and y or vector(1) unless z"#,
        #"label_replace(up @ 1700000000 offset -1m, "dst", "$1-${2}", "src", "(a)(b)?")"#,
        #"count_values("v", quantile_over_time(0.5, x[10m:30s]))"#,
        #"1e3 + 0x1f * .5 % Inf - NaN atan2 2"#,
        #"absent(nothing{job="x"}) == bool 1"#,
        #"avg without (cpu) (irate(node_cpu_seconds_total{mode!~"idle|iowait"}[1m] @ start()))"#,
        #"clamp(abs(delta(g[2m])), 0, 10) # comment"#,
    ]

    static let vocabulary = [
        "sum", "avg", "topk", "count_values", "by", "without", "on", "ignoring", "group_left", "group_right", "bool",
        "offset", "and", "or", "unless", "atan2", "rate", "irate", "abs", "time", "vector", "scalar", "label_replace",
        "x", "y", "up", "node", "(", ")", "{", "}", "[", "]", ",", ":", "@", "+", "-", "*", "/", "%", "^",
        "==", "!=", ">", ">=", "<", "<=", "=", "=~", "!~", "\"a\"", "'b'", "`c`", "\"\\x\"", "\"", "1", "0.5", "1e3",
        "0x", "5m", "1h30m", "Inf", "NaN", "start()", "end()", " ", "\n", "#", "é", "\u{0}", "[5m:1m]", "[5m]",
    ]

    let engine: PromQLEngine = {
        var series: [(Labels, [(Double, Double)])] = []
        for node in ["a", "b"] {
            for name in ["x", "y", "up", "g", "memory_bytes"] {
                series.append(
                    (
                        Labels(name: name, ["node": node, "src": "ab"]),
                        stride(from: 0.0, through: 600, by: 30).map { ($0, $0 / 7) }
                    ))
            }
        }
        return PromQLEngine(store: makeStore(series))
    }()

    func check(_ query: String) {
        guard let expr = try? PromQL.parse(query) else { return }
        let printed = expr.description
        do {
            let again = try PromQL.parse(printed)
            #expect(again.description == printed, "printing \(query.debugDescription) is not stable")
        } catch {
            Issue.record(
                "\(query.debugDescription) printed as \(printed.debugDescription), which does not parse: \(error)")
        }
        _ = try? engine.instantQuery(expr, at: 300_000)
        _ = try? engine.rangeQuery(expr, start: 0, end: 600_000, step: 60_000)
    }

    @Test(.timeLimit(.minutes(2))) func randomTokenSequences() {
        var rng = SplitMix64(state: 42)
        for _ in 0..<4000 {
            let length = Int.random(in: 1...14, using: &rng)
            let query = (0..<length).map { _ in Self.vocabulary.randomElement(using: &rng)! }
                .joined(separator: Bool.random(using: &rng) ? " " : "")
            check(query)
        }
    }

    @Test(.timeLimit(.minutes(2))) func mutatedRealQueries() {
        var rng = SplitMix64(state: 7)
        for _ in 0..<4000 {
            var chars = Array(Self.corpus.randomElement(using: &rng)!)
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let at = Int.random(in: 0...chars.count, using: &rng)
                switch Int.random(in: 0..<4, using: &rng) {
                case 0 where at < chars.count: chars.remove(at: at)
                case 1: chars.insert(Array("(){}[],:@+-*/^=!~\"'`#0a5m .\\").randomElement(using: &rng)!, at: at)
                case 2 where at < chars.count:
                    chars[at] = Character(Unicode.Scalar(UInt8.random(in: 0...127, using: &rng)))
                default:
                    let word = Self.vocabulary.randomElement(using: &rng)!
                    chars.insert(contentsOf: word, at: at)
                }
            }
            check(String(chars))
        }
    }

    @Test func theCorpusItselfParsesAndEvaluates() throws {
        for query in Self.corpus {
            let expr = try PromQL.parse(query)
            #expect(try PromQL.parse(expr.description).description == expr.description)
        }
        #expect(
            try vector(engine, #"label_replace(up{node="a"}, "dst", "$1-${2}", "src", "(a)(b)?")"#, at: 300) == [
                #"up{dst="a-b", node="a", src="ab"}"#: 300.0 / 7
            ])
    }

    @Test func deepButAllowedNestingEvaluates() throws {
        let depth = PromQL.maxNestingDepth - 1
        let query = String(repeating: "abs(", count: depth) + "x{node=\"a\"}" + String(repeating: ")", count: depth)
        #expect(try vector(engine, query, at: 300) == [#"{node="a", src="ab"}"#: 300.0 / 7])
        let parens = String(repeating: "(", count: depth) + "1" + String(repeating: ")", count: depth)
        #expect(try scalar(engine, parens) == 1)
    }

    @Test func oversizedDurationsAndTimesAreErrorsNotTraps() {
        #expect(parseError("x[9223372036854775807ms]")?.contains("bad number or duration syntax") == true)
        #expect(parseError("x[300y]")?.contains("bad number or duration syntax") == true)
        #expect(parseError("x[1m1h]")?.contains("bad number or duration syntax") == true)
        #expect(parseError("x @ 1e300")?.contains("timestamp out of bounds") == true)
        #expect(throws: QueryError.self) { try engine.instantQuery("max_over_time(x[200y:1ms])", at: 0) }
        #expect(throws: Never.self) { try engine.instantQuery("topk(1e300, x)", at: 300_000) }
    }
}
