import Dashboards
import Foundation
import KubeglassCore
import Query
import TestSupport
import Testing

/// Every built-in dashboard: registered, parsed, its PromQL valid, its drill-downs leading somewhere.
struct BuiltinDashboardTests {
    static let folder = RepositoryFiles.url("dashboards")

    static let expected: Set<String> = [
        "cluster", "nodes", "node", "pods", "pod", "namespace",
        "cluster-prometheus", "nodes-prometheus", "pods-prometheus", "namespace-prometheus",
        "cluster-influxdb", "nodes-influxdb", "pods-influxdb", "namespace-influxdb", "node-exporter",
    ]

    @Test func everyBuiltinParsesWithTheExpectedNames() throws {
        let all = try BuiltinDashboards.all()
        #expect(Set(all.map(\.name)) == Self.expected)
        #expect(all.count == Self.expected.count, "no name twice")
        for d in all {
            #expect(!d.panels.isEmpty, "\(d.name) has panels")
            let flavour =
                d.name.hasSuffix("-prometheus")
                ? Datasource.prometheus : d.name.hasSuffix("-influxdb") ? .influxdb : nil
            #expect(d.datasource == flavour, "\(d.name): datasource \(String(describing: d.datasource))")
        }
    }

    /// `dashboards/` (what people read and copy) and the compiled-in files are the same, and none is left out.
    @Test func theDashboardsFolderHoldsExactlyTheCompiledInFiles() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter {
            $0.hasSuffix(".yaml")
        }
        #expect(
            Set(files.map { String($0.dropLast(5)) }) == Self.expected,
            "every dashboards/*.yaml is registered in Package.swift and BuiltinDashboards.files")
        for file in files {
            let name = String(file.dropLast(5))
            let text = try String(contentsOf: Self.folder.appendingPathComponent(file), encoding: .utf8)
            let onDisk = try DashboardFile.parse(yaml: text, file: "dashboards/\(file)", name: name)
            #expect(try BuiltinDashboards.named(name) == onDisk, "\(file) on disk is what is compiled in")
        }
    }

    /// Sample values for a dashboard's variables (two for multi-value ones, so regexes are exercised).
    static func sampleValues(_ d: Dashboard) -> VariableValues {
        var values = VariableValues.builtins(step: 15_000, range: Milliseconds.hour, scrapeInterval: 15_000)
        var regexNames = Set<String>()
        for v in d.variables {
            values[v.name] = v.multi || v.includeAll ? ["a-1", "b.2"] : ["x-1"]
            if v.multi || v.includeAll { regexNames.insert(v.name) }
        }
        return VariableValues(values: values, regexNames: regexNames)
    }

    /// Every PromQL text of a panel: targets and table columns.
    static func queries(_ p: Panel) -> [String] {
        p.targets.map(\.expr) + p.columns.compactMap(\.expr) + p.children.flatMap(queries)
    }

    @Test func everyPromQLTargetParsesAfterVariablesAreSubstituted() throws {
        var count = 0
        for d in try BuiltinDashboards.all() where d.datasource != .influxdb {
            let values = Self.sampleValues(d)
            for p in d.panels {
                for q in Self.queries(p) {
                    let text = values.expand(q, format: .promql)
                    #expect(
                        !text.contains("$") || text.contains("\"$1\""),
                        "\(d.name) / \(p.title): a variable is left in \(text)")
                    #expect(throws: Never.self, "\(d.name) / \(p.title): \(text)") { _ = try PromQL.parse(text) }
                    count += 1
                }
            }
            for v in d.variables where v.kind == .query {
                let q = values.expand(v.query, format: .promql)
                #expect(
                    q.hasPrefix("label_values(") && q.hasSuffix(")"),
                    "\(d.name): variable \(v.name) is label_values(metric, label)")
                let selector = String(q.dropFirst("label_values(".count).dropLast()).split(separator: ",").dropLast()
                    .joined(separator: ",")
                #expect(throws: Never.self, "\(d.name): variable \(v.name): \(selector)") {
                    _ = try PromQL.parse(selector)
                }
            }
        }
        #expect(count > 150)
    }

    /// A later variable may use an earlier one, never the reverse (they are resolved in order).
    @Test func chainedVariablesUseOnlyEarlierOnes() throws {
        for d in try BuiltinDashboards.all() {
            for (i, v) in d.variables.enumerated() {
                for later in d.variables[(i + 1)...] {
                    #expect(
                        !v.query.contains("$" + later.name),
                        "\(d.name): \(v.name) uses the later variable \(later.name)")
                }
            }
        }
    }

    /// Heapster-InfluxDB queries: Grafana's macros, so the time range and the bucket size follow the panel.
    @Test func influxQueriesUseTheTimeFilterAndIntervalMacros() throws {
        for d in try BuiltinDashboards.all() where d.datasource == .influxdb {
            for p in d.panels {
                for q in Self.queries(p) {
                    #expect(q.hasPrefix("SELECT "), "\(d.name) / \(p.title): \(q)")
                    #expect(q.contains("$timeFilter"), "\(d.name) / \(p.title): no $timeFilter in \(q)")
                    if q.contains("GROUP BY time(") {
                        #expect(q.contains("GROUP BY time($__interval)"), "\(d.name) / \(p.title): \(q)")
                    }
                }
            }
            for v in d.variables {
                #expect(v.query.hasPrefix("SHOW TAG VALUES FROM \"uptime\" WITH KEY = "), "\(d.name): \(v.name)")
            }
        }
    }

    /// Enter on a table row opens a dashboard that exists, setting variables it has from labels the row has.
    @Test func drilldownsLeadToExistingDashboardsAndVariables() throws {
        let all = try BuiltinDashboards.all()
        var count = 0
        for d in all {
            // A stat's drill-down table is a panel too, and may drill further.
            for p in d.panels + d.panels.flatMap({ $0.drilldown?.table ?? [] }) {
                guard let drill = p.drilldown, drill.table.isEmpty else { continue }
                count += 1
                let target = try #require(
                    all.first { $0.name == drill.dashboard }, "\(d.name) / \(p.title) drills into \(drill.dashboard)")
                #expect(
                    target.datasource == d.datasource, "\(d.name) / \(p.title): drill-down stays on the same datasource"
                )
                for (variable, label) in drill.variables {
                    #expect(
                        target.variables.contains { $0.name == variable }, "\(target.name) has no variable \(variable)")
                    #expect(
                        p.rowKey.contains(label), "\(d.name) / \(p.title): row key \(p.rowKey) has no label \(label)")
                }
                #expect(
                    Set(drill.variables.keys) == Set(target.variables.map(\.name)),
                    "\(d.name) / \(p.title) sets every variable of \(target.name)")
            }
        }
        #expect(count >= 8)
    }

    /// Panels side by side fill the 24 columns without overlapping.
    @Test func panelsDoNotOverlap() throws {
        for d in try BuiltinDashboards.all() {
            for (i, a) in d.panels.enumerated() {
                for b in d.panels[(i + 1)...] {
                    let apart =
                        a.gridPos.x + a.gridPos.w <= b.gridPos.x || b.gridPos.x + b.gridPos.w <= a.gridPos.x
                        || a.gridPos.y + a.gridPos.h <= b.gridPos.y || b.gridPos.y + b.gridPos.h <= a.gridPos.y
                    #expect(apart, "\(d.name): \(a.title) and \(b.title) overlap")
                }
            }
        }
    }
}
