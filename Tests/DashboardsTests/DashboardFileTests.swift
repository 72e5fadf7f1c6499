import Dashboards
import KubeglassCore
import Query
import Testing

struct DashboardFileTests {
    @Test func builtinDashboardsLoad() throws {
        let all = try BuiltinDashboards.all()
        let cluster = try #require(all.first { $0.name == "cluster" })
        #expect(cluster.title == "Cluster")
        #expect(cluster.refresh == 5000 && cluster.timeRange == Milliseconds.hour)
        #expect(cluster.panels.map(\.title).contains("Cluster CPU"))
        let nodes = try #require(cluster.panels.first { $0.title == "Nodes" })
        #expect(nodes.kind == .table && nodes.rowKey == ["node"])
        #expect(nodes.sortColumn == 2 && nodes.sortDescending)
        for p in cluster.panels { #expect(p.gridPos.x + p.gridPos.w <= 24) }
    }

    @Test func aFullExample() throws {
        let yaml = """
            title: Mine
            refresh: 10s
            time: now-30m
            panels:
              - title: CPU
                type: graph
                grid: {x: 0, y: 0, w: 24, h: 8}
                unit: cores
                targets:
                  - {expr: 'sum by (node) (kubeglass_node_cpu_usage_cores)', legend: '{{node}}'}
                thresholds:
                  - {value: null, color: ok}
                  - {value: 2.5, color: critical}
              - title: Notes
                type: text
                grid: {x: 0, y: 8, w: 12, h: 3}
                text: hello
            """
        let d = try DashboardFile.parse(yaml: yaml, file: "mine.yaml", name: "mine")
        #expect(d.title == "Mine" && d.refresh == 10_000 && d.timeRange == 1_800_000)
        #expect(d.panels[0].kind == .timeseries && d.panels[0].unit == .cores)
        #expect(
            d.panels[0].targets == [Target(expr: "sum by (node) (kubeglass_node_cpu_usage_cores)", legend: "{{node}}")])
        #expect(d.panels[0].thresholds.color(for: 3) == "critical")
        #expect(d.panels[0].thresholds.color(for: 1) == "ok")
        #expect(d.panels[1].text == "hello")
    }

    @Test func columnThresholdsAndAStatsDrillDownTable() throws {
        let yaml = """
            title: Mine
            panels:
              - title: Not running
                type: stat
                grid: {x: 0, y: 0, w: 6, h: 4}
                expr: count(kubeglass_pod_info{status!="Running"})
                drilldown:
                  table:
                    key: [pod]
                    columns:
                      - {title: Pod, label: pod}
                      - {title: Rst, expr: kubeglass_pod_restarts_total, thresholds: [{value: 1, color: warning}]}
              - title: Nodes
                type: table
                grid: {x: 6, y: 0, w: 18, h: 8}
                key: [node]
                columns:
                  - {title: Node, label: node}
                  - title: Mem%
                    expr: kubeglass_node_memory_working_set_bytes
                    unit: percent
                    thresholds:
                      - {value: null, color: ok}
                      - {value: 90, color: critical}
            """
        let d = try DashboardFile.parse(yaml: yaml, file: "mine.yaml", name: "mine")
        let details = try #require(d.panels[0].drilldown?.table.first)
        #expect(details.kind == .table && details.title == "Not running" && details.rowKey == ["pod"])
        #expect(details.columns[1].thresholds == [ThresholdStep(value: 1, color: "warning")])
        #expect(d.panels[0].drilldown?.dashboard == "")
        #expect(d.panels[1].columns[1].thresholds.map(\.value) == [nil, 90])
        #expect(d.panels[1].columns[0].thresholds.isEmpty)

        let label = try #require(
            error(
                """
                title: x
                panels:
                  - {title: t, type: table, grid: {x: 0, y: 0, w: 4, h: 4}, key: [n],
                     columns: [{title: N, label: n, thresholds: [{value: 1, color: red}]}]}
                """))
        #expect(label.message.contains("only a value column"))
        let chart = try #require(
            error(
                """
                title: x
                panels:
                  - {title: t, type: timeseries, grid: {x: 0, y: 0, w: 4, h: 4}, expr: up,
                     drilldown: {table: {key: [n], columns: [{title: N, label: n}]}}}
                """))
        #expect(chart.message.contains("only a stat or gauge"))
        let step = try #require(
            error(
                """
                title: x
                panels:
                  - {title: t, type: stat, grid: {x: 0, y: 0, w: 4, h: 4}, expr: up, thresholds: [{value: 1, colour: red}]}
                """))
        #expect(step.message.contains("unknown key `colour`"))
    }

    func error(_ yaml: String) -> DashboardFileError? {
        do {
            _ = try DashboardFile.parse(yaml: yaml, file: "bad.yaml", name: "bad")
            return nil
        } catch let e as DashboardFileError {
            return e
        } catch {
            return nil
        }
    }

    @Test func brokenYAMLNamesFileAndLine() throws {
        let e = try #require(error("title: x\npanels:\n  - title: [unclosed\n"))
        #expect(e.file == "bad.yaml")
        #expect(e.line == 4 || e.line == 3)
        #expect(e.description.hasPrefix("bad.yaml:"))
        #expect(e.message.contains("not valid YAML"))
    }

    @Test func unknownPanelTypeSaysWhatIsExpected() throws {
        let e = try #require(
            error(
                """
                title: x
                panels:
                  - title: p
                    type: sunburst
                    grid: {x: 0, y: 0, w: 4, h: 4}
                """))
        #expect(e.line == 4)
        #expect(e.message.contains("unknown panel type \"sunburst\""))
        #expect(e.message.contains("timeseries"))
    }

    @Test func missingFieldsAndBadValues() throws {
        #expect(try #require(error("panels: []")).message.contains("missing `title`"))
        #expect(try #require(error("title: x")).message.contains("missing `panels`"))
        let noGrid = try #require(error("title: x\npanels:\n  - {title: p, type: stat, expr: up}\n"))
        #expect(noGrid.line == 3 && noGrid.message.contains("missing `grid`"))
        let wide = try #require(
            error("title: x\npanels:\n  - {title: p, type: stat, expr: up, grid: {x: 20, y: 0, w: 8, h: 4}}\n"))
        #expect(wide.message.contains("24-column grid"))
        let unit = try #require(
            error(
                "title: x\npanels:\n  - {title: p, type: stat, expr: up, unit: parsecs, grid: {x: 0, y: 0, w: 8, h: 4}}\n"
            ))
        #expect(unit.message.contains("unknown unit \"parsecs\""))
        let key = try #require(
            error(
                "title: x\npanels:\n  - {title: p, type: stat, expr: up, colour: red, grid: {x: 0, y: 0, w: 8, h: 4}}\n"
            ))
        #expect(key.message.contains("unknown key `colour`"))
        let table = try #require(
            error(
                "title: x\npanels:\n  - {title: t, type: table, grid: {x: 0, y: 0, w: 8, h: 4}, columns: [{title: a, label: a}]}\n"
            ))
        #expect(table.message.contains("needs `key`"))
        #expect(try #require(error("")).message.contains("empty"))
        #expect(try #require(error("- 1\n- 2\n")).message.contains("expected a dashboard"))
    }

    @Test func legendFormat() {
        let l = Labels(name: "x", ["node": "n1", "pod": "p"])
        #expect(PanelEvaluator.name("{{node}}/{{ pod }}", l, expr: "e") == "n1/p")
        #expect(PanelEvaluator.name("cpu {{missing}}", l, expr: "e") == "cpu ")
        #expect(PanelEvaluator.name("{{node", l, expr: "e") == "{{node")
        #expect(PanelEvaluator.name(nil, Labels(), expr: "sum(x)") == "sum(x)")
        #expect(PanelEvaluator.name(nil, l, expr: "e") == #"x{node="n1", pod="p"}"#)
    }
}
