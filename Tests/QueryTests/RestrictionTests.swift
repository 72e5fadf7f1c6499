import KubeglassCore
import Testing

@testable import Query

/// `Expr.restricted(to:)`: a table evaluates its sparklines for the rows it shows only. Where the rewrite
/// is allowed, the restricted query must give exactly the full query's answers for those rows.
@Suite struct RestrictionTests {
    /// Pods on two nodes in two namespaces, with containers; CPU counters and memory gauges.
    static let engine: PromQLEngine = {
        var series: [(Labels, [(Double, Double)])] = []
        let times = Array(stride(from: 0.0, through: 900, by: 15))
        for p in 0..<12 {
            let pod = "web.\(p)-x" // a dot, as in real names: it must be escaped in the regex
            let ns = p % 2 == 0 ? "default" : "kube-system"
            let node = p % 3 == 0 ? "n1" : "n2"
            for c in ["app", "sidecar"] {
                let base = ["namespace": ns, "pod": pod, "container": c, "node": node]
                series.append(
                    (
                        Labels(name: "cpu_seconds_total", base),
                        times.map { ($0, $0 * Double(p + 1) / 10 + (c == "app" ? 0 : 1)) }
                    ))
                series.append(
                    (
                        Labels(name: "memory_bytes", base),
                        times.map { ($0, Double(1000 * (p + 1)) + $0.truncatingRemainder(dividingBy: 90)) }
                    ))
            }
            series.append(
                (Labels(name: "pod_info", ["namespace": ns, "pod": pod, "node": node]), times.map { ($0, 1) }))
        }
        series.append((Labels(name: "node_capacity", ["node": "n1"]), times.map { ($0, 8) }))
        series.append((Labels(name: "node_capacity", ["node": "n2"]), times.map { ($0, 16) }))
        return PromQLEngine(store: makeStore(series))
    }()

    static let rows: [String: Set<String>] = ["namespace": ["default"], "pod": ["web.0-x", "web.4-x", "web.6-x"]]

    /// Queries the rewrite must accept; each keeps `namespace` and `pod` on its results.
    static let allowed = [
        "memory_bytes",
        "sum by (namespace, pod) (rate(cpu_seconds_total[2m]))",
        "sum without (container) (memory_bytes)",
        "100 * sum by (namespace, pod) (memory_bytes) / scalar(sum(memory_bytes))",
        "max_over_time(memory_bytes[5m]) > 3000",
        "sum by (namespace, pod) (memory_bytes) / on (namespace, pod) group_left sum by (namespace, pod) (memory_bytes)",
        "memory_bytes / ignoring (container) group_left pod_info",
        "topk by (namespace, pod) (1, memory_bytes)",
        "label_replace(memory_bytes, \"c\", \"$1\", \"container\", \"(.*)\")",
        "avg_over_time(sum by (namespace, pod) (memory_bytes)[5m:1m])",
        "round(memory_bytes, 100) or cpu_seconds_total",
        "-memory_bytes + 1",
    ]

    /// Queries the rewrite must refuse: restricting their inputs would change the rows' answers.
    static let refused = [
        "sum(memory_bytes)",
        "sum by (pod) (memory_bytes)",
        "sum without (pod) (memory_bytes)",
        "memory_bytes / on (node) group_left node_capacity",
        "memory_bytes / ignoring (pod) group_left memory_bytes",
        "absent(memory_bytes)",
        "label_replace(memory_bytes, \"pod\", \"x\", \"pod\", \".*\")",
        "count_values by (namespace, pod) (\"pod\", memory_bytes)",
    ]

    @Test(arguments: allowed) func restrictedQueriesAnswerTheRowsAsTheWholeQueryDoes(_ query: String) throws {
        let expr = try PromQL.parse(query)
        let restricted = try #require(expr.restricted(to: Self.rows), "\(query) should be restricted")
        // The text goes to a backend as a query: it must parse back to the same expression.
        #expect(try PromQL.parse(restricted.description) == restricted)
        func keep(_ labels: Labels) -> Bool {
            Self.rows.allSatisfy { name, values in values.contains(labels[name] ?? "") }
        }
        for at in [300.0, 900] {
            let whole = try Self.engine.instantQuery(query, at: ms(at))
            let part = try Self.engine.instantQuery(restricted.description, at: ms(at))
            guard case .vector(let w) = whole, case .vector(let p) = part else {
                Issue.record("expected vectors from \(query)")
                continue
            }
            let wanted = w.filter { keep($0.labels) }
            #expect(!wanted.isEmpty, "\(query) has rows to compare")
            #expect(
                Dictionary(uniqueKeysWithValues: p.filter { keep($0.labels) }.map { ($0.labels, $0.value) })
                    == Dictionary(uniqueKeysWithValues: wanted.map { ($0.labels, $0.value) }), "\(query) at \(at)")
            // And nothing of other rows is computed.
            #expect(p.allSatisfy { keep($0.labels) || $0.labels["pod"] == nil }, "\(query)")
        }
        // Range queries too, as sparklines run them.
        let wholeRange = try Self.engine.rangeQuery(query, start: ms(300), end: ms(900), step: 60_000)
        let partRange = try Self.engine.rangeQuery(restricted.description, start: ms(300), end: ms(900), step: 60_000)
        guard case .matrix(let w) = wholeRange, case .matrix(let p) = partRange else {
            Issue.record("expected matrices from \(query)")
            return
        }
        #expect(p.filter { keep($0.labels) } == w.filter { keep($0.labels) }, "\(query) over a range")
    }

    @Test(arguments: refused) func queriesThatMixRowsAreNotRestricted(_ query: String) throws {
        #expect(try PromQL.parse(query).restricted(to: Self.rows) == nil, "\(query)")
    }

    @Test func aRegexOfLiteralsIsASetLookup() throws {
        let m = LabelMatcher.oneOf("pod", ["web.1", "a|b", "x(y)", ""])
        #expect(m.literals == ["web.1", "a|b", "x(y)", ""])
        for value in ["web.1", "a|b", "x(y)", ""] { #expect(m.matches(value)) }
        #expect(m.matches(nil), "an empty literal matches a missing label, as the regex does")
        for value in ["webx1", "a", "b", "xy", "web.10"] { #expect(!m.matches(value)) }
        // Real regexes are not taken for literals.
        for pattern in ["web.*", "a|b+", "(?i)web", "\\d+", "[ab]", "a\\.*"] {
            #expect(try LabelMatcher("pod", .regex, pattern).literals == nil, "\(pattern)")
        }
        #expect(try LabelMatcher("pod", .regex, "a\\-b|c").literals == ["a-b", "c"])
        // One group around the whole, as a multi-value variable writes it; not two groups, nor a group repeated.
        #expect(try LabelMatcher("ns", .regex, "(batch|default)").literals == ["batch", "default"])
        #expect(try LabelMatcher("ns", .regex, "(?:batch|default)").literals == ["batch", "default"])
        for pattern in ["(a)|(b)", "(?i)(a|b)", "(a|b)+", "((a|b))"] {
            #expect(try LabelMatcher("pod", .regex, pattern).literals == nil, "\(pattern)")
        }
        for (pattern, value) in [("(a)|(b)", "b"), ("(a|b)", "a"), ("(?:a|b)", "b")] {
            #expect(try LabelMatcher("pod", .regex, pattern).matches(value), "\(pattern)")
        }
        // Negated, the set answers the opposite.
        let not = try LabelMatcher("pod", .notRegex, "a|b")
        #expect(!not.matches("a") && not.matches("c"))
    }
}
