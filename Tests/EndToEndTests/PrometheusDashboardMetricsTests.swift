import Dashboards
import Foundation
import Query
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The Prometheus flavours of the built-in dashboards ask only for series that exist: every metric they
/// name is served by `kubeglass sim`'s cAdvisor, kube-state-metrics and node-exporter endpoints, or is
/// the output of one of kube-prometheus' recording rules (Tests/Fixtures/prometheus/).
struct PrometheusDashboardMetricsTests {
    static let rulesFolder = RepositoryFiles.fixture("prometheus")

    /// Metric names in an exposition: the first word of every sample line.
    static func metricNames(inExposition text: String) -> Set<String> {
        var names = Set<String>()
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let end = line.firstIndex { $0 == "{" || $0 == " " } ?? line.endIndex
            names.insert(String(line[..<end]))
        }
        return names
    }

    /// The metric names a PromQL expression selects.
    static func metricNames(in expr: Expr) -> Set<String> {
        switch expr {
        case .number, .string: return []
        case .vectorSelector(let s), .matrixSelector(let s, _):
            return s.name.map { [$0] } ?? Set(s.matchers.filter { $0.name == "__name__" }.map(\.value))
        case .subquery(let s): return metricNames(in: s.expr)
        case .paren(let e), .unary(_, let e): return metricNames(in: e)
        case .binary(let b): return metricNames(in: b.lhs).union(metricNames(in: b.rhs))
        case .call(let c): return c.args.reduce(into: Set<String>()) { $0.formUnion(metricNames(in: $1)) }
        case .aggregate(let a): return metricNames(in: a.expr).union(a.param.map { metricNames(in: $0) } ?? [])
        }
    }

    /// Every metric the Prometheus dashboards use, with where it is used.
    static func dashboardMetrics() throws -> [String: String] {
        var used: [String: String] = [:]
        for d in try BuiltinDashboards.all() where d.datasource == .prometheus {
            var values = VariableValues.builtins(step: 15_000, range: 3_600_000, scrapeInterval: 15_000)
            for v in d.variables { values[v.name] = ["x"] }
            let variables = VariableValues(values: values)
            var texts = d.panels.flatMap { p in
                (p.targets.map(\.expr) + p.columns.compactMap(\.expr)).map { (p.title, $0) }
            }
            for v in d.variables {
                let q = variables.expand(v.query, format: .promql)
                texts.append(
                    (
                        "variable \(v.name)",
                        String(q.dropFirst("label_values(".count).dropLast()).split(separator: ",").dropLast().joined(
                            separator: ",")
                    ))
            }
            for (title, text) in texts {
                let expr = try PromQL.parse(variables.expand(text, format: .promql))
                for name in metricNames(in: expr) { used[name] = "\(d.name) / \(title)" }
            }
        }
        return used
    }

    @Test func everyMetricOfThePrometheusDashboardsExists() async throws {
        let used = try Self.dashboardMetrics()
        #expect(
            used.keys.contains("container_cpu_usage_seconds_total") && used.keys.contains("kube_pod_info")
                && used.keys.contains("node_filesystem_size_bytes"), "the dashboards use all three exporters")

        var recorded = Set<String>()
        for file in try FileManager.default.contentsOfDirectory(atPath: Self.rulesFolder.path)
        where file.hasSuffix(".yaml") {
            let text = try String(contentsOf: Self.rulesFolder.appendingPathComponent(file), encoding: .utf8)
            for line in text.split(separator: "\n") {
                let t = line.trimmingCharacters(in: .whitespaces)
                guard t.hasPrefix("record:") else { continue }
                recorded.insert(t.dropFirst("record:".count).trimmingCharacters(in: CharacterSet(charactersIn: " '\"")))
            }
        }
        #expect(
            recorded.contains("namespace_cpu:kube_pod_container_resource_requests:sum"),
            "read the rules in \(Self.rulesFolder.path)")

        let sim = try SimProcess()
        var served = Set<String>()
        for path in ["/metrics", "/metrics/cadvisor", "/metrics/kube-state-metrics", "/metrics/node-exporter"] {
            let (data, response) = try await RealPrometheus.http.data(from: URL(string: sim.httpURL + path)!)
            #expect((response as? HTTPURLResponse)?.statusCode == 200, "\(path)")
            let names = Self.metricNames(inExposition: String(decoding: data, as: UTF8.self))
            #expect(!names.isEmpty, "\(path) serves metrics")
            served.formUnion(names)
        }
        for (name, place) in used.sorted(by: { $0.key < $1.key }) {
            if name.contains(":") {
                #expect(recorded.contains(name), "\(place): \(name) is no recording rule's output")
            } else {
                #expect(served.contains(name), "\(place): \(name) is not served by kubeglass sim's exporters")
            }
        }
    }
}
