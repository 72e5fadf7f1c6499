import KubeglassCore
import Query
import Store
import Testing

@testable import Dashboards

/// A legend that names no label of the query's series (`usage` after the query became `sum by (node)`) would
/// give every series one name: they are named by their labels instead (issue 18).
struct LegendFallbackTests {
    static let evaluator: PanelEvaluator = {
        let store = SeriesStore(.init(retention: Milliseconds.hour, interval: 15_000, maxSeries: 100, tiers: []))
        for t in stride(from: Int64(0), through: 300_000, by: 15_000) {
            store.append(
                (1...3).map { n in
                    (Labels(name: "cpu", ["node": "node-\(n)", "pod": "p\(n)"]), Sample(time: t, value: Double(n)))
                })
        }
        return PanelEvaluator(engine: PromQLEngine(store: store), minimumStep: 15_000)
    }()

    static func names(_ expr: String, legend: String?, kind: Panel.Kind = .timeseries) async -> [String] {
        let panel = Panel(
            title: "CPU", kind: kind, gridPos: GridPos(x: 0, y: 0, w: 24, h: 8),
            targets: [Target(expr: expr, legend: legend)])
        let data = await evaluator.evaluate(panel, now: 300_000, range: 5 * Milliseconds.minute, points: 20)
        return data.series.map(\.name).sorted()
    }

    @Test func aLegendNamingNoLabelOfSeveralSeriesFallsBackToTheirLabels() async {
        #expect(
            await Self.names("sum by (node) (cpu)", legend: "usage") == [
                #"{node="node-1"}"#, #"{node="node-2"}"#, #"{node="node-3"}"#,
            ])
        #expect(
            await Self.names("sum by (node) (cpu)", legend: "{{pod}}") == [
                #"{node="node-1"}"#, #"{node="node-2"}"#, #"{node="node-3"}"#,
            ], "a label the result no longer has")
        #expect(
            await Self.names("sum by (node) (cpu)", legend: "usage", kind: .bargauge) == [
                #"{node="node-1"}"#, #"{node="node-2"}"#, #"{node="node-3"}"#,
            ], "instant queries too")
    }

    @Test func aLegendThatFitsIsKept() async {
        #expect(await Self.names("sum(cpu)", legend: "usage") == ["usage"], "one series keeps its constant name")
        #expect(await Self.names("sum by (node) (cpu)", legend: "{{node}}") == ["node-1", "node-2", "node-3"])
        #expect(
            await Self.names("sum by (node) (cpu)", legend: "cpu {{node}} {{pod}}") == [
                "cpu node-1 ", "cpu node-2 ", "cpu node-3 ",
            ], "one label found is enough")
    }
}
